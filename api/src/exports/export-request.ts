/**
 * Turns what a user typed (HTTP query or CLI options, both as strings) into a validated
 * {@link ExportRequest}. One schema for both, so the API and the CLI accept exactly the same things.
 */
import { z } from 'zod';
import { RULE_CODES, SEVERITIES } from '../analysis/rule-catalog.ts';
import { cgcs2000Gk3Params } from '../shared/shapefile/esri-prj.builder.ts';
import { SUSPECT_STATUSES } from '../suspects/suspect-status.ts';
import { ExportError } from './export-messages.ts';
import { EXPORT_FORMATS, SPLIT_LEVELS, type ExportRequest } from './exports.types.ts';

/** `a,b` or repeated parameters → a non-empty list of allowed values. */
const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

const bbox = z
  .string()
  .transform((s) => s.split(',').map((p) => Number(p.trim())))
  .pipe(
    z
      .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)])
      .refine(([x0, y0, x1, y1]) => x0 <= x1 && y0 <= y1, 'must be minLon,minLat,maxLon,maxLat with min ≤ max'),
  );

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === '');

/** The export parameters, as the HTTP query names them (the CLI maps its options onto these). */
export const exportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS),
  district: z.string().regex(/^\d{1,12}$/, 'must be a district code (2, 4, 6, 9 or 12 digits)').optional(),
  rule: list(RULE_CODES).optional(),
  severity: list(SEVERITIES).optional(),
  status: list(SUSPECT_STATUSES).optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
  // The same names as GET /api/suspects, so the map can export exactly the list it shows.
  min_area_m2: z.coerce.number().nonnegative().optional(),
  bbox: bbox.optional(),
  epoch: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').optional(),
  is_new: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').optional(),
  srs: z.string().regex(/^(EPSG:)?\d{4,5}$/i, 'must be EPSG:n').optional(),
  encoding: z
    .string()
    .transform((s) => s.toLowerCase().replace(/^utf8$/, 'utf-8').replace(/^(cp936|936)$/, 'gbk'))
    .pipe(z.enum(['utf-8', 'gbk']))
    .default('utf-8'),
  byDistrict: flag.default(false),
  level: z.enum(SPLIT_LEVELS).default('village'),
}).strict(); // a misspelt filter must fail, not silently export every district

/** The parsed query, before the checks that depend on more than one parameter. */
export type ExportQuery = z.output<typeof exportQuerySchema>;

/** Every status except `dismissed`: a suspect analysts ruled out is not a 两违 lead any more. */
export const DEFAULT_STATUSES: readonly string[] = SUSPECT_STATUSES.filter((s) => s !== 'dismissed');

/**
 * Normalises a district code to the prefix it denotes: trailing zero groups of a 12-digit code are
 * stripped (`440999101000` → township `440999101`, `440999000000` → county `440999`), and so are
 * those of a 6-digit code (`440900` → city `4409`). Accepts 2, 4, 6, 9 or 12 digits; throws
 * ExportError BAD_DISTRICT otherwise.
 */
export function normaliseDistrictCode(code: string): string {
  const c = code.trim();
  if (!/^\d+$/.test(c) || ![2, 4, 6, 9, 12].includes(c.length)) throw new ExportError('BAD_DISTRICT', 400, c, 'district');
  let p = c;
  if (p.length === 12 && p.endsWith('000')) p = p.slice(0, 9);
  if (p.length === 9 && p.endsWith('000')) p = p.slice(0, 6);
  if (p.length === 6 && p.endsWith('00')) p = p.slice(0, 4);
  if (p.length === 4 && p.endsWith('00')) p = p.slice(0, 2);
  if (p === '00') throw new ExportError('BAD_DISTRICT', 400, c, 'district');
  return p;
}

/** `EPSG:4547` or `4547` → 4547 when LandWatch can write it (4490, 4513–4554); ExportError BAD_SRS otherwise. */
export function parseExportSrs(srs: string | undefined): number {
  if (srs === undefined) return 4490;
  const n = Number(srs.replace(/^EPSG:/i, ''));
  if (n === 4490 || cgcs2000Gk3Params(n)) return n;
  throw new ExportError('BAD_SRS', 400, srs, 'srs');
}

/**
 * Checks a parsed query for combinations no format supports and builds the request. Throws
 * ExportError (400) for a projected SRS outside Shapefile, or GBK outside Shapefile.
 */
export function toExportRequest(q: ExportQuery, now?: Date): ExportRequest {
  const srid = parseExportSrs(q.srs);
  if (srid !== 4490 && q.format !== 'shp') throw new ExportError('SRS_NOT_ALLOWED', 400, `${q.format} with EPSG:${srid}`, 'srs');
  if (q.encoding === 'gbk' && q.format !== 'shp') throw new ExportError('ENCODING_NOT_ALLOWED', 400, q.format, 'encoding');
  return {
    format: q.format,
    filter: {
      districtPrefix: q.district === undefined ? undefined : normaliseDistrictCode(q.district),
      rules: q.rule,
      severities: q.severity,
      statuses: q.status ?? [...DEFAULT_STATUSES],
      active: q.active === 'all' ? undefined : q.active === 'true',
      minAreaM2: q.min_area_m2,
      bbox: q.bbox as [number, number, number, number] | undefined,
      epoch: q.epoch,
      isNew: q.is_new,
    },
    byDistrict: q.byDistrict,
    level: q.level,
    srid,
    encoding: q.encoding,
    now,
  };
}

/**
 * One line for the CLI (the API answers a problem document instead): `name: message` per problem,
 * repeated messages once, parameter names spelt by `nameOf` (e.g. as command-line options).
 */
export function describeQueryError(error: z.ZodError, nameOf: (key: string) => string = (k) => k): string {
  const lines = error.issues.map((i) => {
    const key = typeof i.path[0] === 'string' ? i.path[0] : '';
    const unknown = i.code === 'unrecognized_keys' ? `: ${i.keys.map(nameOf).join(', ')}` : '';
    return `${key ? nameOf(key) : 'options'}: ${i.message}${unknown}`;
  });
  return [...new Set(lines)].join('; ');
}
