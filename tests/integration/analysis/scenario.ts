/**
 * Test helper: a small seeded town (800 m square near 114.0E 22.9N) with every layer kind, two
 * building epochs and change patches, plus the edits a bureau makes between runs. Deterministic:
 * the same seed gives the same layers, so two databases can be built identically.
 */
import type { Db } from '../../../api/src/db/db.types.ts';
import { Rng } from '../../../scripts/demo-data/demo-prng.ts';
import { insertLayer, rectM, type FeatureInput, type LayerInput } from './scene-loader.ts';

/** Deterministic pseudo-random numbers in [0, 1): the demo generator's mulberry32. */
export function seeded(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

interface Box {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

const feature = (b: Box, extra: Partial<FeatureInput> = {}): FeatureInput => ({ id: b.id, geometry: rectM(b.x, b.y, b.w, b.h), ...extra });

/** The town's layers, and the buildings of both epochs as boxes (for edits). */
export interface Town {
  layers: Record<string, LayerInput>;
  old: Box[];
  latest: Box[];
  /** How many building edits were made (keeps added ids unique per town). */
  edits: number;
}

/** Builds the town's layers from a seed; nothing is written yet. */
export function makeTown(seed = 7, buildings = 160): Town {
  const rnd = seeded(seed);
  const villages = [
    { code: '440300001001', name: '东村', x: 0, y: 0 },
    { code: '440300001002', name: '西村', x: 400, y: 0 },
    { code: '440300002001', name: '南村', x: 0, y: 400 },
    { code: '440300002002', name: '北村', x: 400, y: 400 },
  ];
  const district: LayerInput = {
    kind: 'district',
    name: 'xzq',
    features: [
      { code: '440300000000', name: '示范区', level: 'county', geometry: rectM(0, 0, 800, 800) },
      { code: '440300001000', name: '一街道', level: 'township', geometry: rectM(0, 0, 800, 400) },
      { code: '440300002000', name: '二镇', level: 'township', geometry: rectM(0, 400, 800, 400) },
      ...villages.map((v) => ({ code: v.code, name: v.name, level: 'village' as const, geometry: rectM(v.x, v.y, 400, 400) })),
    ],
  };
  const farm: FeatureInput[] = [];
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 8; j++) {
      if ((i + j) % 2 === 1) continue;
      farm.push({ id: `JB${i}${j}`, code: '0101', name: '水田', properties: { BSM: `JB${i}${j}`, DLBM: '0101', DLMC: '水田' }, geometry: rectM(i * 100, j * 100, 100, 100) });
    }
  }
  const old: Box[] = [];
  for (let k = 0; k < buildings; k++) {
    old.push({ id: `JZ${k}`, x: Math.floor(rnd() * 770), y: Math.floor(rnd() * 770), w: 8 + Math.floor(rnd() * 14), h: 8 + Math.floor(rnd() * 14) });
  }
  // The latest epoch: most buildings unchanged, some grown, some shifted a little, some new.
  const latest: Box[] = old.map((b, k) => (k % 10 === 3 ? { ...b, h: Math.round(b.h * 1.6) } : k % 10 === 5 ? { ...b, x: b.x + 1 } : { ...b }));
  for (let k = 0; k < buildings / 4; k++) {
    latest.push({ id: `XZ${k}`, x: Math.floor(rnd() * 770), y: Math.floor(rnd() * 770), w: 8 + Math.floor(rnd() * 14), h: 8 + Math.floor(rnd() * 14) });
  }
  const layers: Record<string, LayerInput> = {
    district,
    farmland: { kind: 'basic_farmland', name: 'jbnt', features: farm },
    cultivated: {
      kind: 'cultivated_land',
      name: 'dltb',
      features: [
        { id: 'GD1', code: '0102', geometry: rectM(0, 0, 800, 250) },
        { id: 'GD2', code: '0201', geometry: rectM(0, 250, 800, 100) },
      ],
    },
    zones: {
      kind: 'planning_zone',
      name: 'ghyd',
      features: [
        { id: 'YD1', code: '0301', geometry: rectM(0, 600, 400, 200) },
        { id: 'YD2', code: '0701', geometry: rectM(400, 600, 400, 200) },
      ],
    },
    boundary: { kind: 'development_boundary', name: 'czkfbj', features: [{ id: 'KF1', code: '010', geometry: rectM(0, 0, 420, 800) }] },
    redline: { kind: 'ecological_redline', name: 'sthx', features: [{ id: 'HX1', code: '01', geometry: rectM(650, 650, 150, 150) }] },
    passage: { kind: 'public_passage', name: 'dlhx', features: [{ id: 'DL1', code: 'road', geometry: rectM(0, 395, 800, 6) }] },
    demolished: { kind: 'demolished_site', name: 'ccdk', features: [{ id: 'CC1', geometry: rectM(100, 500, 80, 80) }] },
    permits: {
      kind: 'permit',
      name: 'pzwj',
      features: [
        { id: 'PZ1', geometry: rectM(200, 200, 120, 120) },
        { id: 'PZ2', geometry: rectM(500, 100, 60, 200) },
      ],
    },
    baseline: { kind: 'building', name: 'jz2023', epoch: '2023-06-30', features: old.map((b) => feature(b)) },
    latest: { kind: 'building', name: 'jz2024', epoch: '2024-06-30', features: latest.map((b) => feature(b)) },
    patches: {
      kind: 'change_patch',
      name: 'wp2024',
      features: [
        { id: 'WP1', geometry: rectM(30, 30, 40, 30) },
        { id: 'WP2', geometry: rectM(610, 660, 60, 60) },
        { id: null, geometry: rectM(300, 700, 25, 25) },
      ],
    },
  };
  return { layers, old, latest, edits: 0 };
}

/** Writes every layer of the town. */
export async function loadTown(db: Db, town: Town): Promise<void> {
  for (const layer of Object.values(town.layers)) await insertLayer(db, layer);
}

/** Edits a bureau makes between runs; each writes a new version of one layer. */
export const EDITS = {
  /** The latest building layer again: 3 removed, 3 moved 30 m, 4 added, the rest identical. */
  async buildings(db: Db, town: Town): Promise<void> {
    const kept = town.latest.filter((_, k) => k % 40 !== 7);
    const moved = kept.map((b, k) => (k % 45 === 11 ? { ...b, x: Math.min(770, b.x + 30) } : b));
    const round = (town.edits += 1);
    const added = [0, 1, 2, 3].map((k) => ({ id: `ADD${round}-${k}`, x: 20 + k * 190 + round * 7, y: 20 + k * 180, w: 15, h: 12 }));
    town.latest = [...moved, ...added];
    await insertLayer(db, { ...town.layers.latest, features: town.latest.map((b) => feature(b)) } as LayerInput);
  },
  /** Farmland again: one parcel removed, one added, the rest identical (twins). */
  async farmland(db: Db, town: Town): Promise<void> {
    const layer = town.layers.farmland as LayerInput;
    const features = layer.features.filter((f) => f.id !== 'JB22');
    features.push({ id: 'JB-NEW', code: '0101', name: '水田', properties: { BSM: 'JB-NEW', DLBM: '0101' }, geometry: rectM(100, 0, 100, 100) });
    town.layers.farmland = { ...layer, features };
    await insertLayer(db, town.layers.farmland);
  },
  /** A new permit layer version adding an approval over part of the town. */
  async permits(db: Db, town: Town): Promise<void> {
    const layer = town.layers.permits as LayerInput;
    town.layers.permits = { ...layer, features: [...layer.features, { id: 'PZ3', geometry: rectM(0, 0, 150, 150) }] };
    await insertLayer(db, town.layers.permits);
  },
  /** The district layer with the village line moved from 400 m to 300 m east. */
  async districts(db: Db, town: Town): Promise<void> {
    const layer = town.layers.district as LayerInput;
    const features = layer.features.map((f) =>
      f.code === '440300001001' ? { ...f, geometry: rectM(0, 0, 300, 400) } : f.code === '440300001002' ? { ...f, geometry: rectM(300, 0, 500, 400) } : f,
    );
    town.layers.district = { ...layer, features };
    await insertLayer(db, town.layers.district);
  },
  /** The baseline building layer re-imported unchanged (a new version whose features are all twins). */
  async baselineAgain(db: Db, town: Town): Promise<void> {
    await insertLayer(db, town.layers.baseline as LayerInput);
  },
  /** The change patches again with a second, identical copy of WP2 (same id, same footprint). */
  async patchesDuplicated(db: Db, town: Town): Promise<void> {
    const layer = town.layers.patches as LayerInput;
    const copy = layer.features.find((f) => f.id === 'WP2');
    town.layers.patches = { ...layer, features: [...layer.features, { ...(copy as (typeof layer.features)[number]) }] };
    await insertLayer(db, town.layers.patches);
  },
  /** The change patches again, one patch grown. */
  async patches(db: Db, town: Town): Promise<void> {
    const layer = town.layers.patches as LayerInput;
    const features = layer.features.map((f) => (f.id === 'WP1' ? { ...f, geometry: rectM(30, 30, 60, 40) } : f));
    town.layers.patches = { ...layer, features };
    await insertLayer(db, town.layers.patches);
  },
};

/**
 * What analysts see, independent of run order: active suspects and their findings. With `ids` the
 * database ids are kept (same database); without, features are named by kind + source id.
 */
export async function snapshot(db: Db, ids = true): Promise<{ suspects: unknown[]; findings: unknown[] }> {
  const { rows: suspects } = await db.query(
    `SELECT su.suspect_key, ${ids ? 'su.id, su.subject_id,' : ''} su.source_id, su.subject_kind, su.epoch, su.is_new, su.status,
            su.rules, su.severity, su.disposition, su.district_code, su.geom_hash,
            round(su.area_m2::numeric, 3) AS area_m2, round(su.overlap_m2::numeric, 3) AS overlap_m2
     FROM suspect su WHERE su.active ORDER BY su.suspect_key`,
  );
  const { rows: findings } = await db.query<{ matched: Array<Record<string, unknown>> }>(
    `SELECT su.suspect_key, f.rule, ${ids ? 'f.subject_id,' : ''} f.severity, round(f.overlap_m2::numeric, 3) AS overlap_m2,
            round(f.share::numeric, 6) AS share, f.matched, f.ruleset_version, f.ruleset_hash,
            round(ST_XMin(f.overlap_geom)::numeric, 8) AS xmin, round(ST_YMax(f.overlap_geom)::numeric, 8) AS ymax
     FROM finding f JOIN suspect su ON su.id = f.suspect_id
     WHERE su.active ORDER BY su.suspect_key, f.rule`,
  );
  if (!ids) for (const f of findings) f.matched = f.matched.map(({ featureId: _f, datasetId: _d, ...rest }) => rest);
  return { suspects, findings };
}
