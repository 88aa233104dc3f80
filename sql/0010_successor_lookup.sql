-- When a merge retires a golden person, anything that still pointed at the retired id is pointed at its successor.
-- Without an index that was a scan of every golden person on each merge: 184 ms at 100,000 people (EXPLAIN ANALYZE),
-- nearly all of one incremental record's time at a million. Only retired rows carry a successor, so the index is small.
create index golden_person_successor on golden_person (successor_id) where successor_id is not null;
