import { z } from 'zod';
import { fromZodError } from '../http/error.middleware.ts';
import type { HttpError } from '../http/http-error.ts';
import { RULE_CODES, SEVERITIES } from '../analysis/rule-catalog.ts';
import type { LayerSource } from './tile-layers.ts';

/** Rule codes and severities: the analysis catalogue is the allow-list (one list, one place). */
export { RULE_CODES, SEVERITIES };
/** Suspect statuses (0001_core.sql CHECK). */
export const STATUSES = ['new', 'confirmed', 'dismissed', 'in_progress', 'resolved'] as const;
/** District levels (0001_core.sql CHECK). */
export const DISTRICT_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;

/** Validated filters of one tile request: SQL values in `$6…` order and a canonical cache key. */
export interface TileFilters {
  /** Values for the layer SQL's own parameters (`$6` onwards), nulls where a filter is absent. */
  values: unknown[];
  /** Canonical `a=b&c=d` form (sorted, normalised): cache key part and the TileJSON tiles query. */
  canonical: string;
}

/** `a,b` or `a&…&a` (Express gives arrays for repeated keys) → unique sorted list; '' → undefined. */
function listOf<T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((raw) => {
    if (raw === undefined || raw === '') return undefined;
    const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(','));
    const cleaned = [...new Set(parts.map((p) => p.trim()).filter((p) => p.length > 0))].sort();
    return cleaned.length > 0 ? cleaned : undefined;
  }, z.array(z.enum(values)).max(values.length).optional());
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a calendar date')
  .optional();

// `v` lets a client bust its own HTTP cache; the server ignores it (its cache follows the data).
const cacheBuster = z.string().max(64).optional();

const SCHEMAS = {
  constraint: z.object({ v: cacheBuster }).strict(),
  district: z.object({ v: cacheBuster, level: listOf(DISTRICT_LEVELS) }).strict(),
  subject: z.object({ v: cacheBuster, epoch: isoDate }).strict(),
  suspect: z
    .object({
      v: cacheBuster,
      rule: listOf(RULE_CODES),
      severity: listOf(SEVERITIES),
      status: listOf(STATUSES),
      district: z
        .string()
        .regex(/^\d{2,12}$/, 'must be a district code or its leading digits (2–12 digits)')
        .optional(),
      epoch: isoDate,
      minArea: z.coerce.number().min(0).max(1e10).optional(),
    })
    .strict(),
} as const;

/**
 * The leading digits that every code inside a district shares: a 12-digit code loses its trailing
 * zero groups (village 3, township 3, county 2, city 2 digits), so `440305000000` → `440305`.
 * Shorter input is already a prefix and is returned as is.
 */
export function districtPrefix(code: string): string {
  if (code.length !== 12) return code;
  if (!code.endsWith('000')) return code;
  if (!code.endsWith('000000')) return code.slice(0, 9);
  if (!code.endsWith('00000000')) return code.slice(0, 6);
  if (!code.endsWith('0000000000')) return code.slice(0, 4);
  return code.slice(0, 2);
}

function canonicalQuery(entries: Array<[string, unknown]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (v === undefined || v === null) continue;
    params.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  return params.toString();
}

/**
 * Validates the query of a tile or TileJSON request for a layer fed from `source`, against the
 * allow-lists above. Returns the filters, or the 400 HttpError naming each bad field. `kind` is the
 * layer's own parameter (constraint/subject kind) and always comes first.
 */
export function parseTileFilters(
  source: LayerSource,
  kind: string,
  query: unknown,
): { ok: true; filters: TileFilters } | { ok: false; error: HttpError } {
  const parsed = SCHEMAS[source].safeParse(query ?? {});
  if (!parsed.success) return { ok: false, error: fromZodError(parsed.error, 'query') };
  switch (source) {
    case 'constraint':
      return { ok: true, filters: { values: [kind], canonical: '' } };
    case 'district': {
      const q = parsed.data as z.output<(typeof SCHEMAS)['district']>;
      return { ok: true, filters: { values: [q.level ?? null], canonical: canonicalQuery([['level', q.level]]) } };
    }
    case 'subject': {
      const q = parsed.data as z.output<(typeof SCHEMAS)['subject']>;
      return { ok: true, filters: { values: [kind, q.epoch ?? null], canonical: canonicalQuery([['epoch', q.epoch]]) } };
    }
    case 'suspect': {
      const q = parsed.data as z.output<(typeof SCHEMAS)['suspect']>;
      const prefix = q.district === undefined ? undefined : districtPrefix(q.district);
      return {
        ok: true,
        filters: {
          values: [q.rule ?? null, q.severity ?? null, q.status ?? null, prefix ?? null, q.epoch ?? null, q.minArea ?? null],
          canonical: canonicalQuery([
            ['rule', q.rule],
            ['severity', q.severity],
            ['status', q.status],
            ['district', prefix],
            ['epoch', q.epoch],
            ['minArea', q.minArea],
          ]),
        },
      };
    }
  }
}
