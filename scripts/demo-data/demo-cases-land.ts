/**
 * Planted cases about land: basic farmland (FARMLAND, each severity band), cultivated land that is
 * not basic farmland (CULTIVATED, each band), the ecological red line, and the land near misses
 * (edge contact, slivers, a hole in a farmland parcel, an orchard). Intended rules are checked by
 * the oracle when the demo is generated.
 */
import type { CaseKit } from './demo-case-kit.ts';
import { difference, rotRect, type MPoly, type Ring } from './demo-geometry.ts';

const NEW = ['ZONE_USE', 'OUTSIDE_BOUNDARY', 'NO_PERMIT'] as const; // what any unpermitted new build on farmland also triggers

/** Plants the land cases. */
export function plantLandCases(k: CaseKit): void {
  // --- FARMLAND: one case per severity band, a partial overlap, a multipolygon, a stock one ---
  k.add('farmland_light', 'New house on basic farmland (<5 亩, light) / 新建房屋占用永久基本农田',
    k.newBuilding('farmland_light', [[k.alignedRect('BF-A', k.cellCenter('BF-A', 4, 2), 12, 14)]]),
    ['FARMLAND', ...NEW], 'Whole footprint on a 0101 basic-farmland parcel, outside the boundary, no permit.');

  k.add('farmland_general', 'New warehouse on basic farmland (5–10 亩, general) / 仓库占用永久基本农田',
    k.newBuilding('farmland_general', [[k.blockRect('BF-B', 250, 110, 75, 60)]], 1, '钢结构'),
    ['FARMLAND', ...NEW], '75 × 60 m warehouse across four basic-farmland parcels: 6.75 亩.');

  const big: Ring = (() => {
    const r = k.blockRect('BF-A', 860, 70, 120, 70);
    const [a, b, c, d] = r as [Ring[0], Ring[0], Ring[0], Ring[0]];
    // A patch is rarely a clean rectangle: cut one corner.
    return [a, [b[0] - 18, b[1]], [b[0], b[1] + 14], c, d];
  })();
  k.add('farmland_serious_patch', 'Change patch: hardening on basic farmland (≥10 亩, serious) / 卫片图斑硬化占用永久基本农田',
    k.patch('farmland_serious_patch', [[big]], '硬化地面'),
    ['FARMLAND', ...NEW], 'Imagery change patch of about 12.4 亩 wholly on basic farmland.');

  k.add('farmland_partial', 'New building half on basic farmland / 新建房屋部分占用永久基本农田',
    k.newBuilding('farmland_partial', [[k.blockRect('BF-A', 7 * 65 + 27.5, 300, 10, 20)]]),
    ['FARMLAND', ...NEW], 'Straddles the north edge of the rice fields: only the southern half (≈100 m²) is farmland.');

  k.add('farmland_multipolygon', 'Multipolygon building on basic farmland / 多部件建筑占用永久基本农田',
    k.newBuilding('farmland_multipolygon', [[k.blockRect('BF-D', 145, 244, 10, 12)], [k.blockRect('BF-D', 165, 246, 6, 8)]]),
    ['FARMLAND', ...NEW], 'One subject with two parts (house + shed, 10 m apart): the finding sums both parts (168 m²).');

  const stockOnFarmland: MPoly = [[k.alignedRect('BF-E', k.cellCenter('BF-E', 10, 3), 10, 12)]];
  k.add('farmland_stock', 'Old farmhouse on basic farmland (stock) / 存量建筑位于永久基本农田',
    k.stockBuilding('farmland_stock', stockOnFarmland), ['FARMLAND', 'ZONE_USE'],
    'Present in both surveys: stock, so no NO_PERMIT/OUTSIDE_BOUNDARY, but location rules still apply.');

  k.add('patch_multipolygon', 'Two-part change patch on basic farmland / 多部件卫片图斑',
    k.patch('patch_multipolygon', [
      [k.alignedRect('BF-E', k.cellCenter('BF-E', 12, 1), 30, 20)],
      [k.alignedRect('BF-E', k.cellCenter('BF-E', 13, 3), 20, 15)],
    ], '推填土'),
    ['FARMLAND', ...NEW], 'One MultiPolygon patch (600 + 300 m²): findings sum both parts.');

  // --- CULTIVATED (0101–0103 that is not basic farmland): one case per band ---
  k.add('cultivated_light', 'New house on dry land not in basic farmland (<10 亩, light) / 新建房屋占用一般耕地',
    k.newBuilding('cultivated_light', [[k.alignedRect('C3', k.cellCenter('C3', 3, 2), 12, 15)]]),
    ['CULTIVATED', ...NEW], '0103 parcel outside basic farmland.');

  k.add('cultivated_general_patch', 'Change patch: fill on ordinary cultivated land (10–20 亩, general) / 推填土占用一般耕地',
    k.patch('cultivated_general_patch', [[k.blockRect('C2', 170, 50, 120, 75)]], '推填土'),
    ['CULTIVATED', ...NEW], '9000 m² = 13.5 亩 on 0102/0103 parcels south of the river.');

  k.add('cultivated_serious_patch', 'Change patch: new construction land on cultivated land (≥20 亩, serious) / 新增建设占用一般耕地',
    k.patch('cultivated_serious_patch', [[k.blockRect('C1', 150, 60, 160, 100)]], '新增建设用地'),
    ['CULTIVATED', ...NEW], '16000 m² = 24 亩; the other rules land in the 20–40 亩 "general" band of other land.');

  k.add('cultivated_and_farmland', 'New building across basic farmland and ordinary cultivated land / 跨永久基本农田与一般耕地',
    k.newBuilding('cultivated_and_farmland', [[k.alignedRect('BF-C', k.land.blocks.get('BF-C')?.frame.at(200, 210) ?? [0, 0], 24, 10)]]),
    ['FARMLAND', 'CULTIVATED', ...NEW], 'West part on basic farmland, east part on 0103 dry land: each part goes to its own rule, never both.');

  k.add('orchard_not_cultivated', 'New building in an orchard (0201) / 新建房屋位于果园',
    k.newBuilding('orchard_not_cultivated', [[k.alignedRect('ORCH', k.cellCenter('ORCH', 2, 4), 10, 12)]]),
    [...NEW], 'Orchard is not cultivated land and this parcel is not basic farmland: no FARMLAND/CULTIVATED; planning use is still 01.');

  // --- ECO_REDLINE ---
  k.add('redline_new', 'New building inside the ecological red line / 生态保护红线内新建',
    k.newBuilding('redline_new', [[rotRect(600, 2700, 10, 12, 15)]]),
    ['ECO_REDLINE', ...NEW], 'Forest (zone 03) inside the red line.');
  k.add('redline_stock', 'Old building inside the ecological red line (stock) / 红线内存量建筑',
    k.stockBuilding('redline_stock', [[rotRect(400, 2800, 9, 11, -20)]]), ['ECO_REDLINE', 'ZONE_USE'],
    'Stock: location rules only.');

  // --- Near misses on land ---
  plantHoleEnclave(k);
  const bfe = k.land.blocks.get('BF-E');
  if (!bfe) throw new Error('no BF-E');
  // Homestead plots on the south edge of 东湖村's fields, sharing the block's straight edge.
  k.homestead('donghu', [[bfe.frame.rect(224, -16, 24, 16)]]);
  k.add('edge_touch', 'Building touching basic farmland along an edge / 与永久基本农田仅边界相接',
    k.stockBuilding('edge_touch', [[bfe.frame.rect(230, -10, 12, 10)]]), [],
    'Its north wall IS the farmland parcel\'s edge (same vertices line): overlap area 0.');
  k.homestead('donghu', [[bfe.frame.rect(434, -16, 24, 16)]]);
  k.add('sliver_small', 'Digitising offset: 0.08 m into basic farmland / 数字化误差细小重叠',
    k.stockBuilding('sliver_small', [[bfe.frame.rect(440, -9.92, 12, 10)]]), [],
    '0.96 m² (<5 m², 0.8 % <2 %) into farmland and planning zone 01: below both thresholds.');
  const ind = k.land.cores.get('IND');
  if (!ind) throw new Error('no IND');
  k.add('sliver_large_subject', 'Large warehouse 0.25 m over basic farmland / 大型厂房细小越界',
    k.stockBuilding('sliver_large_subject', [[ind.frame.rect(50, -270.25, 50, 40)]], undefined, 1, '钢结构'), [],
    '12.5 m² is above 5 m² but only 0.6 % of the 2000 m² subject (<2 %): the share threshold stops it.');
}

/** A basic-farmland parcel with a hole (a homestead enclave) and a house standing in the hole. */
function plantHoleEnclave(k: CaseKit): void {
  const center = k.cellCenter('BF-A', 11, 2);
  const hole: MPoly = [[k.alignedRect('BF-A', center, 16, 18)]];
  const { parcel, farmland } = k.land.cellParcels('BF-A', 11, 2);
  if (!farmland) throw new Error('BF-A 11,2 must be basic farmland');
  parcel.geom = difference(parcel.geom, hole);
  farmland.geom = difference(farmland.geom, hole);
  k.homestead('hetian', hole);
  k.add('hole_enclave', 'House inside a hole of a basic-farmland parcel / 永久基本农田图斑"洞"内的房屋',
    k.stockBuilding('hole_enclave', [[k.alignedRect('BF-A', center, 8, 10)]]), [],
    'The farmland polygon has an inner ring around the homestead: a bbox or outer-ring-only test would wrongly flag it.');
}
