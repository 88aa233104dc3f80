-- A golden record's attributes with their lineage run to 2.3 KB, so PostgreSQL compresses every one of them. With its
-- own compressor (pglz) that was 7 of the 26 s it took to store a million people's attributes (COPY of the same 1.1 GB
-- into a jsonb column: 25.6 s with pglz, 18.8 s with lz4, about the same size on disk). Only values written from now on
-- are compressed with lz4; older ones read as they are. A PostgreSQL built without lz4 keeps pglz.
do $$
begin
    alter table golden_person alter column attributes set compression lz4;
    alter table golden_person_history alter column attributes set compression lz4;
exception when feature_not_supported then
    raise notice 'this PostgreSQL has no lz4: golden attributes stay compressed with pglz';
end
$$;
