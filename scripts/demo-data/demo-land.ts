/**
 * Land layers of the demo township: 三调 DLTB parcels, basic farmland, planning zones, the
 * development boundary and the ecological red line. Farm blocks are jittered grids whose cells
 * share vertices, so parcels tile each block exactly and basic farmland copies its parcels'
 * geometry (the way real YJJBNTTB derives from DLTB).
 */
import { VILLAGES, type VillageKey } from './demo-districts.ts';
import { corridor, difference, frame, intersection, normalize, union, type Frame, type MPoly, type Pt, type Ring } from './demo-geometry.ts';
import { BLOCKS, CORES, FOREST, PARK, POND, REDLINE, riverLine, RIVER_HALF_WIDTH, STATION, TOWN_BOUNDARY, type BlockDef, type CoreDef } from './demo-layout.ts';
import type { Rng } from './demo-prng.ts';
import type { BoundaryPart, District, FarmlandParcel, Parcel, Redline, Zone } from './demo.types.ts';

/** A farm block after jittering: its frame and cell vertices. */
export interface Block {
  readonly def: BlockDef;
  readonly frame: Frame;
  /** Vertex (i, j), 0 ≤ i ≤ nx, 0 ≤ j ≤ ny. */
  vertex(i: number, j: number): Pt;
  /** Cell (i, j) as a counter-clockwise ring. */
  cell(i: number, j: number): Ring;
}

/** A settlement core and its frame (origin at the centre, u along its width). */
export interface Core {
  readonly def: CoreDef;
  readonly frame: Frame;
  readonly geom: MPoly;
}

/** Land layers plus handles the planted cases use to find parcels and cores. */
export interface Land {
  readonly parcels: Parcel[];
  readonly farmland: FarmlandParcel[];
  readonly zones: Zone[];
  readonly boundary: BoundaryPart[];
  readonly redlines: Redline[];
  readonly riverCorridor: MPoly;
  readonly blocks: ReadonlyMap<string, Block>;
  readonly cores: ReadonlyMap<string, Core>;
  /** DLTB parcel and (when any) basic-farmland parcel of block cell (i, j). */
  cellParcels(block: string, i: number, j: number): { parcel: Parcel; farmland?: FarmlandParcel };
}

const DLMC: Readonly<Record<string, string>> = {
  '0101': '水田', '0102': '水浇地', '0103': '旱地', '0201': '果园', '0301': '乔木林地', '0601': '工业用地',
  '05H1': '商业服务业设施用地', '0701': '城镇住宅用地', '0702': '农村宅基地', '0810': '公园与绿地',
  '1005': '交通服务场站用地', '1101': '河流水面', '1104': '坑塘水面',
};

/** 三调 land-class name of a DLBM code ('' when unknown). */
export function dlmc(code: string): string {
  return DLMC[code] ?? '';
}

/** Builds all land layers except planning zone 01 (see {@link finishZones}). */
export function buildLand(rng: Rng, districts: readonly District[]): Land {
  const township = districts.find((d) => d.level === 'township')?.geom ?? [];
  const villageGeom = (k: VillageKey): MPoly => districts.find((d) => d.code === VILLAGES[k].code)?.geom ?? [];
  const parcels: Parcel[] = [];
  const farmland: FarmlandParcel[] = [];
  const parcelByCell = new Map<string, Parcel>();
  const farmlandByCell = new Map<string, FarmlandParcel>();
  const blocks = new Map<string, Block>();
  const addParcel = (village: VillageKey, dlbm: string, geom: MPoly): Parcel => {
    const p: Parcel = { bsm: '', tbbh: '', dlbm, village: VILLAGES[village].code, geom };
    parcels.push(p);
    return p;
  };

  for (const def of BLOCKS) {
    const fr = frame(def.origin, def.angle);
    const verts: Pt[][] = [];
    for (let i = 0; i <= def.nx; i++) {
      verts.push([]);
      for (let j = 0; j <= def.ny; j++) {
        // Outer vertices stay on the block's straight edges (field edges along ditches and roads).
        const inner = i > 0 && i < def.nx && j > 0 && j < def.ny;
        const du = inner ? rng.range(-0.12, 0.12) * def.cw : 0;
        const dv = inner ? rng.range(-0.12, 0.12) * def.ch : 0;
        verts[i]?.push(fr.at(i * def.cw + du, j * def.ch + dv));
      }
    }
    const vertex = (i: number, j: number): Pt => verts[i]?.[j] ?? [NaN, NaN];
    const cell = (i: number, j: number): Ring => [vertex(i, j), vertex(i + 1, j), vertex(i + 1, j + 1), vertex(i, j + 1)];
    blocks.set(def.key, { def, frame: fr, vertex, cell });
    const mergedLeft = (i: number, j: number): boolean => (def.mergedBf ?? []).some(([a, b]) => a === i && b === j);
    for (let j = 0; j < def.ny; j++) {
      for (let i = 0; i < def.nx; i++) {
        const plan = def.plan(i, j);
        const parcel = addParcel(def.village, plan.dlbm, [[cell(i, j)]]);
        parcelByCell.set(`${def.key}:${i},${j}`, parcel);
        if (!plan.bf || mergedLeft(i - 1, j)) continue; // right half of a merged pair: already covered
        // Some basic-farmland parcels span two DLTB parcels, as in real delineations.
        const ring: Ring = mergedLeft(i, j)
          ? [vertex(i, j), vertex(i + 1, j), vertex(i + 2, j), vertex(i + 2, j + 1), vertex(i + 1, j + 1), vertex(i, j + 1)]
          : cell(i, j);
        const f: FarmlandParcel = { bsm: '', bh: '', source: parcel, dlbm: plan.dlbm, village: VILLAGES[def.village].code, geom: [[ring]] };
        farmland.push(f);
        farmlandByCell.set(`${def.key}:${i},${j}`, f);
        if (mergedLeft(i, j)) farmlandByCell.set(`${def.key}:${i + 1},${j}`, f);
      }
    }
  }

  const cores = new Map<string, Core>();
  const zones: Zone[] = [];
  const boundary: BoundaryPart[] = [];
  for (const def of CORES) {
    const fr = frame(def.center, def.angle);
    const ring = coreRing(rng, fr, def);
    const geom: MPoly = [[ring]];
    cores.set(def.key, { def, frame: fr, geom });
    zones.push({ bsm: '', code: def.zone, geom });
    addParcel(def.village, def.dlbm, geom);
    if (def.key === 'TOWN_R' || def.key === 'TOWN_C') continue; // inside the town's boundary part
    const [u0, u1] = def.boundaryU ?? [-def.w / 2 - 5, def.w / 2 + 5];
    const isTown = def.key === 'IND';
    boundary.push({ code: isTown ? '11' : '12', name: isTown ? '城镇集中建设区' : '城镇弹性发展区', geom: [[fr.rect(u0, -def.h / 2 - 5, u1 - u0, def.h + 10)]] });
  }
  boundary.push({ code: '11', name: '城镇集中建设区', geom: [[[...TOWN_BOUNDARY] as Ring]] });

  zones.push({ bsm: '', code: '14', geom: [[[...PARK] as Ring]] });
  zones.push({ bsm: '', code: '12', geom: [[[...STATION] as Ring]] });
  zones.push({ bsm: '', code: '17', geom: [[[...POND] as Ring]] });
  addParcel('xintang', '0810', [[[...PARK] as Ring]]);
  addParcel('xintang', '1005', [[[...STATION] as Ring]]);
  addParcel('donghu', '1104', [[[...POND] as Ring]]);
  const riverCorridor: MPoly = [[corridor(riverLine(), RIVER_HALF_WIDTH)]];
  const riverInTownship = intersection(riverCorridor, township);
  zones.push({ bsm: '', code: '17', geom: riverInTownship, cut: riverCorridor });
  const forestRaw: MPoly = [[[...FOREST] as Ring]];
  const forest = intersection(forestRaw, township);
  zones.push({ bsm: '', code: '03', geom: forest, cut: forestRaw });
  for (const key of Object.keys(VILLAGES) as VillageKey[]) {
    for (const [code, g] of [['1101', riverInTownship], ['0301', forest]] as const) {
      const part = intersection(g, villageGeom(key));
      for (const poly of part) addParcel(key, code, [poly]);
    }
  }
  const redlines: Redline[] = [{ code: '440999-STBH-0001', name: '安澜县北部山地水源涵养生态保护红线', kind: '水源涵养', geom: [[[...REDLINE] as Ring]] }];
  return {
    parcels,
    farmland,
    zones,
    boundary,
    redlines,
    riverCorridor,
    blocks,
    cores,
    cellParcels(block, i, j) {
      const parcel = parcelByCell.get(`${block}:${i},${j}`);
      if (!parcel) throw new Error(`no parcel ${block} ${i},${j}`);
      const f = farmlandByCell.get(`${block}:${i},${j}`);
      return f ? { parcel, farmland: f } : { parcel };
    },
  };
}

/**
 * Adds planning zone 01 (耕地) as everything in the township that no other zone covers, so zones
 * tile the township. Call after the planted cases added their own zone pieces.
 */
export function finishZones(zones: Zone[], township: MPoly): void {
  const rest = difference(township, union(zones.map((z) => z.cut ?? z.geom)));
  zones.push({ bsm: '', code: '01', geom: rest.map((p) => normalize(p)) });
}

/** Core outline: the rotated rectangle with edge midpoints pulled in by up to 6 m (never out). */
function coreRing(rng: Rng, fr: Frame, def: CoreDef): Ring {
  const hw = def.w / 2;
  const hh = def.h / 2;
  if (def.straight) return fr.rect(-hw, -hh, def.w, def.h);
  return [
    fr.at(-hw, -hh), fr.at(rng.range(-0.2, 0.2) * hw, -hh + rng.range(0, 6)),
    fr.at(hw, -hh), fr.at(hw - rng.range(0, 6), rng.range(-0.2, 0.2) * hh),
    fr.at(hw, hh), fr.at(rng.range(-0.2, 0.2) * hw, hh - rng.range(0, 6)),
    fr.at(-hw, hh), fr.at(-hw + rng.range(0, 6), rng.range(-0.2, 0.2) * hh),
  ];
}
