-- 0005_imagery: the imagery registry — GeoTIFF dates the map shows as raster tiles (before/after
-- swipe, suspect thumbnails) and change detection can run on by id.
--
-- Files stay where they are (CLI registration) or in the data folder (uploads); the row keeps what
-- rendering needs without reopening them for every request: grid, CRS, band map, the 2–98 % contrast
-- stretch computed once at registration, and a small pre-rendered preview for low zoom levels.
CREATE TABLE imagery (
  id             bigserial PRIMARY KEY,
  name           text NOT NULL,
  acquired_on    date NOT NULL,
  files          jsonb NOT NULL,                     -- ["/abs/path/B02.tif", …]
  band_map       jsonb NOT NULL,                     -- {"red": {"file": 2, "band": 0}, …}: file = index into files
  srs            text NOT NULL,                      -- 'EPSG:32650'
  proj4          text NOT NULL,
  width          integer NOT NULL CHECK (width > 0),
  height         integer NOT NULL CHECK (height > 0),
  geotransform   jsonb NOT NULL,                     -- GDAL order, 6 numbers
  resolution_m   double precision NOT NULL,          -- ground size of a pixel at the centre, metres
  stretch        jsonb NOT NULL,                     -- {"red": [lo, hi], "green": […], "blue": […]}
  preview        jsonb,                              -- {"file": "…/preview.rgba", "width": w, "height": h}
  footprint      geometry(Polygon, 4490) NOT NULL CHECK (ST_IsValid(footprint)),
  sha256         text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),  -- of the band map and file bytes
  notes          jsonb NOT NULL DEFAULT '[]'::jsonb,
  registered_at  timestamptz NOT NULL DEFAULT now(),
  registered_by  text
);
CREATE INDEX imagery_footprint_gix ON imagery USING gist (footprint);
CREATE INDEX imagery_acquired_idx ON imagery (acquired_on);
