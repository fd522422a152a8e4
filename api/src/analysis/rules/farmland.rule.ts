import { sqlFile } from '../../db/sql-file.ts';
import { overlapRule } from './overlap-rule.ts';

/** FARMLAND (占用永久基本农田): overlap with active `basic_farmland` features, permits subtracted; see farmland.sql. */
export const farmlandRule = overlapRule('FARMLAND', 'basic_farmland', sqlFile(import.meta.url, 'farmland.sql'));
