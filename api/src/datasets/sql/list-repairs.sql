SELECT row_number, source_id, reason
FROM import_repair
WHERE dataset_id = $1
ORDER BY row_number
LIMIT $2
