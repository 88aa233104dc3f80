-- 0007: a steward settles a household conflict the data will keep showing (a second wife, a child in two welfare
-- households on purpose): it stays settled, with who and why, and formation does not raise it again.

alter table steward_action drop constraint steward_action_action_check;
alter table steward_action add constraint steward_action_action_check
    check (action in ('same', 'different', 'defer', 'undo', 'split', 'correct', 'withdraw_correction', 'settle_conflict'));
