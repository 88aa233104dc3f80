-- A hand-written PostgreSQL record-linkage pipeline with pg_trgm, the kind a team writes before it has a matching
-- engine: the yardstick PaduHub's match-csv is timed and scored against (`linkage --trigram`). It reads the table
-- records (the single CSV's columns, as text) and leaves linked_pair (a, b): the pairs it calls one person.
-- Its weights and threshold were set on a population of another seed (benchmarks/results/linkage-amd-epyc.md).

create extension if not exists pg_trgm;

-- Cleaned once: identifiers as letters and digits, names and addresses upper case with single spaces.
create table clean as
select row_number() over () as id, record_id,
       nullif(regexp_replace(ic, '[^0-9]', '', 'g'), '') as ic,
       nullif(upper(regexp_replace(old_ic, '[^A-Za-z0-9]', '', 'g')), '') as old_ic,
       nullif(upper(regexp_replace(trim(name), '\s+', ' ', 'g')), '') as name,
       nullif(trim(dob), '') as dob,
       nullif(upper(regexp_replace(trim(address), '\s+', ' ', 'g')), '') as address,
       nullif(trim(postcode), '') as postcode,
       nullif(regexp_replace(phone, '[^0-9]', '', 'g'), '') as phone
from records;
create index on clean (ic);
create index on clean (old_ic);
create index on clean (dob);
create index on clean (postcode);
create index on clean (phone);
create index on clean using gin (name gin_trgm_ops);
analyze clean;

-- Candidates: one identifier (either column), or a similar name (pg_trgm's % at 0.4) with the same birth date,
-- postcode or phone.
set pg_trgm.similarity_threshold = 0.4;
create table candidate as
select a.id as a, b.id as b from clean a join clean b on b.ic = a.ic and a.id < b.id
union select a.id, b.id from clean a join clean b on b.old_ic = a.old_ic and a.id < b.id
union select least(a.id, b.id), greatest(a.id, b.id) from clean a join clean b on b.old_ic = a.ic and a.id <> b.id
union select a.id, b.id from clean a join clean b on b.dob = a.dob and a.id < b.id and a.name % b.name
union select a.id, b.id from clean a join clean b on b.postcode = a.postcode and a.id < b.id and a.name % b.name
union select a.id, b.id from clean a join clean b on b.phone = a.phone and a.id < b.id and a.name % b.name;

-- A score of the fields, and a threshold.
create table linked_pair as
select a.record_id as a, b.record_id as b
from candidate c join clean a on a.id = c.a join clean b on b.id = c.b
where (case when a.ic = b.ic then 6 when a.ic is not null and b.ic is not null then -5 else 0 end)
    + (case when a.old_ic = b.old_ic or a.old_ic = b.ic or a.ic = b.old_ic then 5 else 0 end)
    + 6 * similarity(coalesce(a.name, ''), coalesce(b.name, ''))
    + (case when a.dob = b.dob then 3 when a.dob is null or b.dob is null then 0 else -3 end)
    + 2 * similarity(coalesce(a.address, ''), coalesce(b.address, ''))
    + (case when a.postcode = b.postcode then 1 else 0 end)
    + (case when a.phone = b.phone then 1 else 0 end) >= @threshold;
