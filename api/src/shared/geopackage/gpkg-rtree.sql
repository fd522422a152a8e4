-- R-tree spatial index extension (GeoPackage 1.3 §F.3) for one geometry column.
-- Placeholders are substituted with quoted identifiers by geopackage.writer.ts:
--   {rtree} index table, {t} feature table, {c} geometry column, {i} primary key,
--   {trigger:NAME} the quoted trigger name rtree_<t>_<c>_NAME.
-- The triggers call ST_IsEmpty/ST_MinX/… which GDAL and QGIS register; the writer registers its own
-- implementations so rows it inserts are indexed by the same triggers.
CREATE VIRTUAL TABLE {rtree} USING rtree(id, minx, maxx, miny, maxy);

CREATE TRIGGER {trigger:insert} AFTER INSERT ON {t}
WHEN (new.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c}))
BEGIN
  INSERT OR REPLACE INTO {rtree} VALUES (NEW.{i}, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));
END;

CREATE TRIGGER {trigger:update1} AFTER UPDATE OF {c} ON {t}
WHEN OLD.{i} = NEW.{i} AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
BEGIN
  INSERT OR REPLACE INTO {rtree} VALUES (NEW.{i}, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));
END;

CREATE TRIGGER {trigger:update2} AFTER UPDATE OF {c} ON {t}
WHEN OLD.{i} = NEW.{i} AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
BEGIN
  DELETE FROM {rtree} WHERE id = OLD.{i};
END;

CREATE TRIGGER {trigger:update3} AFTER UPDATE ON {t}
WHEN OLD.{i} != NEW.{i} AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
BEGIN
  DELETE FROM {rtree} WHERE id = OLD.{i};
  INSERT OR REPLACE INTO {rtree} VALUES (NEW.{i}, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));
END;

CREATE TRIGGER {trigger:update4} AFTER UPDATE ON {t}
WHEN OLD.{i} != NEW.{i} AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
BEGIN
  DELETE FROM {rtree} WHERE id IN (OLD.{i}, NEW.{i});
END;

CREATE TRIGGER {trigger:delete} AFTER DELETE ON {t}
WHEN old.{c} NOT NULL
BEGIN
  DELETE FROM {rtree} WHERE id = OLD.{i};
END;
