import { sqlFile } from '../../db/sql-file.ts';
import { overlapRule } from './overlap-rule.ts';

/**
 * ZONE_USE (不符合规划用途): overlap with planning zones whose use forbids building. Only zones whose
 * code starts with one of the ruleset's `forbiddenCodes` are loaded as pieces; see zone-use.sql.
 */
export const zoneUseRule = overlapRule('ZONE_USE', 'planning_zone', sqlFile(import.meta.url, 'zone-use.sql'));
