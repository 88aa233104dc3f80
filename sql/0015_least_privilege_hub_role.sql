-- 0015: the hub runs as padu_hub, a role that owns the data it writes and reshapes (first loads make partitions, full
-- runs truncate and vacuum) but not the access audit, of which it may only insert and read rows: it cannot update,
-- delete or truncate them, drop the trigger that forbids that, or (being no superuser) switch triggers off for its
-- session. Migrations keep running as the administrator that created the database; padu_hand_over() gives each new
-- table to the hub after them. A server where the migrating user may not create roles keeps running as that user.
do $$
begin
    create role padu_hub nologin;
exception
    when duplicate_object then null;
    when insufficient_privilege then raise notice 'no role padu_hub: this user may not create roles; the hub runs as this user';
end $$;

create function padu_hand_over() returns void language plpgsql as $$
declare
    item record;
begin
    if not exists (select 1 from pg_roles where rolname = 'padu_hub') then
        return;
    end if;
    execute format('grant connect, temporary, create on database %I to padu_hub', current_database());
    grant usage, create on schema public to padu_hub;
    for item in
        select c.relname, c.relkind, n.nspname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('public', 'hangfire') and c.relkind in ('r', 'p', 'v', 'm', 'S')
          and c.relname not in ('access_audit', 'access_audit_id_seq', 'padu_schema_version')
          and pg_get_userbyid(c.relowner) <> 'padu_hub'
          -- a sequence behind a column changes owner with its table
          and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')))
    loop
        execute format('alter %s %I.%I owner to padu_hub',
            case item.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view' else 'table' end,
            item.nspname, item.relname);
    end loop;
    grant select, insert on access_audit to padu_hub;
    grant usage on sequence access_audit_id_seq to padu_hub;
    grant select on padu_schema_version to padu_hub;
    -- Hangfire keeps its job storage in a schema of its own, which the hub creates and upgrades itself.
    if exists (select 1 from pg_namespace where nspname = 'hangfire') then
        alter schema hangfire owner to padu_hub;
    else
        create schema hangfire authorization padu_hub;
    end if;
exception
    when insufficient_privilege then raise notice 'padu_hub not given the tables: this user may not; the hub runs as this user';
end $$;

select padu_hand_over();
