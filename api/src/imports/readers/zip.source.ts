/**
 * Zip archives (shapefile bundles, KMZ) as ByteSources, streamed member by member with yauzl — never
 * extracted to disk. Member names may be GBK without the UTF-8 flag (Chinese Windows zip tools).
 * Limits: entry count, total uncompressed size and per-member compression ratio (zip bombs); yauzl
 * checks the real sizes against the declared ones while streaming, so declared sizes are trustworthy.
 * Entries that would escape a folder if extracted (`..`, absolute paths, drive letters) and symbolic
 * links refuse the whole archive: nothing is extracted here, but such an archive is crafted, not
 * delivered by a survey team, and its other members cannot be trusted either.
 */
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { ReaderLimits, ReaderNote } from './reader.types.ts';
import { ReaderError, reasonOf } from './reader-error.ts';
import { formatReaderMessage } from './reader-messages.ts';
import type { ByteSource } from './byte-source.ts';
import { GBK, createDecoder } from '../encoding/encoding-names.ts';
import { utf8Verdict } from '../encoding/utf8.validator.ts';

/** The readable members of an archive and notes about it. */
export interface ZipListing {
  /** Files (directories and macOS resource forks left out), in archive order. */
  members: ByteSource[];
  notes: ReaderNote[];
}

const OPEN_OPTIONS = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: false };

function openZip(filePath: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(filePath, OPEN_OPTIONS, (error, zip) => (error || !zip ? reject(error ?? new Error('cannot open')) : resolve(zip)));
  });
}

const decodeGbk = createDecoder(GBK);
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const RATIO_CHECK_MIN_BYTES = 1024 ** 2;

/** Why a member name or type is unsafe, or null. `raw` is the name as stored (before any cleaning). */
export function unsafeEntryReason(raw: string, externalAttributes: number): string | null {
  if (((externalAttributes >>> 16) & S_IFMT) === S_IFLNK) return 'symbolic link 符号链接';
  const name = raw.replace(/\\/g, '/');
  if (name.startsWith('/')) return 'absolute path 绝对路径';
  if (/^[A-Za-z]:/.test(name)) return 'drive-letter path 盘符路径';
  if (name.split('/').includes('..')) return "'..' path segment 上级目录";
  return null;
}

/** Decodes a member name: Info-ZIP Unicode path field, the UTF-8 flag, valid UTF-8, else GBK. */
function decodeName(entry: Entry): { name: string; gbk: boolean } {
  const raw = entry.fileName as unknown as Buffer;
  for (const field of entry.extraFields) {
    if (field.id === 0x7075 && field.data.length >= 6 && field.data[0] === 1) {
      if (field.data.readUInt32LE(1) === crc32(raw)) return { name: field.data.subarray(5).toString('utf8'), gbk: false };
    }
  }
  if ((entry.generalPurposeBitFlag & 0x800) !== 0) return { name: raw.toString('utf8'), gbk: false };
  const verdict = utf8Verdict(raw);
  if (verdict === 'ascii') return { name: raw.toString('latin1'), gbk: false };
  if (verdict === 'utf8') return { name: raw.toString('utf8'), gbk: false };
  return { name: decodeGbk(raw), gbk: true };
}

function memberStream(zipPath: string, entry: Entry, display: string): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      let zip: ZipFile | undefined;
      try {
        zip = await openZip(zipPath);
        const opened = zip;
        const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
          opened.openReadStream(entry, (error, s) => (error || !s ? reject(error ?? new Error('no stream')) : resolve(s)));
        });
        for await (const chunk of stream) yield chunk as Uint8Array;
      } catch (error) {
        if (error instanceof ReaderError) throw error;
        throw new ReaderError('ZIP_INVALID', display, { reason: reasonOf(error) }, {}, error);
      } finally {
        zip?.close();
      }
    },
  };
}

/**
 * Lists a zip's members as ByteSources (`displayPath!/member/path`). Throws ReaderError ZIP_INVALID
 * (not a zip, corrupt directory), ZIP_TOO_MANY_ENTRIES, ZIP_TOO_LARGE.
 */
export async function listZip(zipPath: string, displayPath: string, limits: Required<ReaderLimits>): Promise<ZipListing> {
  let zip: ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch (error) {
    throw new ReaderError('ZIP_INVALID', displayPath, { reason: reasonOf(error) }, {}, error);
  }
  try {
    if (zip.entryCount > limits.maxZipEntries) {
      throw new ReaderError('ZIP_TOO_MANY_ENTRIES', displayPath, { limit: limits.maxZipEntries });
    }
    const entries = await new Promise<Entry[]>((resolve, reject) => {
      const out: Entry[] = [];
      zip.on('entry', (entry: Entry) => {
        out.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    }).catch((error: unknown) => {
      throw new ReaderError('ZIP_INVALID', displayPath, { reason: reasonOf(error) }, {}, error);
    });
    const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
    if (total > limits.maxUncompressedBytes) {
      throw new ReaderError('ZIP_TOO_LARGE', displayPath, { size: total, limit: limits.maxUncompressedBytes });
    }
    const notes: ReaderNote[] = [];
    let gbkNames = false;
    const members: ByteSource[] = [];
    for (const entry of entries) {
      const { name, gbk } = decodeName(entry);
      const unsafe = unsafeEntryReason(name, entry.externalFileAttributes);
      if (unsafe) throw new ReaderError('ZIP_UNSAFE_ENTRY', displayPath, { member: name, reason: unsafe });
      if (entry.uncompressedSize > RATIO_CHECK_MIN_BYTES) {
        const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
        if (ratio > limits.maxCompressionRatio) {
          throw new ReaderError('ZIP_RATIO_TOO_HIGH', displayPath, { member: name, ratio: Math.round(ratio), limit: limits.maxCompressionRatio });
        }
      }
      const member = name.replace(/\\/g, '/').replace(/^\/+/, '');
      const base = member.split('/').pop() ?? '';
      // Directories, macOS resource forks and AppleDouble files are not data.
      if (member.endsWith('/') || member.startsWith('__MACOSX/') || base.startsWith('._') || !base) continue;
      gbkNames ||= gbk;
      const display = `${displayPath}!/${member}`;
      members.push({ path: display, name: base, size: entry.uncompressedSize, chunks: () => memberStream(zipPath, entry, display) });
    }
    if (gbkNames) notes.push({ code: 'ZIP_NAMES_GBK', message: formatReaderMessage('ZIP_NAMES_GBK') });
    return { members, notes };
  } finally {
    zip.close();
  }
}
