-- 0003: golden records: one per person, the source records behind it, its identifiers, its history; the match model
-- and the scored pairs that wait for a steward.

-- Golden ids outlive clusters: a merge keeps the older id and retires the other (successor_id points on); a split
-- leaves the id with the larger part.
create sequence golden_person_id_seq;

create table golden_person (
    id              bigint primary key,
    -- withdrawn: every source record behind it was withdrawn or deleted by its agency
    status          text not null check (status in ('active', 'retired', 'withdrawn')),
    successor_id    bigint,
    version         int not null,
    -- The survived values most lookups need, beside every attribute with its lineage in attributes.
    mykad           text collate "C",
    full_name       text,
    date_of_birth   date,
    sex             char(1),
    -- attribute -> {"value", "agency", "source_record_id", "version_id", "extract_id", "at", "verified"}
    attributes      jsonb not null default '{}',
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    check ((status = 'retired') = (successor_id is not null))
);
create index golden_person_mykad on golden_person (mykad) where status = 'active';

-- Which golden record each source record belongs to. Every active source record has exactly one.
create table golden_member (
    source_record_id    bigint primary key,
    golden_id           bigint not null,
    since               timestamptz not null default now()
);
create index golden_member_golden on golden_member (golden_id);

-- The identifier crosswalk: every MyKad, old IC, army or police number, passport... seen for a person, and who holds it.
create table golden_identifier (
    kind        text not null,
    value       text collate "C" not null,
    golden_id   bigint not null,
    agencies    text[] not null,
    primary key (kind, value, golden_id)
);
create index golden_identifier_golden on golden_identifier (golden_id);

-- Each version of a golden record as it was: what changed, its attributes and members then.
create table golden_person_history (
    golden_id       bigint not null,
    version         int not null,
    changed_at      timestamptz not null default now(),
    change          text not null,          -- created, attributes, members, merged into N, split from N, retired
    attributes      jsonb not null,
    members         bigint[] not null,
    primary key (golden_id, version)
);

-- The Fellegi-Sunter model each run used: comparisons, m and u per level, lambda, term frequencies.
create table match_model (
    id              bigserial primary key,
    trained_at      timestamptz not null default now(),
    record_count    int not null,
    model           jsonb not null
);

-- Scored pairs worth a person's look: doubtful ones, and strong ones a guard kept apart. The steward queue reads it.
create table match_pair (
    source_a        bigint not null,
    source_b        bigint not null,
    weight          double precision not null,
    probability     double precision not null,
    fields          jsonb not null,         -- per-field level and weight: why the pair scored what it did
    reason          text not null check (reason in ('doubtful', 'would_chain', 'different_verified_mykad', 'cannot_link')),
    queued_at       timestamptz not null default now(),
    primary key (source_a, source_b),
    check (source_a < source_b)
);

-- One row per matching run, full or incremental: what it saw, what it did, how long it took.
create table match_run (
    id              bigserial primary key,
    kind            text not null check (kind in ('full', 'incremental')),
    started_at      timestamptz not null default now(),
    finished_at     timestamptz,
    records         int not null default 0,
    pairs_compared  bigint not null default 0,
    golden_created  int not null default 0,
    golden_changed  int not null default 0,
    golden_retired  int not null default 0,
    review          int not null default 0,
    seconds         jsonb not null default '{}'
);

-- What a steward decided about two source records: the same person (must link) or different people (never link).
-- Every full and incremental run honours these; the steward workbench writes them.
create table match_decision (
    source_a        bigint not null,
    source_b        bigint not null,
    decision        text not null check (decision in ('same', 'different')),
    decided_by      text not null,
    reason          text not null,
    decided_at      timestamptz not null default now(),
    primary key (source_a, source_b),
    check (source_a < source_b)
);
create index match_decision_b on match_decision (source_b);
