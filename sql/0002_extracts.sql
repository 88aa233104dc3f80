-- 0002: extracts, source records with every version, rejected rows, the matching queue, agency API clients.

-- A file an agency sent, and its receipt: what was read, loaded, rejected and why.
create table extract (
    id              bigserial primary key,
    agency_code     text not null references agency(code),
    kind            text not null check (kind in ('full', 'delta')),
    sequence        int check ((kind = 'delta') = (sequence is not null)),
    file_name       text not null,
    checksum        text not null,               -- sha256 of the file's bytes, hex
    size_bytes      bigint not null,
    status          text not null check (status in ('queued', 'held', 'loaded', 'rejected')),
    reason          text,                        -- why a file was rejected whole, or what a held delta waits for
    received_via    text not null check (received_via in ('cli', 'api', 'drop-folder', 'demo')),
    received_at     timestamptz not null default now(),
    finished_at     timestamptz,
    rows_read       int not null default 0,
    inserted        int not null default 0,
    updated         int not null default 0,
    unchanged       int not null default 0,
    withdrawn       int not null default 0,
    deleted         int not null default 0,
    rejected        int not null default 0,
    timings         jsonb not null default '{}',  -- milliseconds: parse_validate, copy, merge, total
    spool_path      text,                        -- where a queued or held file waits
    -- The same bytes from the same agency are one extract: sending them again returns this receipt.
    unique (agency_code, checksum)
);
create index extract_agency_received on extract (agency_code, received_at desc);
create unique index extract_delta_sequence on extract (agency_code, sequence) where kind = 'delta' and status = 'loaded';

-- The last delta sequence applied per agency; deltas must arrive one after another.
create table agency_delta_state (
    agency_code     text primary key references agency(code),
    last_sequence   int not null
);

-- One record an agency holds (a person, a taxpayer, an account...), identified by the agency's own key.
-- The bulk tables below carry no foreign keys: a nightly load writes millions of rows, a key check per row costs
-- more than the load itself, and the extract loader is the only writer (it takes agency and extract ids from rows
-- it has just written in the same transaction).
create table source_record (
    id                  bigserial primary key,
    agency_code         text not null,
    -- Keys are codes, not words: byte order is right for them and spares every index insertion a strcoll().
    source_key          text collate "C" not null,
    status              text not null check (status in ('active', 'withdrawn', 'deleted')),
    current_version_id  bigint not null,
    first_extract_id    bigint not null,
    changed_extract_id  bigint not null,
    changed_at          timestamptz not null default now(),
    unique (agency_code, source_key)
);

-- Every version of a source record, with the extract that brought it. Never updated, never deleted.
create table source_record_version (
    id                  bigserial primary key,
    source_record_id    bigint not null,
    extract_id          bigint not null,
    version             int not null,
    op                  char(1) not null check (op in ('I', 'U', 'D')),
    line_number         int not null,
    row_hash            bytea not null,
    id_type             text,
    id_number           text,
    old_id_number       text,
    full_name           text,
    sex                 char(1) check (sex in ('M', 'F')),
    date_of_birth       date,
    citizenship         text,
    address             text,
    postcode            text,
    town                text,
    district            text,
    state               text,
    phone               text,
    marital_status      text,
    spouse_id_number    text,
    father_id_number    text,
    mother_id_number    text,
    death_date          date,
    household_ref       text,
    member_no           text,
    relationship        text,
    monthly_income      numeric(14, 2),
    annual_income       numeric(14, 2),
    other_income        numeric(14, 2),
    employer            text,
    employer_no         text,
    account_opened      date,
    extra               jsonb,          -- mapped columns with no canonical field
    issues              text[],         -- values kept but flagged: "id_number: placeholder, not a real number"
    unique (source_record_id, version)
);

-- A row that was not loaded, with where it was and why. raw_line keeps the bytes as sent (cut at 64 KiB).
create table rejected_row (
    id              bigserial primary key,
    extract_id      bigint not null,
    line_number     bigint not null,
    field           text,
    reason          text not null,
    raw_line        text,
    raw_length      int not null
);
create index rejected_row_extract on rejected_row (extract_id, line_number);

-- Source records that changed and must be (re)matched; filled in the same transaction as the change, drained by
-- matching. No index: it is read whole, by extract, and emptied; an index would cost every load a million insertions.
create table match_queue (
    source_record_id    bigint not null,
    extract_id          bigint not null,
    queued_at           timestamptz not null default now()
);

-- Systems that call the API: agencies uploading extracts, later policy systems and stewards.
create table api_client (
    id          bigserial primary key,
    name        text not null unique,
    key_hash    text not null unique,      -- sha256 of the key, hex; the key itself is shown once and never stored
    scopes      text[] not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
