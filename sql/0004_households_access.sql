-- 0004: golden households, their conflicts for stewards, and the append-only access audit of the read API.

-- Household ids follow the golden person rules: the older id survives a merge, the larger part keeps it after a
-- split, and a retired id points at its successor. A household whose members are all gone is dissolved.
create sequence golden_household_id_seq;

create table golden_household (
    id                  bigint primary key,
    status              text not null check (status in ('active', 'retired', 'dissolved')),
    successor_id        bigint,
    version             int not null,
    head_id             bigint,                 -- a golden person
    size                int not null,           -- living members
    address             jsonb,                  -- the head's golden address, with its lineage
    monthly_income      numeric(14, 2),         -- sum of the members' monthly incomes (RM)
    per_capita_income   numeric(14, 2),
    income_group        text check (income_group in ('B40', 'M40', 'T20')),
    income_year         int,                    -- the DOSM threshold year the group was read against
    income_sources      jsonb not null default '[]',   -- per member: amount, agency, period, source record
    evidence            jsonb not null default '[]',   -- why these people are one household: welfare reference, family links, address
    fingerprint         text not null,          -- members, address and income in short: a rebuild writes only households whose fingerprint moved
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    check ((status = 'retired') = (successor_id is not null))
);

-- One row per living golden person in a household; a person is in at most one household.
create table golden_household_member (
    golden_id       bigint primary key,
    household_id    bigint not null,
    role            text not null check (role in ('head', 'spouse', 'child', 'parent', 'grandchild', 'other')),
    since           timestamptz not null default now()
);
create index golden_household_member_household on golden_household_member (household_id);

create table golden_household_history (
    household_id    bigint not null,
    version         int not null,
    changed_at      timestamptz not null default now(),
    change          text not null,          -- created, members, income, address, merged into N, dissolved
    snapshot        jsonb not null,         -- members with roles, head, address, income as they were
    primary key (household_id, version)
);

-- What household formation could not settle by itself; the steward workbench works these with match_pair.
-- A conflict is identified by what it is about, so rebuilding households does not raise it twice.
create table household_conflict (
    id              bigserial primary key,
    kind            text not null check (kind in ('spouse_mismatch', 'member_elsewhere', 'income_disagrees')),
    subject_key     text not null,          -- e.g. 'spouse:12:34' or 'income:12'
    golden_ids      bigint[] not null,
    detail          jsonb not null,
    raised_at       timestamptz not null default now(),
    resolved_at     timestamptz,
    resolved_by     text,
    unique (kind, subject_key)
);

-- Every read of personal data through the API, and every refused attempt: who, why, whom, which fields, answer.
-- Append-only: the trigger below refuses updates and deletes, so not even the hub's own code can rewrite history.
create table access_audit (
    id              bigserial primary key,
    at              timestamptz not null default now(),
    client_id       bigint,                 -- null when no valid key was sent
    client_name     text,
    purpose         text,
    action          text not null,          -- e.g. 'GET /api/v1/persons/{id}'
    subject         text,                   -- golden person or household id; never an IC number
    fields          text[],
    status          int not null            -- the HTTP status answered
);
create index access_audit_subject on access_audit (subject, at);
create index access_audit_client on access_audit (client_id, at);

create function access_audit_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'access_audit is append-only: % is not allowed', tg_op;
end $$;
create trigger access_audit_append_only before update or delete or truncate on access_audit
    for each statement execute function access_audit_append_only();

-- A review item a steward is working on (one steward at a time), or has put off with a note.
create table review_state (
    source_a        bigint not null,
    source_b        bigint not null,
    claimed_by      text,
    claimed_at      timestamptz,
    deferred_by     text,
    deferred_at     timestamptz,
    note            text,
    primary key (source_a, source_b),
    check (source_a < source_b)
);

-- Every steward action, in order, never changed: decisions, deferrals, splits, undos. match_decision holds the
-- decisions in force; this is how they came to be.
create table steward_action (
    id          bigserial primary key,
    at          timestamptz not null default now(),
    steward     text not null,
    action      text not null check (action in ('same', 'different', 'defer', 'undo', 'split')),
    source_a    bigint,
    source_b    bigint,
    golden_id   bigint,
    reason      text not null,
    detail      jsonb not null default '{}'
);
create index steward_action_pair on steward_action (source_a, source_b);
