-- 0014: a file is one extract by its bytes and, for a delta, its sequence; a refused file does not count.
-- An agency may send a refused file again as it was told to (the same bytes as another sequence, or after the cause
-- was fixed on our side), and two deltas with nothing to report on two days are two deltas, not one sent twice.
alter table extract drop constraint extract_agency_code_checksum_key;
create unique index extract_same_file on extract (agency_code, checksum, coalesce(sequence, 0)) where status <> 'rejected';
