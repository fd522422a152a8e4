-- 0009_district_piece_cache: the districts cut into pieces for placing suspects, kept between analysis
-- runs instead of cut again by every run.
--
-- Why: cutting every district (ST_Subdivide) took ~1.1 s of every run at county scale (3,700
-- villages), incremental runs of a few buildings included, while district boundaries change a few
-- times a year.
--
-- Freshness: every write to district bumps district_version (a statement trigger, in the writer's own
-- transaction, so the new version is seen exactly when the new boundaries are); district_piece_build
-- records which version and piece size the pieces were cut from. An analysis whose recorded version
-- is not the current one cuts them again (ensure-district-pieces.sql). Only analyses write the pieces,
-- and they run one at a time (their advisory lock). The version and the build record are two rows on
-- purpose: an analysis holds its row lock on the build record until it commits, and a district import
-- must not wait a whole analysis for it.

CREATE TABLE district_piece (
  code  text NOT NULL,
  rank  integer NOT NULL,      -- level, most detailed highest: village 5, township 4, county 3, city 2, province 1
  geom  geometry NOT NULL
);
CREATE INDEX district_piece_geom_gix ON district_piece USING gist (geom);

CREATE TABLE district_version (
  id       boolean PRIMARY KEY DEFAULT true CHECK (id),
  version  bigint NOT NULL
);
INSERT INTO district_version (version) VALUES (1);

CREATE TABLE district_piece_build (
  id            boolean PRIMARY KEY DEFAULT true CHECK (id),
  version       bigint NOT NULL,
  max_vertices  integer NOT NULL
);

CREATE FUNCTION lw_district_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE district_version SET version = version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER district_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON district
  FOR EACH STATEMENT EXECUTE FUNCTION lw_district_changed();
