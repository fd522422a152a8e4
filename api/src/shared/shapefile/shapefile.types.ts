/**
 * Types shared by the shapefile writer modules. Geometry objects follow GeoJSON's layout
 * (`type` + `coordinates`) but carry coordinates of whatever CRS the caller writes: the writer
 * never reprojects. Only x and y are written; a third ordinate is ignored.
 */

/** A coordinate pair (x/easting or lon first); extra ordinates are ignored. */
export type Position = readonly number[];

/** GeoJSON-shaped geometry accepted by the shapefile and GeoPackage writers. */
export type WritableGeometry =
  | { readonly type: 'Point'; readonly coordinates: Position }
  | { readonly type: 'MultiPoint'; readonly coordinates: readonly Position[] }
  | { readonly type: 'LineString'; readonly coordinates: readonly Position[] }
  | { readonly type: 'MultiLineString'; readonly coordinates: readonly (readonly Position[])[] }
  | { readonly type: 'Polygon'; readonly coordinates: readonly (readonly Position[])[] }
  | { readonly type: 'MultiPolygon'; readonly coordinates: readonly (readonly (readonly Position[])[])[] };

/**
 * Shape type of a shapefile layer. One layer holds one type: `polygon` accepts Polygon and
 * MultiPolygon, `polyline` accepts LineString and MultiLineString, `point` accepts Point,
 * `multipoint` accepts Point and MultiPoint.
 */
export type ShapeKind = 'point' | 'multipoint' | 'polyline' | 'polygon';

/** Text encoding of the DBF; named in the `.cpg` file ("UTF-8" or "GBK"). */
export type DbfEncoding = 'utf-8' | 'gbk';

/**
 * A DBF column. `name` is at most 10 bytes in the layer's encoding (5 GBK or 3 UTF-8 Chinese
 * characters). `C` length is in BYTES of that encoding (1–254); `N` has a total width (1–32,
 * sign and decimal point included) and `decimals`; `D` is YYYYMMDD; `L` is T/F/? (null).
 */
export type DbfFieldDef =
  | { readonly name: string; readonly type: 'C'; readonly length: number }
  | { readonly name: string; readonly type: 'N'; readonly length: number; readonly decimals?: number }
  | { readonly name: string; readonly type: 'D' }
  | { readonly name: string; readonly type: 'L' };

/** Values the DBF accepts: null/undefined are written as blank (read back as null). */
export type DbfValue = string | number | bigint | boolean | Date | null | undefined;

/** Attribute values keyed by field name; missing keys are written as null, unknown keys ignored. */
export type DbfRecord = Readonly<Record<string, DbfValue>>;

/** Bounding box [minX, minY, maxX, maxY] in layer units. */
export type BBox = [number, number, number, number];
