-- 0008_validity_at_the_edge: a feature table's geometries stay valid, but the check moves from a
-- CHECK constraint on every row to the two ways rows arrive.
--
-- Why: CHECK (ST_IsValid(geom)) on subject and constraint_feature was the costliest thing PostgreSQL
-- did per imported row (measured at 1,000,000 buildings: 2.3 of ~8 s of routing, on the core that
-- bounds an import). An import already knows most of its rows are valid before they arrive: Node
-- certifies simple single-ring polygons with a margin that survives the transform
-- (imports/simple-polygon.certifier.ts), the route tests every other row with ST_IsValid, and the
-- stage repairs and re-tests what it holds (repair-stage.sql, check-unrepairable.sql). Imports write
-- their new partition directly, before it is attached.
--
-- Every other write goes through the parent table (the city generator, test fixtures, any future
-- code): a statement-level trigger there refuses an invalid geometry with the SQLSTATE of a check
-- violation, so the guard against PGlite's zero-rows trap (an invalid geometry makes some overlays
-- return no rows without an error) stays where it was.

DO $$
DECLARE c record;
BEGIN
  FOR c IN
    SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
    WHERE conrelid IN ('subject'::regclass, 'constraint_feature'::regclass) AND contype = 'c'
      AND pg_get_constraintdef(oid) ILIKE '%st_isvalid(geom)%'
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
  END LOOP;
END
$$;

CREATE FUNCTION lw_refuse_invalid_geom() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE bad bigint;
BEGIN
  SELECT n.row_number INTO bad FROM lw_written n WHERE NOT ST_IsValid(n.geom) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'new row for relation "%" violates check constraint "%_geom_valid"', TG_TABLE_NAME, TG_TABLE_NAME
      USING ERRCODE = 'check_violation', DETAIL = format('row_number %s: %s', bad, (SELECT ST_IsValidReason(n.geom) FROM lw_written n WHERE n.row_number = bad LIMIT 1));
  END IF;
  RETURN NULL;
END
$$;

-- A trigger with transition tables takes one event: one for INSERT, one for UPDATE, per table.
CREATE TRIGGER subject_geom_valid_insert AFTER INSERT ON subject
  REFERENCING NEW TABLE AS lw_written FOR EACH STATEMENT EXECUTE FUNCTION lw_refuse_invalid_geom();
CREATE TRIGGER subject_geom_valid_update AFTER UPDATE ON subject
  REFERENCING NEW TABLE AS lw_written FOR EACH STATEMENT EXECUTE FUNCTION lw_refuse_invalid_geom();
CREATE TRIGGER constraint_feature_geom_valid_insert AFTER INSERT ON constraint_feature
  REFERENCING NEW TABLE AS lw_written FOR EACH STATEMENT EXECUTE FUNCTION lw_refuse_invalid_geom();
CREATE TRIGGER constraint_feature_geom_valid_update AFTER UPDATE ON constraint_feature
  REFERENCING NEW TABLE AS lw_written FOR EACH STATEMENT EXECUTE FUNCTION lw_refuse_invalid_geom();
