-- The hub's tables as a distributed PostgreSQL (Citus) would hold them, rehearsed on plain PostgreSQL.
--
-- Not a migration (it lives outside sql/'s numbered scripts and never runs on a hub). Run on a migrated database, it
-- builds schema "distributed": every table the layout distributes becomes a table partitioned by hash of its
-- distribution column, with 8 partitions standing in for shards, and gets the hub's rows. Plain PostgreSQL's
-- partitioning refuses a primary key or unique constraint that leaves out the partition column, as Citus refuses one
-- that leaves out the distribution column, so running this proves each constraint below can be kept when distributed.
-- distributed.layout says where every table of the hub goes; a test (DistributedLayoutTests) checks that it names every
-- table, that the rows arrive, and that a lookup by the distribution column reads one partition. docs/scale-out.md
-- explains the choices; in Citus each line of distributed.layout is one call:
--   distributed  -> select create_distributed_table('t', 'column', colocate_with => 'first table of its group');
--   reference    -> select create_reference_table('t');           (a copy on every worker node)
--   coordinator  -> stays on the coordinator node only (small, or written by one process at a time)
drop schema if exists distributed cascade;
create schema distributed;

create table distributed.layout (
    table_name          text primary key,
    kind                text not null check (kind in ('distributed', 'reference', 'coordinator')),
    distribution_column text,
    colocation_group    text,
    primary_key         text,        -- as distributed, when it differs from the hub's own
    why                 text not null,
    check ((kind = 'distributed') = (distribution_column is not null))
);

insert into distributed.layout values
    -- Golden persons: everything about one person on one shard, so a profile is read from one node.
    ('golden_person',            'distributed', 'id',               'person',    null, 'the golden record, read by id'),
    ('golden_person_history',    'distributed', 'golden_id',        'person',    null, 'a person''s versions beside the person'),
    ('golden_member',            'distributed', 'golden_id',        'person',    'golden_id, source_record_id',
        'a person''s source records beside the person; that a record is in one person only is kept by the one matching run at a time'),
    ('golden_identifier',        'distributed', 'golden_id',        'person',    null, 'a person''s crosswalk beside the person'),
    ('golden_correction',        'distributed', 'golden_id',        'person',    'golden_id, id', 'a steward''s corrections follow the person'),
    ('golden_change',            'distributed', 'golden_id',        'person',    'golden_id, tx, id',
        'the change feed written beside what changed; a reader merges the shards'' pages in (tx, id) order'),
    -- Households: members and history beside the household.
    ('golden_household',         'distributed', 'id',               'household', null, 'the household, read by id'),
    ('golden_household_member',  'distributed', 'household_id',     'household', 'household_id, golden_id',
        'members beside their household; one household per person is kept by the one household run at a time'),
    ('golden_household_history', 'distributed', 'household_id',     'household', null, 'versions beside the household'),
    -- Source records: an agency record, its versions and its place in the matching queue together.
    ('source_record',            'distributed', 'id',               'source',    'id',
        'an agency record; (agency_code, source_key) stays unique through distributed.source_key'),
    ('source_record_version',    'distributed', 'source_record_id', 'source',    'source_record_id, id', 'a record''s versions beside it'),
    ('match_queue',              'distributed', 'source_record_id', 'source',    null, 'records waiting for matching beside them'),
    ('match_run_record',         'distributed', 'source_record_id', 'source',    null, 'what each incremental run matched'),
    ('rejected_row',             'distributed', 'extract_id',       'extract',   'extract_id, id', 'a file''s rejected rows together, read by extract'),
    ('access_audit',             'distributed', 'id',               'audit',     null,
        'append-only and the largest table, spread evenly; "who read this person" asks every shard, a rare question'),
    -- Small tables every node reads: copied to each.
    ('agency',                   'reference',   null, null, null, 'a few hundred agencies'),
    ('agency_delta_state',       'reference',   null, null, null, 'one row per agency'),
    ('api_client',               'reference',   null, null, null, 'keys, checked on every request'),
    ('steward_account',          'reference',   null, null, null, 'stewards'),
    ('match_model',              'reference',   null, null, null, 'the stored model every matching partition scores with'),
    ('match_decision',           'reference',   null, null, null, 'steward decisions every matching partition honours; thousands'),
    -- Written by one process at a time, or small: on the coordinator.
    ('extract',                  'coordinator', null, null, null, 'receipts: thousands a day'),
    ('match_run',                'coordinator', null, null, null, 'one row per run'),
    ('match_pair',               'coordinator', null, null, null, 'the review queue, worked by stewards'),
    ('review_state',             'coordinator', null, null, null, 'review queue states'),
    ('steward_action',           'coordinator', null, null, null, 'stewards'' actions'),
    ('household_conflict',       'coordinator', null, null, null, 'conflicts for stewards'),
    ('household_queue',          'coordinator', null, null, null, 'the people whose household is due to be formed again; emptied by each household run'),
    ('padu_schema_version',      'coordinator', null, null, null, 'the schema''s version');

-- (agency_code, source_key) -> source record: the natural key, distributed by its key so ingestion's lookup is one shard.
insert into distributed.layout values
    ('source_key', 'distributed', 'source_key', 'source_key', 'source_key, agency_code', 'the natural key of a source record, looked up by ingestion');

create function distributed.distribute(table_name text, key text, primary_key text) returns void language plpgsql as $$
declare
    shard int;
begin
    execute format('create table distributed.%I (like public.%I including defaults) partition by hash (%I)', table_name, table_name, key);
    for shard in 0..7 loop
        execute format('create table distributed.%I partition of distributed.%I for values with (modulus 8, remainder %s)',
            table_name || '_' || shard, table_name, shard);
    end loop;
    -- The key as the layout gives it, or the hub's own; either way PostgreSQL checks it holds the distribution column.
    primary_key := coalesce(primary_key,
        (select string_agg(quote_ident(a.attname), ', ' order by k.ord)
         from pg_constraint c cross join unnest(c.conkey) with ordinality k(attnum, ord)
         join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
         where c.conrelid = ('public.' || table_name)::regclass and c.contype = 'p'));
    if primary_key is not null then
        execute format('alter table distributed.%I add primary key (%s)', table_name, primary_key);
    end if;
    execute format('insert into distributed.%I select * from public.%I', table_name, table_name);
end $$;

select distributed.distribute(table_name, distribution_column, primary_key)
from distributed.layout where kind = 'distributed' and table_name <> 'source_key';

create table distributed.source_key (agency_code text not null, source_key text not null, source_record_id bigint not null)
    partition by hash (source_key);
do $$ begin for shard in 0..7 loop
    execute format('create table distributed.source_key_%s partition of distributed.source_key for values with (modulus 8, remainder %s)', shard, shard);
end loop; end $$;
alter table distributed.source_key add primary key (source_key, agency_code);
insert into distributed.source_key select agency_code, source_key, id from public.source_record;
