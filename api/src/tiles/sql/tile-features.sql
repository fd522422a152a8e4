-- The features of one vector tile already in tile coordinates, for the Node encoder (vt-pbf). Used on
-- PGlite, whose PostGIS has no ST_AsMVT/ST_AsMVTGeom; it repeats ST_AsMVTGeom's steps with functions
-- both builds have, so both backends draw the same tile (tests/integration/tiles compare them).
-- $1 z, $2 x, $3 y, $4 extent, $5 buffer (tile units); $6… the layer's own parameters.
WITH tile AS (
  SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
         ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => $5::float8 / $4::int), 4490) AS box
),
frame AS (
  -- Tile units per metre of Web Mercator, the tile's top-left corner, and the clip box (tile + buffer).
  SELECT $4::float8 / (ST_XMax(env) - ST_XMin(env)) AS scale,
         ST_XMin(env) AS x0,
         ST_YMax(env) AS y0,
         ST_MakeEnvelope(-$5::float8, -$5::float8, $4::float8 + $5::float8, $4::float8 + $5::float8)::box2d AS clip
  FROM tile
),
src AS (
  /*layer*/
),
projected AS (
  SELECT src.*, ST_Transform(src.geom, 3857) AS merc FROM src
),
gridded AS (
  -- ST_AsMVTGeom's steps (PostGIS 3.1–3.4): drop features smaller than half a tile unit both ways;
  -- remove points closer than half a unit and simplify (Douglas-Peucker) to half a unit, in metres;
  -- move into tile units with y pointing down; snap to the integer grid; drop points on straight lines.
  SELECT projected.*, frame.clip,
         ST_Simplify(
           ST_SnapToGrid(
             ST_Affine(ST_Simplify(ST_RemoveRepeatedPoints(merc, 0.5 / scale), 0.5 / scale, false),
                       scale, 0, 0, -scale, -x0 * scale, y0 * scale),
             1),
           0) AS t
  FROM projected CROSS JOIN frame
  WHERE NOT (ST_XMax(merc) - ST_XMin(merc) < 0.5 / scale AND ST_YMax(merc) - ST_YMin(merc) < 0.5 / scale)
),
clipped AS (
  -- Clip to tile + buffer only when the feature crosses it; the cut points are snapped again.
  SELECT gridded.*,
         CASE WHEN t::box2d @ clip THEN t ELSE ST_SnapToGrid(ST_ClipByBox2D(t, clip), 1) END AS c
  FROM gridded
  WHERE t IS NOT NULL AND NOT ST_IsEmpty(t) AND t::box2d && clip
),
valid AS (
  -- Snapping can fold a ring onto itself: repair (MakeValid may add crossing points off the grid, so
  -- snap and repair once more), keep only polygons (spikes become lines and go), and orient rings
  -- the MVT way: exterior rings with positive area in tile coordinates = counter-clockwise for PostGIS.
  SELECT clipped.*,
         ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(ST_MakeValid(c), 1)), 3)) AS v
  FROM clipped
  WHERE c IS NOT NULL AND NOT ST_IsEmpty(c)
)
SELECT /*attributes*/, ST_AsGeoJSON(v, 0) AS geometry
FROM valid AS src
WHERE NOT ST_IsEmpty(v)
ORDER BY src.id
