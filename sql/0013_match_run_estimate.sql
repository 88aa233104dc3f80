-- What the model expected of each run, for operators without labels: the expected number of matches among the pairs
-- compared, and its own precision and recall at the link and review thresholds (ModelEstimate, snake_case JSON).
alter table match_run add column estimate jsonb;
