/**
 * Planted cases about construction: passages (road, default-width road, fire lane, river), the
 * development boundary, planning use, permits (none / partial / full), rebuilding on demolished
 * sites, expansion of stock buildings, and the near misses that must stay silent.
 */
import type { CaseKit } from './demo-case-kit.ts';
import { rotRect, shift, type MPoly, type Pt, type Ring } from './demo-geometry.ts';
import { LINES, PARK, riverLine } from './demo-layout.ts';

const OUT_NEW = ['OUTSIDE_BOUNDARY', 'NO_PERMIT'] as const;

function lineOf(key: string): Pt[] {
  const l = LINES.find((x) => x.key === key);
  if (!l) throw new Error(`no line ${key}`);
  return l.line;
}

/** Plants the construction cases. */
export function plantBuildCases(k: CaseKit): void {
  plantPassages(k);

  // --- OUTSIDE_BOUNDARY: 青竹村's core is only partly inside the development boundary ---
  k.add('outside_boundary', 'New house outside the development boundary / 城镇开发边界外新建',
    k.newBuilding('outside_boundary', [[k.coreRect('QZ', -150, 0, 10, 12)]]), [...OUT_NEW],
    'Village land (zone 07) west of the boundary: the boundary and permit rules fire, nothing else.');
  k.add('outside_boundary_partial', 'New house straddling the development boundary / 跨开发边界新建',
    k.newBuilding('outside_boundary_partial', [[k.coreRect('QZ', -30, 60, 10, 14)]]), [...OUT_NEW],
    'Half of it (≈70 m²) lies outside the boundary; NO_PERMIT counts all of it.');
  k.add('outside_boundary_stock', 'Old house outside the development boundary (stock) / 开发边界外存量房屋',
    k.stockBuilding('outside_boundary_stock', [[k.coreRect('QZ', -120, -60, 10, 12)]]), [],
    'OUTSIDE_BOUNDARY is about new construction; a stock building there is not flagged.');

  // --- ZONE_USE: park (14), fish pond (17) ---
  k.add('zone_park_new', 'New building in the town park (use 14) / 公园绿地内新建',
    k.newBuilding('zone_park_new', [[rotRect(2580, 1000, 8, 10, 0)]]), ['ZONE_USE', 'NO_PERMIT'],
    'Inside the development boundary, but the planned use is green space.');
  k.add('zone_park_stock', 'Old kiosk in the town park (stock) / 公园内存量小屋',
    k.stockBuilding('zone_park_stock', [[rotRect((PARK[0]?.[0] ?? 0) + 50, 1140, 6, 8, 0)]], undefined, 1, '简易'), ['ZONE_USE'],
    'Stock: planning use still applies.');
  k.add('zone_water_new', 'New shed over a fish pond (use 17) / 鱼塘上新建棚房',
    k.newBuilding('zone_water_new', [[rotRect(3950, 1830, 8, 12, 10)]], 1, '简易'), ['ZONE_USE', ...OUT_NEW],
    'Pond is water (zone 17, DLTB 1104): not cultivated, not a passage.');

  // --- NO_PERMIT and permits ---
  k.add('no_permit', 'New house without permit inside the boundary / 开发边界内未批新建',
    k.newBuilding('no_permit', [[k.coreRect('DH', 150, 60, 11, 13)]], 3), ['NO_PERMIT'],
    'Village land, inside the boundary: only the permit is missing.');
  k.add('no_permit_town', 'New town house without permit / 集镇未批新建',
    k.newBuilding('no_permit_town', [[rotRect(1640, 1250, 16, 20, 0)]], 5, '钢混'), ['NO_PERMIT'], 'Town residential block.');
  const partial = k.coreRect('SL', -100, 60, 12, 25);
  k.permit('安澜宅审〔2024〕0217号', '2024-03-18', '农村宅基地', [[k.coreRect('SL', -100, 60 - 12.5 - 2 + 19 / 2, 16, 19)]]);
  k.add('permit_partial', 'New house only partly covered by its permit / 超出批准范围建设',
    k.newBuilding('permit_partial', [[partial]], 3), ['NO_PERMIT'],
    'The homestead approval covers the southern 17 m of the 25 m house: 8 × 12 = 96 m² (32 %) is unapproved.');
  const edgeX = k.grid.verticalEdgeX(2, 0, 615);
  k.add('no_permit_two_villages', 'New building across a village border / 跨村界新建',
    k.newBuilding('no_permit_two_villages', [[[[edgeX - 6, 600], [edgeX + 14, 600], [edgeX + 14, 630], [edgeX - 6, 630]]]], 1, '钢结构'),
    ['ZONE_USE', ...OUT_NEW], 'About 70 % lies in 溪口社区 and 30 % in 新塘社区: the suspect belongs to 溪口社区.');
  const fullGeom = k.alignedRect('C3', k.cellCenter('C3', 6, 1), 12, 15);
  k.permit('粤府土审（09）〔2024〕112号', '2024-06-05', '农村村民住宅', [[k.alignedRect('C3', k.cellCenter('C3', 6, 1), 18, 21)]]);
  k.add('permit_full', 'New house on cultivated land, fully covered by a conversion approval / 已批农转用',
    k.newBuilding('permit_full', [[fullGeom]]), [],
    'Dry land, planning use 01, outside the boundary — but all of it is approved (农转用), so nothing remains to flag.');
  const inBoundary = k.coreRect('DH', -150, -60, 10, 12);
  k.permit('安澜宅审〔2024〕0305号', '2024-09-12', '农村宅基地', [[k.coreRect('DH', -150, -60, 16, 18)]]);
  k.add('permit_inside_boundary', 'New house with permit inside the boundary / 开发边界内已批新建',
    k.newBuilding('permit_inside_boundary', [[inBoundary]], 3), [], 'Lawful new construction.');
  const ind = k.land.cores.get('IND');
  if (!ind) throw new Error('no IND');
  k.permit('安澜供〔2024〕7号', '2024-02-27', '工业', [[ind.frame.rect(-235, 100, 70, 60)]]);
  k.add('patch_permitted', 'Change patch on an approved industrial plot / 已供地范围内的图斑',
    k.patch('patch_permitted', [[ind.frame.rect(-230, 105, 60, 50)]], '新增建设用地'), [],
    'A real change, but inside the land supply approval: not a suspect.');
  k.add('patch_no_permit', 'Change patch in the commercial block without permit / 商业用地未批建设',
    k.patch('patch_no_permit', [[rotRect(2300, 1250, 40, 35, 0)]], '新增建设用地'), ['NO_PERMIT'],
    'Planning allows commerce and the boundary includes it; only approval is missing.');

  // --- REBUILD ---
  const same = k.coreRect('HT', -120, -50, 10, 12);
  k.demolished('2024-05-10', '禾田村违建拆除点', [[k.coreRect('HT', -120, -50, 12, 14)]]);
  k.add('rebuild_same_footprint', 'Rebuilt on the same footprint after demolition / 拆后原址重建',
    k.stockBuilding('rebuild_same_footprint', [[same]]), ['REBUILD'],
    'The 2023 and 2025 footprints match (so it counts as stock), but the site was demolished in 2024: 拆了又建.');
  k.baselineOnly('rebuild_new_footprint', [[k.coreRect('HT', 120, 40, 9, 10)]]);
  k.demolished('2024-08-20', '禾田村违建拆除点', [[k.coreRect('HT', 120, 40, 11, 12)]]);
  k.add('rebuild_new_footprint', 'New building partly on a demolished site / 拆除后异址新建（部分压占）',
    k.newBuilding('rebuild_new_footprint', [[k.coreRect('HT', 127, 43, 12, 14)]]), ['REBUILD', 'NO_PERMIT'],
    'IoU with the demolished house is 0.14 (<0.5), so it is new; 45 m² sit on the demolished site.');

  // --- EXPANSION (stock buildings that grew) ---
  k.add('expansion', 'House extended by 70 m² (58 %) / 存量房屋扩建',
    k.stockBuilding('expansion', [[k.coreRect('DH', -60, 90, 10, 12)]], [[k.coreRect('DH', -60, 93.5, 10, 19)]]), ['EXPANSION'],
    'IoU 0.63 keeps its identity; growth 70 m² ≥ 50 m² and 58 % ≥ 30 %.');
  k.add('expansion_below_area', 'House extended by 40 m² (33 %) / 扩建面积不足',
    k.stockBuilding('expansion_below_area', [[k.coreRect('DH', 60, 90, 10, 12)]], [[k.coreRect('DH', 60, 92, 10, 16)]]), [],
    'Growth share 33 % passes, but 40 m² < 50 m².');
  k.add('expansion_below_share', 'Warehouse extended by 80 m² (20 %) / 扩建比例不足',
    k.stockBuilding('expansion_below_share', [[rotRect(3550, 1250, 16, 25, 0)]], [[rotRect(3550, 1252.5, 16, 30, 0)]], 1, '钢结构'), [],
    'Growth 80 m² passes, but 20 % < 30 %.');
  const shifted: MPoly = [[k.coreRect('SL', 100, 100, 10, 12)]];
  k.add('shifted_stock', 'Same building re-surveyed 0.3 m off / 存量建筑测量偏移0.3米',
    k.stockBuilding('shifted_stock', shifted, shift(shifted, 0.3 * Math.cos(0.65), 0.3 * Math.sin(0.65))), [],
    'IoU ≈ 0.93 (≥ 0.5): the same building (stock), not a new one; no growth.');
}

function plantPassages(k: CaseKit): void {
  const [v3a, v3b] = lineOf('V3') as [Pt, Pt];
  k.add('passage_road_stock', 'House encroaching a village road by 1.5 m (stock) / 房屋侵占村道',
    k.stockBuilding('passage_road_stock', [[k.besideSegment(v3a, v3b, 0.45, 1.5, 15, 10)]]), ['PASSAGE'],
    'KD = 6 m → buffer 3 m each side; the wall stands 1.5 m from the centre line: 1.5 × 15 = 22.5 m².');
  k.add('passage_clear', 'House 1 m clear of the road buffer / 距道路缓冲区1米',
    k.stockBuilding('passage_clear', [[k.besideSegment(v3b, v3a, 0.8, 4, 14, 10)]]), [],
    '4 m from the centre line of a 6 m road: outside the 3 m half-width (it WOULD be hit if the full width were buffered).');
  const [v4a, v4b] = lineOf('V4') as [Pt, Pt];
  k.add('passage_default_width', 'House encroaching a road whose width is not surveyed / 道路宽度缺失时按默认宽度',
    k.stockBuilding('passage_default_width', [[k.besideSegment(v4a, v4b, 0.2, 1.5, 12, 10)]]), ['PASSAGE'],
    'KD is empty on 东湖村道: the default road width 6 m applies → 1.5 × 12 = 18 m².');
  const f2 = lineOf('F2');
  k.add('passage_fire_lane', 'New hut on a fire lane / 占用消防通道',
    k.newBuilding('passage_fire_lane', [[k.besideSegment(f2[1] as Pt, f2[2] as Pt, 0.5, 1, 10, 8)]], 1, '简易'),
    ['PASSAGE', 'ZONE_USE', ...OUT_NEW], 'Fire lane KD = 4 m → 2 m half-width; 1 m × 10 m overlap, in forest (zone 03) outside the red line.');
  const river = riverLine();
  const i = river.findIndex((p) => p[0] >= 690) - 1;
  const ra = river[i] as Pt;
  const rb = river[i + 1] as Pt;
  const hut: Ring = k.besideSegment(ra, rb, 0.5, 16, 16, 10);
  k.add('passage_river', 'New building inside the river management range / 侵占河道管理范围',
    k.newBuilding('passage_river', [[hut]], 1, '简易'), ['PASSAGE', 'ZONE_USE', ...OUT_NEW],
    'Its river side (≈4 m deep) lies in the 40 m management range (a polygon, also planning zone 17).');
}
