-- 0017: an extract's versions found without reading every version: they are written together, one extract after
-- another, so a block-range index on extract_id is a few pages and costs a load almost nothing to keep
-- (GET /api/v1/extracts/{id}/downstream reads it).
create index source_record_version_extract on source_record_version using brin (extract_id);
