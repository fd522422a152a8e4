/**
 * Source fields copied into a finding's evidence per matched feature kind (case-insensitive field
 * names, as bureaus deliver them). Everything else stays in the feature's own attrs.
 */
export const EVIDENCE_KEYS: Record<string, readonly string[]> = {
  basic_farmland: ['BSM', 'YJJBNTTBBH', 'TBBH', 'DLBM', 'DLMC', 'XZQDM', 'ZLDWDM', 'YJJBNTMJ'],
  cultivated_land: ['BSM', 'TBBH', 'DLBM', 'DLMC', 'QSDWDM', 'ZLDWDM', 'TBMJ'],
  planning_zone: ['BSM', 'YDBH', 'DKBH', 'YDYHFLDM', 'YDYHFLMC', 'YDDM', 'YDMC', 'GHYTDM', 'GHYTMC'],
  development_boundary: ['BSM', 'GHFQDM', 'GHFQMC'],
  ecological_redline: ['BSM', 'HXBM', 'HXMC', 'HXLX'],
  public_passage: ['BSM', 'DLBH', 'BH', 'MC', 'NAME', 'LX', 'TYPE', 'KD', 'WIDTH'],
  permit: ['PZWH', 'XKZH', 'PZYT', 'PZRQ', 'XMMC'],
  demolished_site: ['BSM', 'CCBH', 'MC', 'NAME', 'CCRQ'],
  building: ['JZBH', 'FWBH', 'BSM', 'CS', 'JZGD', 'FLOORS', 'HEIGHT'],
  change_patch: ['JCBH', 'TBLX', 'QSX', 'HSX', 'MJ'],
};
