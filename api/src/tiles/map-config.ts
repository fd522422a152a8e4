import { z } from 'zod';
import { RULE_CODES, SEVERITIES, STATUSES } from './tile-filters.ts';

/**
 * Basemap settings, read from the environment when the tiles module is created (a bad value stops
 * start-up with a message naming the variable). No basemap is the default: the map then calls no
 * external service at all and works on an office network without internet.
 */
export const BASEMAP_SETTINGS = {
  url: {
    env: 'LANDWATCH_BASEMAP_URL',
    description: 'XYZ raster tile URL template ({z}/{x}/{y}) for an optional basemap; overrides Tianditu',
  },
  crs: {
    env: 'LANDWATCH_BASEMAP_CRS',
    description: 'Datum of that basemap: wgs84 | cgcs2000 | gcj02 (GCJ-02 tiles are shifted 100–700 m; the map warns)',
  },
  tiandituToken: {
    env: 'LANDWATCH_TIANDITU_TOKEN',
    description: 'Tianditu (天地图) key: use its CGCS2000 Web Mercator (_w) vector map + labels as basemap',
  },
} as const;

const schema = z.object({
  url: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
    .refine((u) => u.includes('{z}') && u.includes('{x}') && (u.includes('{y}') || u.includes('{-y}')), 'must contain {z}, {x} and {y}')
    .optional(),
  crs: z.enum(['wgs84', 'cgcs2000', 'gcj02']).optional(),
  tiandituToken: z
    .string()
    .regex(/^[A-Za-z0-9]{8,64}$/, 'must be the 8–64 letters and digits of a Tianditu key')
    .optional(),
});

/** The basemap as the map client receives it; null = none (offline default). */
export interface BasemapConfig {
  provider: 'tianditu' | 'xyz';
  tiles: string[];
  /** A label overlay drawn above the basemap (Tianditu's cva_w annotation layer). */
  labels?: string[];
  crs: 'wgs84' | 'cgcs2000' | 'gcj02';
  /** True when the tiles are GCJ-02 (or BD-09) shifted: they will not line up with survey data. */
  shifted: boolean;
  attribution: string;
}

// Chinese commercial providers publish shifted (GCJ-02 / Baidu BD-09) tiles whatever the URL says.
const SHIFTED_HOSTS = /amap|autonavi|gaode|\.qq\.com|tencent|gtimg|baidu|bdimg|bdstatic/i;

/** Whether a tile URL belongs to a provider known to serve GCJ-02/BD-09-shifted tiles. */
export function looksShifted(url: string): boolean {
  return SHIFTED_HOSTS.test(url);
}

function tianditu(layer: 'vec' | 'cva', token: string): string[] {
  // Tianditu's _w layers are Web Mercator on CGCS2000: they line up with our data with no shift.
  return Array.from({ length: 8 }, (_, i) => `https://t${i}.tianditu.gov.cn/DataServer?T=${layer}_w&x={x}&y={y}&l={z}&tk=${token}`);
}

/**
 * Reads the basemap settings from `env`. Returns null when none is configured; throws an Error naming
 * the variable when a value is invalid.
 */
export function readBasemapConfig(env: Record<string, string | undefined>): BasemapConfig | null {
  const raw = {
    url: env[BASEMAP_SETTINGS.url.env] || undefined,
    crs: env[BASEMAP_SETTINGS.crs.env] || undefined,
    tiandituToken: env[BASEMAP_SETTINGS.tiandituToken.env] || undefined,
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0]) as keyof typeof BASEMAP_SETTINGS;
      return `${BASEMAP_SETTINGS[key]?.env ?? key}: ${i.message}`;
    });
    throw new Error(`Invalid basemap setting: ${problems.join('; ')}`);
  }
  const { url, crs, tiandituToken } = parsed.data;
  if (url) {
    const shifted = crs === 'gcj02' || looksShifted(url);
    return { provider: 'xyz', tiles: [url], crs: shifted ? 'gcj02' : (crs ?? 'wgs84'), shifted, attribution: new URL(url.replace(/[{}]/g, '')).host };
  }
  if (tiandituToken) {
    return {
      provider: 'tianditu',
      tiles: tianditu('vec', tiandituToken),
      labels: tianditu('cva', tiandituToken),
      crs: 'cgcs2000',
      shifted: false,
      attribution: '天地图 Tianditu',
    };
  }
  return null;
}

/** The filter vocabularies the map offers (the same allow-lists the tile routes check). */
export const MAP_FILTERS = { rules: RULE_CODES, severities: SEVERITIES, statuses: STATUSES };
