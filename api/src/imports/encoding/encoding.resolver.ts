/**
 * Decides the text encoding of a DBF (or CSV): option > .cpg > LDID byte > detection, checking a
 * declaration against the bytes where a wrong one is provable (a .cpg claiming UTF-8 over GBK bytes).
 */
import type { EncodingResolution, ReaderNote } from '../readers/reader.types.ts';
import { ReaderError } from '../readers/reader-error.ts';
import { formatReaderMessage } from '../readers/reader-messages.ts';
import type { CpgResult } from './cpg.parser.ts';
import { GBK, UTF8, canonicalEncoding } from './encoding-names.ts';
import { LDID_ANSI, encodingForLdid } from './ldid.table.ts';
import type { Utf8Verdict } from './utf8.validator.ts';

/** What is known about a text source's encoding. */
export interface EncodingEvidence {
  /** File the encoding is for (used in error messages). */
  file: string;
  /** User option (--encoding), overrides everything. */
  option?: string;
  /** Parsed .cpg, when a .cpg exists. */
  cpg?: CpgResult;
  /** DBF language driver id (byte 29); 0 or undefined = none. */
  ldid?: number;
  /** UTF-8 verdict over all text bytes; computed lazily, only when needed. */
  scan: () => Promise<Utf8Verdict>;
}

/** The decision and the notes explaining it. */
export interface EncodingDecision {
  resolution: EncodingResolution;
  notes: ReaderNote[];
}

function note(code: Parameters<typeof formatReaderMessage>[0], params: Record<string, string | number>): ReaderNote {
  return { code, message: formatReaderMessage(code, params) };
}

const SUSPICIOUS_UTF8 = 'all text is valid UTF-8 / 文本全部是有效的 UTF-8';

/**
 * Resolves the encoding. Never guesses silently: every outcome carries a note. Throws ReaderError
 * ENCODING_UNSUPPORTED only for an unknown `option`.
 */
export async function resolveEncoding(evidence: EncodingEvidence): Promise<EncodingDecision> {
  const notes: ReaderNote[] = [];
  if (evidence.option !== undefined && evidence.option !== '') {
    const name = canonicalEncoding(evidence.option);
    if (!name) throw new ReaderError('ENCODING_UNSUPPORTED', evidence.file, { encoding: evidence.option });
    notes.push(note('ENCODING_OPTION', { encoding: name }));
    return { resolution: { name, how: 'option' }, notes };
  }

  const cpg = evidence.cpg;
  if (cpg?.kind === 'invalid') notes.push(note('CPG_INVALID', { reason: cpg.reason }));
  if (cpg?.kind === 'unknown') notes.push(note('CPG_UNKNOWN', { cpg: cpg.label }));
  if (cpg?.kind === 'ok') {
    const verdict = await evidence.scan();
    if (cpg.encoding === UTF8 && verdict === 'invalid') {
      // Provably wrong: UTF-8 was claimed but the bytes are not UTF-8. Chinese data → GBK.
      notes.push(note('CPG_WRONG_UTF8', {}));
      return { resolution: { name: GBK, how: 'detected' }, notes };
    }
    notes.push(note('ENCODING_FROM_CPG', { encoding: cpg.encoding, cpg: cpg.label }));
    if (cpg.encoding !== UTF8 && verdict === 'utf8') {
      notes.push(note('ENCODING_SUSPICIOUS', { encoding: cpg.encoding, reason: SUSPICIOUS_UTF8 }));
    }
    return { resolution: { name: cpg.encoding, how: 'cpg' }, notes };
  }

  const ldid = evidence.ldid ?? 0;
  const fromLdid = ldid ? encodingForLdid(ldid) : null;
  if (fromLdid) {
    const verdict = await evidence.scan();
    notes.push(note('ENCODING_FROM_LDID', { encoding: fromLdid, ldid }));
    if (fromLdid !== UTF8 && verdict === 'utf8') {
      notes.push(note('ENCODING_SUSPICIOUS', { encoding: fromLdid, reason: SUSPICIOUS_UTF8 }));
    }
    return { resolution: { name: fromLdid, how: 'ldid' }, notes };
  }

  const verdict = await evidence.scan();
  if (ldid === LDID_ANSI && verdict === 'invalid') {
    // 0x57 "ANSI" = the writer's Windows code page; on Chinese Windows that is CP936.
    notes.push(note('ENCODING_FROM_LDID', { encoding: GBK, ldid }));
    return { resolution: { name: GBK, how: 'ldid' }, notes };
  }
  if (verdict === 'invalid') {
    notes.push(note('ENCODING_DETECTED', { encoding: GBK, reason: 'not valid UTF-8 / 不是有效的 UTF-8' }));
    return { resolution: { name: GBK, how: 'detected' }, notes };
  }
  const reason = verdict === 'ascii' ? 'ASCII only / 只有 ASCII 字符' : 'valid UTF-8 / 是有效的 UTF-8';
  notes.push(note('ENCODING_DETECTED', { encoding: UTF8, reason }));
  return { resolution: { name: UTF8, how: 'detected' }, notes };
}
