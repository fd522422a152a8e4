-- Later rows of a duplicated source id leave the partition for the stage, as rejects (with their
-- geometry, for the reject report).
WITH moved AS (
  DELETE FROM {{PARTITION}} p
  USING lw_import_dupes d
  WHERE p.source_id = d.source_id AND p.row_number > d.first_row
  RETURNING p.row_number, p.source_id, p.attrs, p.geom, d.first_row
)
INSERT INTO lw_import_stage (row_number, source_id, attrs, has_geom, geom, reject_code, reject_detail)
SELECT row_number, source_id, attrs, true, geom, 'DUPLICATE_SOURCE_ID', format('%s already used in row %s', source_id, first_row)
FROM moved
