import { sqlFile } from '../../db/sql-file.ts';
import { overlapRule } from './overlap-rule.ts';

/** PASSAGE (占用公共通道): overlap with active `public_passage` features, permits subtracted; see passage.sql. */
export const passageRule = overlapRule('PASSAGE', 'public_passage', sqlFile(import.meta.url, 'passage.sql'));
