-- An agency's first full extract lands as its own partition of source_record and source_record_version.
--
-- Why: a first load writes a record and a version for every row. Inserted one by one into indexes that already
-- hold other agencies' millions, the index entries cost three times the rows themselves (a million-row first load
-- spent 14 of its 20 s in btree insertions). Into a fresh table with no index, the rows go in at COPY speed, and
-- the indexes are then built by sorting, a quarter of the cost; attaching the table makes it part of the hub in
-- the same transaction, so the file still lands whole or not at all. Readers are never blocked: attaching takes
-- only a SHARE UPDATE EXCLUSIVE lock on the parent.
--
-- Both tables are partitioned by id range. The rows that exist today, and every row written by later extracts
-- (which take their ids from the tables' own sequences), live in the "rolling" partition below 10^15. A first load
-- takes one number from first_load_block, and its ids are 10^15 + block * 10^10 + the row's line in the file, for
-- the record and its version alike. Lookups by id still touch one partition (the planner prunes by range).
--
-- Uniqueness that cannot span partitions in PostgreSQL (agency and key for a record, record and version number for
-- a version) is kept per partition (by unique indexes here; in a first-load partition by a unique key and a check
-- that every version is its record's first), and across partitions by the loader, which decides new against known
-- under its per-agency lock, and takes a first-load partition only for an agency with no records.

alter table source_record rename to source_record_rolling;
alter index source_record_pkey rename to source_record_rolling_pkey;
alter table source_record_rolling rename constraint source_record_agency_code_source_key_key to source_record_rolling_agency_key;
alter table source_record_rolling add constraint source_record_rolling_ids check (id < 1000000000000000);

create table source_record (like source_record_rolling including defaults) partition by range (id);
alter table source_record add constraint source_record_status_check check (status in ('active', 'withdrawn', 'deleted'));
alter sequence source_record_id_seq owned by source_record.id;
alter table source_record attach partition source_record_rolling for values from (minvalue) to (1000000000000000);
alter table source_record add primary key (id);

alter table source_record_version rename to source_record_version_rolling;
alter index source_record_version_pkey rename to source_record_version_rolling_pkey;
alter table source_record_version_rolling rename constraint source_record_version_source_record_id_version_key
    to source_record_version_rolling_record_version;
alter index source_record_version_household_ref rename to source_record_version_rolling_household_ref;
alter index source_record_version_spouse rename to source_record_version_rolling_spouse;
alter index source_record_version_father rename to source_record_version_rolling_father;
alter index source_record_version_mother rename to source_record_version_rolling_mother;
alter table source_record_version_rolling add constraint source_record_version_rolling_ids check (id < 1000000000000000);

create table source_record_version (like source_record_version_rolling including defaults) partition by range (id);
alter table source_record_version add constraint source_record_version_op_check check (op in ('I', 'U', 'D'));
alter table source_record_version add constraint source_record_version_sex_check check (sex in ('M', 'F'));
alter sequence source_record_version_id_seq owned by source_record_version.id;
alter table source_record_version attach partition source_record_version_rolling for values from (minvalue) to (1000000000000000);
-- Indexes declared on the parent are built on every partition (the rolling one's existing indexes are taken over).
alter table source_record_version add primary key (id);
create index source_record_version_household_ref on source_record_version (household_ref) where household_ref is not null;
create index source_record_version_spouse on source_record_version (spouse_id_number) where spouse_id_number is not null;
create index source_record_version_father on source_record_version (father_id_number) where father_id_number is not null;
create index source_record_version_mother on source_record_version (mother_id_number) where mother_id_number is not null;

-- Block numbers for first loads; a block spans 10^10 ids, more rows than any extract has lines.
create sequence first_load_block;

-- Autovacuum analyzes partitions but never a partitioned parent, whose statistics the planner uses for joins.
analyze source_record, source_record_version;
