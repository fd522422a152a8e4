import { sqlFile } from '../../db/sql-file.ts';
import { overlapRule } from './overlap-rule.ts';

/** ECO_REDLINE (占用生态保护红线): overlap with active `ecological_redline` features, permits subtracted; see eco-redline.sql. */
export const ecoRedlineRule = overlapRule('ECO_REDLINE', 'ecological_redline', sqlFile(import.meta.url, 'eco-redline.sql'));
