import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RULE_CODES, type RuleCode } from './rule-catalog.ts';

/** The ruleset shipped with LandWatch (`data/rulesets/default.json`). */
export const DEFAULT_RULESET_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/rulesets/default.json');

// Codes are compared by prefix in SQL; keep them plain so no value can act as a pattern.
const landCode = z.string().regex(/^[0-9A-Za-z]{1,12}$/, 'must be a land-use code such as 0101 or 03');

const bilingual = z.object({ zh: z.string().min(1), en: z.string().min(1) }).strict();

/** Severity bands of one family, in 亩: below generalMu light, below seriousMu general, else serious. */
const bandsSchema = z
  .object({ generalMu: z.number().nonnegative(), seriousMu: z.number().nonnegative() })
  .strict()
  .refine((b) => b.seriousMu >= b.generalMu, { message: 'seriousMu must not be below generalMu' });

const ruleBase = z
  .object({
    enabled: z.boolean(),
    /** Minimum overlap (m², ellipsoidal) for the rule to fire; defaults.minOverlapM2 when absent. */
    minOverlapM2: z.number().nonnegative().optional(),
    /** Minimum overlap as a share (0..1) of the subject's area; defaults.minShare when absent. */
    minShare: z.number().min(0).max(1).optional(),
    /** Name of the severity band family in `severityBands`. */
    severityBands: z.string().min(1),
  })
  .strict();

/** The ruleset file: one versioned set of thresholds applied the same way everywhere (一把尺子量到底). */
export const rulesetSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.string().regex(/^[0-9A-Za-z._-]{1,40}$/, 'must be a short version label such as 2025.1'),
    title: bilingual.optional(),
    defaults: z.object({ minOverlapM2: z.number().nonnegative(), minShare: z.number().min(0).max(1) }).strict(),
    /** Two buildings of different epochs are the same building when overlap / union ≥ this ratio. */
    buildingMatch: z.object({ minOverlapRatio: z.number().gt(0).max(1) }).strict(),
    /** A matched building grew when its area rose by at least this share AND this many m². */
    expansion: z.object({ minGrowthShare: z.number().min(0), minGrowthM2: z.number().min(0) }).strict(),
    severityBands: z.record(z.string().min(1), bandsSchema),
    /** Rules whose finding means "against the plan" (土地管理法 Art. 77 → demolish and restore). */
    disposition: z.object({ demolishRules: z.array(z.enum(RULE_CODES)) }).strict(),
    rules: z
      .object({
        FARMLAND: ruleBase,
        CULTIVATED: ruleBase.extend({ codes: z.array(landCode).min(1) }).strict(),
        ECO_REDLINE: ruleBase,
        PASSAGE: ruleBase,
        ZONE_USE: ruleBase.extend({ forbiddenCodes: z.array(landCode).min(1) }).strict(),
        REBUILD: ruleBase,
        OUTSIDE_BOUNDARY: ruleBase,
        NO_PERMIT: ruleBase,
        EXPANSION: ruleBase,
      })
      .strict(),
  })
  .strict()
  .superRefine((r, ctx) => {
    for (const code of RULE_CODES) {
      const family = r.rules[code].severityBands;
      if (!r.severityBands[family]) {
        ctx.addIssue({ code: 'custom', path: ['rules', code, 'severityBands'], message: `names no entry of severityBands ("${family}")` });
      }
    }
  });

/** A validated ruleset as written in the file. */
export type RulesetFile = z.output<typeof rulesetSchema>;

/** Thresholds of one rule with the defaults filled in. */
export interface RuleSettings {
  enabled: boolean;
  minOverlapM2: number;
  minShare: number;
  bands: { generalMu: number; seriousMu: number };
}

/** A loaded ruleset: the file's content, its identity, and each rule's effective settings. */
export interface Ruleset {
  file: RulesetFile;
  version: string;
  /** sha256 (hex) of the canonical JSON of the validated content: formatting does not change it. */
  hash: string;
  /** Where it was read from; null when given as an object. */
  path: string | null;
  rule(code: RuleCode): RuleSettings;
}

/** A ruleset that does not validate; `problems` name each field. */
export class RulesetError extends Error {
  readonly code = 'RULESET_INVALID';
  constructor(
    message: string,
    readonly file: string | undefined,
    readonly problems: Array<{ field: string; message: string }>,
  ) {
    super(message);
    this.name = 'RulesetError';
  }
}

/** JSON with object keys sorted, so equal content hashes equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Validates a parsed ruleset object; throws RulesetError naming every bad field. */
export function parseRuleset(input: unknown, source: string | null = null): Ruleset {
  const parsed = rulesetSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(root)', message: i.message }));
    throw new RulesetError(
      `Ruleset ${source ?? '(object)'} is invalid (规则集无效): ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
      source ?? undefined,
      problems,
    );
  }
  const file = parsed.data;
  const { $schema: _ignored, ...content } = file;
  const hash = createHash('sha256').update(canonical(content)).digest('hex');
  return {
    file,
    version: file.version,
    hash,
    path: source,
    rule(code) {
      const r = file.rules[code];
      return {
        enabled: r.enabled,
        minOverlapM2: r.minOverlapM2 ?? file.defaults.minOverlapM2,
        minShare: r.minShare ?? file.defaults.minShare,
        bands: file.severityBands[r.severityBands] as { generalMu: number; seriousMu: number },
      };
    },
  };
}

/** Reads and validates a ruleset file (default: data/rulesets/default.json). Throws RulesetError. */
export async function loadRuleset(filePath: string = DEFAULT_RULESET_PATH): Promise<Ruleset> {
  const resolved = path.resolve(filePath);
  let text: string;
  try {
    text = await readFile(resolved, 'utf8');
  } catch (error) {
    throw new RulesetError(`Cannot read ruleset ${resolved} (无法读取规则集): ${(error as Error).message}`, resolved, []);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RulesetError(`Ruleset ${resolved} is not JSON (规则集不是 JSON): ${(error as Error).message}`, resolved, []);
  }
  return parseRuleset(json, resolved);
}
