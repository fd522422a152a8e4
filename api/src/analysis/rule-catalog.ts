/**
 * Rule codes, their names and the user-facing messages of the analysis, in one place (zh-CN first,
 * English second). Rules and the run report refer to these constants; nothing else spells them out.
 */

/** A text in both languages LandWatch speaks. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** Every rule the analysis knows, in report order. */
export const RULE_CODES = [
  'FARMLAND',
  'CULTIVATED',
  'ECO_REDLINE',
  'PASSAGE',
  'ZONE_USE',
  'REBUILD',
  'OUTSIDE_BOUNDARY',
  'NO_PERMIT',
  'EXPANSION',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

/** Which subjects a rule looks at: every subject, or only buildings that are new/grown since the baseline. */
export type RuleScope = 'all' | 'new';

/** What the catalogue says about one rule. */
export interface RuleInfo {
  code: RuleCode;
  name: Bilingual;
  /** What fires it, for the README table and the API. */
  fires: Bilingual;
  scope: RuleScope;
  /** Rules that compare survey epochs cannot run without a baseline epoch. */
  needsBaseline: boolean;
}

/** The catalogue of rules. */
export const RULE_CATALOG: Record<RuleCode, RuleInfo> = {
  FARMLAND: {
    code: 'FARMLAND',
    name: { zh: '占用永久基本农田', en: 'Occupies permanent basic farmland' },
    fires: { zh: '图斑（扣除已批面积）与永久基本农田重叠', en: 'The subject, minus permitted area, overlaps basic farmland' },
    scope: 'all',
    needsBaseline: false,
  },
  CULTIVATED: {
    code: 'CULTIVATED',
    name: { zh: '占用耕地', en: 'Occupies cultivated land' },
    fires: {
      zh: '与耕地（0101 水田、0102 水浇地、0103 旱地）重叠，且不在永久基本农田内',
      en: 'Overlaps cultivated land (0101/0102/0103) outside basic farmland',
    },
    scope: 'all',
    needsBaseline: false,
  },
  ECO_REDLINE: {
    code: 'ECO_REDLINE',
    name: { zh: '占用生态保护红线', en: 'Inside the ecological protection red line' },
    fires: { zh: '与生态保护红线重叠', en: 'Overlaps the ecological protection red line' },
    scope: 'all',
    needsBaseline: false,
  },
  PASSAGE: {
    code: 'PASSAGE',
    name: { zh: '占用公共通道', en: 'Blocks a public passage' },
    fires: {
      zh: '与道路红线、消防通道、河道管理范围重叠（中心线按宽度缓冲）',
      en: 'Overlaps roads, fire lanes or river management areas (centre lines buffered by width)',
    },
    scope: 'all',
    needsBaseline: false,
  },
  ZONE_USE: {
    code: 'ZONE_USE',
    name: { zh: '不符合规划用途', en: 'Against the planned land use' },
    fires: {
      zh: '位于禁止建设的规划用途地块（默认 01 耕地、03 林地、14 绿地与开敞空间、17 陆地水域）',
      en: 'On a planning zone whose use forbids building (default 01, 03, 14, 17)',
    },
    scope: 'all',
    needsBaseline: false,
  },
  REBUILD: {
    code: 'REBUILD',
    name: { zh: '拆后复建', en: 'Rebuilt on a demolished site' },
    fires: { zh: '与已拆除违建地块重叠', en: 'Overlaps a site where illegal buildings were demolished' },
    scope: 'all',
    needsBaseline: false,
  },
  OUTSIDE_BOUNDARY: {
    code: 'OUTSIDE_BOUNDARY',
    name: { zh: '城镇开发边界外新增建设', en: 'New construction outside the development boundary' },
    fires: {
      zh: '新增建筑、变化图斑或扩建部分位于城镇开发边界外',
      en: 'A new building, a change patch, or the added part of a grown building lies outside the urban development boundary',
    },
    scope: 'new',
    needsBaseline: true,
  },
  NO_PERMIT: {
    code: 'NO_PERMIT',
    name: { zh: '未批先建', en: 'Built without approval' },
    fires: {
      zh: '新增建筑或变化图斑未被批准范围覆盖的部分',
      en: 'The part of a new building or change patch not covered by a permit',
    },
    scope: 'new',
    needsBaseline: true,
  },
  EXPANSION: {
    code: 'EXPANSION',
    name: { zh: '违法扩建', en: 'Unapproved expansion' },
    fires: {
      zh: '基期建筑占地扩大超过阈值（默认 ≥30% 且 ≥50 m²），计扩建部分',
      en: 'A baseline building grew beyond the thresholds (default ≥30 % and ≥50 m²); the added part counts',
    },
    scope: 'new',
    needsBaseline: true,
  },
};

/** Severity of a finding or suspect, from the ruleset's bands in 亩. */
export const SEVERITIES = ['light', 'general', 'serious'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Names of the severities. */
export const SEVERITY_NAMES: Record<Severity, Bilingual> = {
  light: { zh: '情节较轻', en: 'Light' },
  general: { zh: '情节一般', en: 'General' },
  serious: { zh: '情节严重', en: 'Serious' },
};

/** Disposition hints following 土地管理法 Art. 77. */
export const DISPOSITION_CODES = ['DEMOLISH_RESTORE', 'CONFISCATE_OR_LEGALISE'] as const;
export type DispositionCode = (typeof DISPOSITION_CODES)[number];

/** The hint texts: against the plan → demolish and restore; conforming → confiscate or legalise. */
export const DISPOSITIONS: Record<DispositionCode, Bilingual> = {
  DEMOLISH_RESTORE: {
    zh: '限期拆除、恢复原状（违反规划或占用永久基本农田，土地管理法第七十七条）',
    en: 'Demolish within a deadline and restore the land (against the plan or on basic farmland, Land Administration Law Art. 77)',
  },
  CONFISCATE_OR_LEGALISE: {
    zh: '没收或补办手续（符合规划，土地管理法第七十七条）',
    en: 'Confiscate, or legalise by supplementary approval (conforms to the plan, Land Administration Law Art. 77)',
  },
};

/** Reason codes of notes a run reports (skipped rules, fall-backs). */
export const RUN_NOTES = {
  NO_BASELINE: {
    zh: '只有一个建筑调查时点，没有基期：未运行未批先建、开发边界外新增、违法扩建规则',
    en: 'Only one building survey epoch, no baseline: NO_PERMIT, OUTSIDE_BOUNDARY and EXPANSION did not run',
  },
  NO_BUILDINGS: {
    zh: '没有有效的建筑数据集：只分析变化图斑',
    en: 'No active building dataset: only change patches were analysed',
  },
  NO_BOUNDARY_LAYER: {
    zh: '没有城镇开发边界图层：未运行开发边界外新增规则',
    en: 'No development boundary layer: OUTSIDE_BOUNDARY did not run',
  },
  RULE_DISABLED: { zh: '规则集中已停用', en: 'Disabled in the ruleset' },
  FULL_NO_PREVIOUS: { zh: '没有成功的上次分析：执行全量分析', en: 'No previous successful run: ran a full analysis' },
  FULL_RULESET_CHANGED: { zh: '规则集已变更：执行全量分析', en: 'The ruleset changed since the previous run: ran a full analysis' },
  FULL_EPOCHS_CHANGED: {
    zh: '建筑调查时点（最新期或基期）已变更：执行全量分析',
    en: 'The latest or baseline building epoch changed: ran a full analysis',
  },
  FULL_ENGINE_CHANGED: { zh: '分析程序版本已变更：执行全量分析', en: 'The analysis engine changed: ran a full analysis' },
} as const satisfies Record<string, Bilingual>;
export type RunNoteCode = keyof typeof RUN_NOTES;

/** 1 亩 = 10000/15 m². */
export const M2_PER_MU = 10000 / 15;

/** Converts m² to 亩. */
export function toMu(m2: number): number {
  return m2 / M2_PER_MU;
}

/** Names of rules in both languages, in the order given (unknown codes are passed through). */
export function ruleNames(codes: readonly string[]): { zh: string[]; en: string[] } {
  const info = codes.map((c) => RULE_CATALOG[c as RuleCode]?.name ?? { zh: c, en: c });
  return { zh: info.map((i) => i.zh), en: info.map((i) => i.en) };
}
