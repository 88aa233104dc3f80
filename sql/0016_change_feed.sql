-- 0016: the change feed policy systems follow (GET /api/v1/changes): one row per event in a golden person's or
-- household's life, written by the database itself whenever a line of history is, so no write path can forget it.
--
-- Order: a feed must never hand out a later event before an earlier one that is still being committed, or a client's
-- cursor would step past it. Each event carries the id of the transaction that wrote it (tx); a reader takes events
-- in (tx, id) order and only from transactions older than every one still running (pg_snapshot_xmin), so everything
-- it passes is final and nothing can later appear behind its cursor.

create table golden_change (
    id          bigserial,
    tx          xid8 not null default pg_current_xact_id(),
    at          timestamptz not null default now(),
    subject     text not null check (subject in ('person', 'household')),
    golden_id   bigint not null,
    version     int not null,
    -- person: created, split, changed, merged, withdrawn, restored, died, identifier_added, identifier_retired (a created
    -- person's identifiers come with it: its profile has them)
    -- household: created, changed, merged, dissolved, revived
    event       text not null,
    -- ids and names, never values: {"fields": ["address", "postcode"], "records_changed": true, "joined": [2044]} (2044 was
    -- merged into this one), {"into": 1911}, {"from": [1911]} (split from 1911), {"kind": "mykad"}
    detail      jsonb not null default '{}',
    primary key (tx, id)
);
-- a first match numbers a million events in one statement
alter sequence golden_change_id_seq cache 1000;

-- One statement's new history lines become events. Every write path inserts history while golden_member still holds
-- the membership from before the write, which is how a new golden person learns which person it was split from and
-- a changed one which persons were merged into it.
create function padu_person_changes() returns trigger language plpgsql as $$
begin
    -- The lines' attributes are read where they are needed and never copied into a CTE: a first match writes a million
    -- lines of a few kilobytes each.
    with lines as (
        select golden_id, version, change, members, version = 1 and attributes ? 'death_date' as born_dead from new_lines
    ),
    sources as (
        -- the golden persons a line's members belonged to before this write, other than itself
        select l.golden_id, array_agg(distinct m.golden_id order by m.golden_id) as ids
        from lines l cross join lateral unnest(l.members) as s(id) join golden_member m on m.source_record_id = s.id
        where m.golden_id <> l.golden_id and l.change not like 'merged into %' and l.change <> 'withdrawn'
        group by l.golden_id
    ),
    fields as (
        -- attributes whose value differs from the person's previous version
        select n.golden_id, k.key, n.attributes ? k.key as now_there, p.attributes ? k.key as was_there
        from new_lines n join golden_person_history p on p.golden_id = n.golden_id and p.version = n.version - 1
        cross join lateral (select key from jsonb_object_keys(n.attributes) as key union select key from jsonb_object_keys(p.attributes) as key) k
        where n.version > 1 and n.change not like 'merged into %' and n.change <> 'withdrawn'
          and (n.attributes -> k.key ->> 'value') is distinct from (p.attributes -> k.key ->> 'value')
    ),
    changed_fields as (
        select golden_id, jsonb_agg(key order by key) as keys from fields group by golden_id
    ),
    events as (
        select l.golden_id, l.version, 1 as position,
               case when l.change like 'merged into %' then 'merged'
                    when l.change = 'withdrawn' then 'withdrawn'
                    when l.change = 'restored' then 'restored'
                    when l.change = 'created' and s.ids is not null then 'split'
                    when l.change = 'created' then 'created'
                    else 'changed' end as event,
               case when l.change like 'merged into %' then jsonb_build_object('into', substr(l.change, 13)::bigint)
                    when l.change = 'withdrawn' or (l.version = 1 and s.ids is null) then '{}'::jsonb
                    else jsonb_strip_nulls(jsonb_build_object(
                        'fields', cf.keys,
                        'records_changed', case when l.change like '%members%' or l.change = 'restored' then true end,
                        case when l.change = 'created' then 'from' else 'joined' end, to_jsonb(s.ids))) end as detail
        from lines l left join sources s on s.golden_id = l.golden_id left join changed_fields cf on cf.golden_id = l.golden_id
        union all
        -- a death reported now, or someone whose agencies already report a death born into the feed dead
        select f.golden_id, l.version, 2, 'died', '{}'::jsonb
        from fields f join lines l on l.golden_id = f.golden_id where f.key = 'death_date' and f.now_there and not f.was_there
        union all
        select golden_id, version, 2, 'died', '{}'::jsonb from lines where born_dead
        union all
        select f.golden_id, l.version, 3, case when f.now_there then 'identifier_added' else 'identifier_retired' end,
               jsonb_build_object('kind', f.key)
        from fields f join lines l on l.golden_id = f.golden_id where f.key = 'mykad' and f.now_there <> f.was_there
    )
    insert into golden_change (subject, golden_id, version, event, detail)
    select 'person', golden_id, version, event, detail from events order by golden_id, version, position, event;
    return null;
end $$;

create trigger golden_person_changes after insert on golden_person_history
    referencing new table as new_lines for each statement execute function padu_person_changes();

create function padu_household_changes() returns trigger language plpgsql as $$
begin
    insert into golden_change (subject, golden_id, version, event, detail)
    select 'household', n.household_id, n.version,
           case when n.change like 'merged into %' then 'merged'
                when n.change in ('created', 'dissolved', 'revived') then n.change
                else 'changed' end,
           case when n.change like 'merged into %' then jsonb_build_object('into', substr(n.change, 13)::bigint)
                when n.change in ('created', 'dissolved', 'revived') then '{}'::jsonb
                else jsonb_build_object('fields', to_jsonb(string_to_array(replace(n.change, ' and ', ', '), ', '))) end
    from new_lines n order by n.household_id, n.version;
    return null;
end $$;

create trigger golden_household_changes after insert on golden_household_history
    referencing new table as new_lines for each statement execute function padu_household_changes();

