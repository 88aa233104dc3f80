-- 0006: households re-formed around the people a matching run touched, not the whole country.

-- Golden persons whose households must be formed again, queued by matching in its own transaction (so a crash between
-- matching and households loses nothing) and drained by the household run. A null golden_id asks for every household:
-- a full re-match queues one.
create table household_queue (
    id          bigserial primary key,
    golden_id   bigint,
    queued_at   timestamptz not null default now()
);

-- The normalised address each member was formed with: people who move in next door are found by it.
alter table golden_household_member add column address_key text;
create index golden_household_member_address on golden_household_member (address_key) where address_key is not null;

-- The evidence that joins people into households, looked up from the people who changed.
create index source_record_version_household_ref on source_record_version (household_ref) where household_ref is not null;
create index source_record_version_spouse on source_record_version (spouse_id_number) where spouse_id_number is not null;
create index source_record_version_father on source_record_version (father_id_number) where father_id_number is not null;
create index source_record_version_mother on source_record_version (mother_id_number) where mother_id_number is not null;
