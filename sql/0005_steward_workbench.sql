-- 0005: the steward workbench: who may sign in to it, and the corrections stewards make to golden attributes.

-- People who sign in to the steward pages. Policy systems and tools use API keys (api_client) instead.
create table steward_account (
    name            text collate "C" primary key check (name ~ '^[a-z][a-z0-9._-]{1,39}$'),
    display_name    text not null,
    -- supervisors also see the access audit, undo other stewards' decisions and open the Hangfire dashboard
    role            text not null check (role in ('steward', 'supervisor')),
    password_hash   text not null,          -- pbkdf2-sha256$iterations$salt$hash, never the password
    created_at      timestamptz not null default now(),
    disabled_at     timestamptz
);

-- A steward's correction to one golden attribute. It stands over what survivorship would choose until the agency
-- behind the attribute sends a value different from the one that was corrected (agency_value): then the agency has
-- spoken again and the correction lapses. At most one correction is in force per person and attribute.
create table golden_correction (
    id              bigserial primary key,
    golden_id       bigint not null,        -- follows the person through merges
    attribute       text not null,
    value           text not null,
    agency_value    text,                   -- what survivorship showed when corrected; null when no agency had a value
    agency          text,                   -- whose value that was
    steward         text not null,
    reason          text not null,
    created_at      timestamptz not null default now(),
    ended_at        timestamptz,
    ended_why       text,                   -- 'withdrawn by …', 'the agency sent a new value', 'replaced by correction N'
    check ((ended_at is null) = (ended_why is null))
);
create unique index golden_correction_in_force on golden_correction (golden_id, attribute) where ended_at is null;
create index golden_correction_golden on golden_correction (golden_id);

alter table steward_action drop constraint steward_action_action_check;
alter table steward_action add constraint steward_action_action_check
    check (action in ('same', 'different', 'defer', 'undo', 'split', 'correct', 'withdraw_correction'));
create index steward_action_golden on steward_action (golden_id) where golden_id is not null;
create index steward_action_at on steward_action (at);
