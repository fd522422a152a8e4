/**
 * DBF language driver id (byte 29 of the header) → encoding, after the Esri/dBase table, for the
 * common values. 0 means "not set".
 */
import { canonicalEncoding } from './encoding-names.ts';

/** LDID 0x57 (87): "ANSI", i.e. the writer's current Windows code page; see {@link encodingForLdid}. */
export const LDID_ANSI = 0x57;

// Code page per LDID (Esri "Code page / language driver" table, dBase IV/FoxPro values).
const LDID_CODE_PAGES: Record<number, number> = {
  0x01: 437, 0x02: 850, 0x03: 1252, 0x04: 10000, 0x08: 865, 0x09: 437, 0x0a: 850, 0x0b: 437, 0x0d: 437,
  0x0e: 850, 0x0f: 437, 0x10: 850, 0x11: 437, 0x12: 850, 0x13: 932, 0x14: 850, 0x15: 437, 0x16: 850,
  0x17: 865, 0x18: 437, 0x19: 437, 0x1a: 850, 0x1b: 437, 0x1c: 863, 0x1d: 850, 0x1f: 852, 0x22: 852,
  0x23: 852, 0x24: 860, 0x25: 850, 0x26: 866, 0x37: 850, 0x40: 852,
  0x4d: 936, // Chinese GBK (PRC)
  0x4e: 949, 0x4f: 950, 0x50: 874,
  0x58: 1252, 0x59: 1252, 0x64: 852, 0x65: 866, 0x66: 865, 0x67: 861, 0x6a: 737, 0x6b: 857,
  0x78: 950, 0x79: 949,
  0x7a: 936, // Chinese GBK (PRC), Visual FoxPro
  0x7b: 932, 0x7c: 874, 0x7d: 1255, 0x7e: 1256, 0x86: 737, 0x87: 852, 0x88: 857,
  0xc8: 1250, 0xc9: 1251, 0xca: 1254, 0xcb: 1253, 0xcc: 1257,
};

/**
 * Canonical encoding for a language driver id, or null for 0, unknown ids and 0x57 "ANSI" (which
 * names no code page; callers treat it as a hint, see encoding.resolver).
 */
export function encodingForLdid(ldid: number): string | null {
  const cp = LDID_CODE_PAGES[ldid];
  return cp === undefined ? null : canonicalEncoding(String(cp));
}
