import { sqlFile } from '../../db/sql-file.ts';
import { overlapRule } from './overlap-rule.ts';

/** REBUILD (拆后复建): overlap with active `demolished_site` features, permits subtracted; see rebuild.sql. */
export const rebuildRule = overlapRule('REBUILD', 'demolished_site', sqlFile(import.meta.url, 'rebuild.sql'));
