-- An incremental run deletes the review pairs of the records it re-matched, by either side of the pair. The primary
-- key serves the first side only, so the second was a scan of every pair waiting for review: 224,479 of them at a
-- million source records, on every run.
create index match_pair_b on match_pair (source_b);
