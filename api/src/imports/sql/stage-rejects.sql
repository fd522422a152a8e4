-- The first rejects, for the immediate report ($1 = how many).
SELECT row_number, source_id, reject_code AS code, reject_detail AS detail
FROM lw_import_stage
WHERE reject_code IS NOT NULL
ORDER BY row_number
LIMIT $1
