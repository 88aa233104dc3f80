-- 0001: the agencies that send extracts to the hub.
-- Every later table that holds agency data points here, so an unknown agency is refused by the database too.
create table agency (
    code        text primary key check (code ~ '^[A-Z][A-Z0-9_]{1,15}$'),
    name        text not null,
    created_at  timestamptz not null default now()
);

comment on table agency is 'An agency that sends extracts (registration, tax, pension fund, welfare, utilities, ...).';
