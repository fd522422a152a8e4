-- 0002_imports: what the importer needs beyond the core schema.

-- Width of a passage buffered from its centre line (m); NULL for features delivered as polygons.
ALTER TABLE constraint_feature ADD COLUMN width_m double precision;

-- Features an import rejected, with the reason, so a bureau can fix and re-deliver them.
CREATE TABLE import_reject (
  id          bigserial PRIMARY KEY,
  dataset_id  bigint NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
  layer       text,
  row_number  integer NOT NULL,
  source_id   text,
  code        text NOT NULL,
  message     text NOT NULL,
  geom        geometry(Geometry, 4490)     -- as delivered (transformed) when it could be read
);
CREATE INDEX import_reject_dataset_idx ON import_reject (dataset_id, row_number);

-- Features an import repaired with ST_MakeValid: what was wrong, for the import report.
CREATE TABLE import_repair (
  id          bigserial PRIMARY KEY,
  dataset_id  bigint NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,
  row_number  integer NOT NULL,
  source_id   text,
  reason      text NOT NULL
);
CREATE INDEX import_repair_dataset_idx ON import_repair (dataset_id, row_number);

-- ST_Transform that answers NULL instead of raising (a coordinate PROJ cannot project must reject
-- one feature, not abort the whole import).
CREATE FUNCTION lw_try_transform(g geometry, srid integer) RETURNS geometry
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  RETURN ST_Transform(g, srid);
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END
$$;

-- ST_GeomFromGeoJSON that answers NULL for text PostGIS cannot parse (same reason).
CREATE FUNCTION lw_try_geojson(j text) RETURNS geometry
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
  RETURN ST_GeomFromGeoJSON(j);
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END
$$;
