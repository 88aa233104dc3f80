-- A lookup by identifier without its kind ("who holds 900101-14-5678?") could only walk the whole primary key, which
-- leads with the kind: 330 ms at a million people (measured with EXPLAIN ANALYZE). By value alone it is one probe.
create index golden_identifier_value on golden_identifier (value);
