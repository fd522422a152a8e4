/**
 * What each layer kind accepts and which source fields carry its key values. Field names are matched
 * case-insensitively; the first present one wins. These are allow-lists: nothing else is read.
 */

/** Constraint layer kinds (stored in `constraint_feature`), besides districts. */
export const CONSTRAINT_KINDS = [
  'basic_farmland',
  'cultivated_land',
  'planning_zone',
  'development_boundary',
  'ecological_redline',
  'public_passage',
  'permit',
  'demolished_site',
] as const;

/** The eleven layer kinds (DESIGN.md). */
export const KINDS = ['district', ...CONSTRAINT_KINDS, 'building', 'change_patch'] as const;
export type Kind = (typeof KINDS)[number];

/** Kinds analysed as subjects (stored in `subject`); all others are constraint layers. */
export const SUBJECT_KINDS: ReadonlySet<Kind> = new Set(['building', 'change_patch']);

/** Per-kind import profile. */
export interface KindProfile {
  /** Geometry families accepted: polygons always; lines only where a width makes them areas. */
  accepts: ReadonlyArray<'polygon' | 'line'>;
  /** Candidate fields for the source id (e.g. BSM, JCBH); `--id-field` overrides. */
  idFields: readonly string[];
  /** Candidate fields for the classification code (DLBM, use code …). */
  codeFields: readonly string[];
  /** Candidate fields for a human name. */
  nameFields: readonly string[];
  /** Classification system of `code`, stored with it (the same code means different things). */
  codeSystem?: string;
  /** Whether an epoch is required (`--epoch`). */
  needsEpoch?: boolean;
  /** Candidate fields for the width of a centre line, in metres. */
  widthFields?: readonly string[];
}

const COMMON_IDS = ['BSM', 'ID', 'FID', 'OBJECTID', 'GID'];

/** The profile of every kind. */
export const KIND_PROFILES: Record<Kind, KindProfile> = {
  district: {
    accepts: ['polygon'],
    idFields: ['XZQDM', 'ADCODE', 'CODE', 'QHDM', 'GB'],
    codeFields: ['XZQDM', 'ADCODE', 'CODE', 'QHDM', 'GB'],
    nameFields: ['XZQMC', 'NAME', 'QHMC', 'MC'],
  },
  basic_farmland: {
    accepts: ['polygon'],
    idFields: ['BSM', 'YJJBNTTBBH', 'TBBH', ...COMMON_IDS],
    codeFields: ['DLBM'],
    nameFields: ['DLMC'],
    codeSystem: 'GB/T 21010-2017',
  },
  cultivated_land: {
    accepts: ['polygon'],
    idFields: ['BSM', 'TBBH', ...COMMON_IDS],
    codeFields: ['DLBM'],
    nameFields: ['DLMC'],
    codeSystem: 'GB/T 21010-2017',
  },
  planning_zone: {
    accepts: ['polygon'],
    idFields: ['BSM', 'YDBH', 'DKBH', ...COMMON_IDS],
    codeFields: ['YDYHFLDM', 'YDDM', 'GHYTDM', 'YTDM', 'USE_CODE'],
    nameFields: ['YDYHFLMC', 'YDMC', 'GHYTMC', 'YTMC'],
    codeSystem: 'GHYD-2023',
  },
  development_boundary: {
    accepts: ['polygon'],
    idFields: ['BSM', ...COMMON_IDS],
    codeFields: ['GHFQDM'],
    nameFields: ['GHFQMC'],
  },
  ecological_redline: {
    accepts: ['polygon'],
    idFields: ['BSM', 'HXBM', ...COMMON_IDS],
    codeFields: ['HXLX', 'HXBM'],
    nameFields: ['HXMC'],
  },
  public_passage: {
    accepts: ['polygon', 'line'],
    idFields: ['BSM', 'DLBH', 'BH', ...COMMON_IDS],
    codeFields: ['LX', 'TYPE', 'DLLX'],
    nameFields: ['MC', 'NAME', 'DLMC'],
    widthFields: ['KD', 'WIDTH', 'LMKD', 'DLKD', '宽度'],
  },
  permit: {
    accepts: ['polygon'],
    idFields: ['PZWH', 'XKZH', 'BSM', ...COMMON_IDS],
    codeFields: ['PZYT', 'YT'],
    nameFields: ['PZWH', 'XMMC'],
  },
  demolished_site: {
    accepts: ['polygon'],
    idFields: ['BSM', 'CCBH', ...COMMON_IDS],
    codeFields: [],
    nameFields: ['MC', 'NAME'],
  },
  building: {
    accepts: ['polygon'],
    idFields: ['JZBH', 'BSM', 'FWBH', ...COMMON_IDS],
    codeFields: [],
    nameFields: [],
    needsEpoch: true,
  },
  change_patch: {
    accepts: ['polygon'],
    idFields: ['JCBH', 'TBBH', 'BSM', ...COMMON_IDS],
    codeFields: ['TBLX'],
    nameFields: [],
  },
};

/** Default widths (m) of passage centre lines whose own width field is empty, by passage type. */
export const DEFAULT_PASSAGE_WIDTHS_M: Record<string, number> = {
  road: 6,
  fire_lane: 4,
  river: 10,
  default: 6,
};

/** Whether a string names a kind. */
export function isKind(value: string): value is Kind {
  return (KINDS as readonly string[]).includes(value);
}

/** The first field of `candidates` present in `fields` (case-insensitive), or undefined. */
export function pickField(fields: readonly string[], candidates: readonly string[]): string | undefined {
  const byUpper = new Map(fields.map((f) => [f.toUpperCase(), f]));
  for (const c of candidates) {
    const hit = byUpper.get(c.toUpperCase());
    if (hit !== undefined) return hit;
  }
  return undefined;
}
