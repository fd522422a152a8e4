import { RULE_CODES, SEVERITIES } from '../analysis/rule-catalog.ts';
import { problemResponse, type OpenApiFragment } from '../http/openapi.ts';
import { SUSPECT_STATUSES } from '../suspects/suspect-status.ts';
import { CONTENT_TYPES } from './exports.service.ts';
import { EXPORT_FORMATS, SPLIT_LEVELS } from './exports.types.ts';

const q = (name: string, description: string, schema: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name,
  in: 'query',
  description,
  schema,
  ...extra,
});
const csvList = (values: readonly string[]) => ({ type: 'array', items: { type: 'string', enum: [...values] } });

/** OpenAPI description of the export route. */
export const exportsOpenApi: OpenApiFragment = {
  paths: {
    '/api/exports/suspects': {
      get: {
        operationId: 'exportSuspects',
        summary: 'Download the suspect list: XLSX (summary, community ledger, detail), CSV, GeoJSON, Shapefile (zip) or KML / 导出疑似图斑清单与台账',
        description:
          'Streamed from a database cursor, so any number of suspects exports in bounded memory. By default only ' +
          'suspects the latest analysis still flags (active) and not dismissed. Filters combine with AND; lists ' +
          'take `a,b` or repeated parameters. Unknown parameters are refused (400), so a misspelt filter cannot ' +
          'silently export everything. The file name (Content-Disposition, RFC 5987 `filename*`) reads ' +
          '`两违图斑_<district>_<YYYYMMDD>.<ext>`; `X-LandWatch-Rows` carries the row count.',
        tags: ['exports'],
        parameters: [
          q('format', 'File format', { type: 'string', enum: [...EXPORT_FORMATS] }, { required: true }),
          q('district', 'District code or prefix: county 6, township 9, village 12 digits (trailing 000 groups are stripped)', { type: 'string', pattern: '^\\d{1,12}$' }, { examples: ['440999101'] }),
          q('rule', 'Any of these rules', csvList(RULE_CODES), { style: 'form', explode: false }),
          q('severity', 'Any of these severities', csvList(SEVERITIES), { style: 'form', explode: false }),
          q('status', 'Any of these statuses (default: all but dismissed)', csvList(SUSPECT_STATUSES), { style: 'form', explode: false }),
          q('active', 'Still flagged by the latest run', { type: 'string', enum: ['true', 'false', 'all'], default: 'true' }),
          q('min_area_m2', 'Smallest subject area, m²', { type: 'number', minimum: 0 }),
          q('bbox', 'minLon,minLat,maxLon,maxLat (EPSG:4490)', { type: 'string' }),
          q('epoch', 'Survey epoch', { type: 'string', format: 'date' }),
          q('is_new', 'New since the baseline (增量) or stock (存量)', { type: 'boolean' }),
          q('srs', 'Shapefile coordinate system: EPSG:4490 (default) or a CGCS2000 3° GK zone EPSG:4513–4554', { type: 'string', examples: ['EPSG:4547'] }),
          q('encoding', 'Shapefile DBF text encoding (named in the .cpg)', { type: 'string', enum: ['utf-8', 'gbk'], default: 'utf-8' }),
          q('byDistrict', 'A zip with one file per district unit', { type: 'boolean', default: false }),
          q('level', 'Unit of a by-district split', { type: 'string', enum: [...SPLIT_LEVELS], default: 'village' }),
        ],
        responses: {
          '200': {
            description: 'The file, streamed',
            headers: {
              'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename="…"; filename*=UTF-8\'\'…' },
              'X-LandWatch-Rows': { schema: { type: 'integer' }, description: 'Suspects in the export' },
            },
            content: Object.fromEntries([...new Set(Object.values(CONTENT_TYPES))].map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
          },
          '400': problemResponse('Bad format, filter, SRS or encoding'),
          '404': problemResponse('The district code names no district'),
        },
      },
    },
  },
};
