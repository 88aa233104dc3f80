-- 0019: which source records each incremental run matched, so a worker whose standing index missed some runs (another
-- worker ran them, or it was stopped) brings its index up to date with just those records instead of rebuilding it
-- from every record. A full run rebuilds every index, so it writes none; rows older than a week are pruned nightly,
-- and an index older than that is rebuilt.
create table match_run_record (
    run_id            bigint not null references match_run (id) on delete cascade,
    source_record_id  bigint not null,
    primary key (run_id, source_record_id)
);
