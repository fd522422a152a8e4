-- 0010_validity_trigger_detail: the validity trigger of migration 0008 names the reason of the row it
-- names. It looked the reason up again by row_number, which is not unique within one statement (a
-- statement may write several datasets' rows), so the detail could give another row's reason; one
-- scan now takes both.
CREATE OR REPLACE FUNCTION lw_refuse_invalid_geom() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad bigint;
  reason text;
BEGIN
  SELECT n.row_number, ST_IsValidReason(n.geom) INTO bad, reason FROM lw_written n WHERE NOT ST_IsValid(n.geom) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'new row for relation "%" violates check constraint "%_geom_valid"', TG_TABLE_NAME, TG_TABLE_NAME
      USING ERRCODE = 'check_violation', DETAIL = format('row_number %s: %s', bad, reason);
  END IF;
  RETURN NULL;
END
$$;
