-- Every reject into import_reject; $3/$4 map reason codes to messages.
INSERT INTO import_reject (dataset_id, layer, row_number, source_id, code, message, geom)
SELECT $1, $2, s.row_number, s.source_id, s.reject_code,
       coalesce(m.message, s.reject_code) || coalesce(': ' || s.reject_detail, ''),
       CASE WHEN s.geom IS NOT NULL AND ST_SRID(s.geom) = 4490 THEN s.geom END
FROM lw_import_stage s
LEFT JOIN unnest($3::text[], $4::text[]) AS m(code, message) ON m.code = s.reject_code
WHERE s.reject_code IS NOT NULL
ORDER BY s.row_number
