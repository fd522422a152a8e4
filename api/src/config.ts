import { z } from 'zod';

/** One setting: its environment variable, schema (with default) and a description for docs and errors. */
interface Setting<T extends z.ZodType> {
  env: string;
  schema: T;
  description: string;
}

function setting<T extends z.ZodType>(env: string, schema: T, description: string): Setting<T> {
  return { env, schema, description };
}

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

/** Every LandWatch setting, read from the environment. The README's configuration table lists these. */
export const SETTINGS = {
  port: setting('PORT', z.coerce.number().int().min(0).max(65535).default(3000), 'TCP port the API and map listen on'),
  host: setting('HOST', z.string().min(1).default('127.0.0.1'), 'Interface to bind; 0.0.0.0 to serve other machines'),
  databaseUrl: setting(
    'DATABASE_URL',
    z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    'PostgreSQL/PostGIS server URL; when unset LandWatch uses the embedded PGlite + PostGIS database',
  ),
  dataDir: setting(
    'LANDWATCH_DATA_DIR',
    z.string().min(1).default('./.landwatch'),
    'Folder of the embedded database and job files (":memory:" keeps the database in memory)',
  ),
  logLevel: setting(
    'LOG_LEVEL',
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    'pino log level',
  ),
  maxUploadMb: setting(
    'LANDWATCH_MAX_UPLOAD_MB',
    z.coerce.number().int().min(1).max(20_000).default(512),
    'Largest accepted upload, in MiB',
  ),
  importMaxFeatures: setting(
    'LANDWATCH_IMPORT_MAX_FEATURES',
    z.coerce.number().int().min(1).default(20_000_000),
    'Most features one imported layer may hold; more → FEATURE_LIMIT and nothing is imported',
  ),
  importMaxUncompressedMb: setting(
    'LANDWATCH_IMPORT_MAX_UNCOMPRESSED_MB',
    z.coerce.number().int().min(1).default(8192),
    'Largest total uncompressed size of an uploaded zip, in MiB (ZIP_TOO_LARGE)',
  ),
  importMaxZipRatio: setting(
    'LANDWATCH_IMPORT_MAX_ZIP_RATIO',
    z.coerce.number().min(2).default(1000),
    'Highest compression ratio of a zip member over 1 MiB (ZIP_RATIO_TOO_HIGH: a likely zip bomb)',
  ),
  importMaxZipEntries: setting(
    'LANDWATCH_IMPORT_MAX_ZIP_ENTRIES',
    z.coerce.number().int().min(1).default(10_000),
    'Most entries in an uploaded zip (ZIP_TOO_MANY_ENTRIES)',
  ),
  importMaxParseMb: setting(
    'LANDWATCH_IMPORT_MAX_PARSE_MB',
    z.coerce.number().int().min(1).default(256),
    'Largest single JSON/KML object parsed in memory, in MiB (a whole KML, one GeoJSON feature or line)',
  ),
  importMaxJsonDepth: setting(
    'LANDWATCH_IMPORT_MAX_JSON_DEPTH',
    z.coerce.number().int().min(8).max(10_000).default(64),
    'Deepest JSON nesting accepted in GeoJSON (refused while scanning, before anything is built)',
  ),
  demo: setting(
    'LANDWATCH_DEMO',
    z.preprocess(emptyToUndefined, z.enum(['0', '1', 'true', 'false']).optional()).transform((v) => v === '1' || v === 'true'),
    'Load the demo district into an empty database at start-up (npm start sets it)',
  ),
  mapDist: setting(
    'LANDWATCH_MAP_DIST',
    z.string().min(1).default('map-client/dist'),
    'Folder of the built web map served at /',
  ),
  basemapUrl: setting(
    'LANDWATCH_BASEMAP_URL',
    z.preprocess(emptyToUndefined, z.string().url().optional()),
    'Optional XYZ raster basemap URL template ({z}/{x}/{y}); overrides Tianditu. Default: no basemap (offline)',
  ),
  basemapCrs: setting(
    'LANDWATCH_BASEMAP_CRS',
    z.preprocess(emptyToUndefined, z.enum(['wgs84', 'cgcs2000', 'gcj02']).optional()),
    'Datum of that basemap: wgs84 | cgcs2000 | gcj02 (GCJ-02 tiles are shifted 100–700 m; the map warns)',
  ),
  tiandituToken: setting(
    'LANDWATCH_TIANDITU_TOKEN',
    z.preprocess(emptyToUndefined, z.string().min(8).optional()),
    'Tianditu (天地图) key for its CGCS2000 basemap (vec + labels); reaches the browser',
  ),
  tileCacheMb: setting(
    'LANDWATCH_TILE_CACHE_MB',
    z.coerce.number().min(0).max(65_536).default(64),
    'Memory for rendered vector tiles, in MiB; 0 turns the tile cache off (every request renders)',
  ),
  shutdownTimeoutMs: setting(
    'LANDWATCH_SHUTDOWN_TIMEOUT_MS',
    z.coerce.number().int().min(0).max(600_000).default(10_000),
    'How long a graceful stop waits for open requests before closing them, in ms',
  ),
} as const;

type Settings = typeof SETTINGS;
/** The validated configuration. */
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** A bad setting; the message names the environment variable and what is wrong. */
export class ConfigError extends Error {
  constructor(readonly problems: Array<{ env: string; message: string }>) {
    super(problems.map((p) => `${p.env}: ${p.message}`).join('; '));
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates every setting from `env` (default: process.env), with `overrides` (CLI flags)
 * taking precedence. Throws ConfigError naming each bad key; never returns a partial config.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Record<keyof Settings, unknown>> = {},
): Config {
  const config: Record<string, unknown> = {};
  const problems: Array<{ env: string; message: string }> = [];
  for (const [key, s] of Object.entries(SETTINGS) as Array<[keyof Settings, Setting<z.ZodType>]>) {
    const raw = key in overrides && overrides[key] !== undefined ? overrides[key] : env[s.env];
    const parsed = s.schema.safeParse(raw);
    if (parsed.success) config[key] = parsed.data;
    else problems.push({ env: s.env, message: `${parsed.error.issues.map((i) => i.message).join(', ')} (got ${JSON.stringify(raw)})` });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Config;
}

/** Rows for the README/CLI configuration table: env name, default, description. */
export function describeSettings(): Array<{ env: string; default: string; description: string }> {
  return Object.values(SETTINGS).map((s: Setting<z.ZodType>) => {
    const parsed = s.schema.safeParse(undefined);
    const value = parsed.success ? parsed.data : undefined;
    return { env: s.env, default: value === undefined ? '' : String(value), description: s.description };
  });
}
