-- One vector tile encoded by PostGIS itself (ST_AsMVT). Native PostGIS only: PGlite's PostGIS is
-- built without protobuf, so tile-features.sql + the Node encoder stand in for this there.
-- $1 z, $2 x, $3 y, $4 extent, $5 buffer (tile units); $6… the layer's own parameters; the MVT
-- layer name is the last parameter (see tile-sql.builder.ts).
WITH tile AS (
  -- The filter box is the tile plus its buffer in the storage SRID (4490): `geom && box` uses the
  -- GiST index without transforming every row (Martin's query shape).
  SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
         ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => $5::float8 / $4::int), 4490) AS box
),
src AS (
  /*layer*/
),
mvt AS (
  SELECT /*attributes*/,
         ST_AsMVTGeom(ST_Transform(src.geom, 3857), tile.env::box2d, $4::int, $5::int, true) AS geom
  FROM src CROSS JOIN tile
  ORDER BY src.id
)
-- No `WHERE mvt.geom IS NOT NULL`: ST_AsMVT skips rows whose geometry is NULL (clipped away) by
-- itself, and PostgreSQL would push that filter below the ORDER BY and run ST_AsMVTGeom twice per row.
SELECT ST_AsMVT(mvt.*, /*layer_name*/, $4::int, 'geom', 'id') AS mvt
FROM mvt
