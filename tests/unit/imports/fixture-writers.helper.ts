/**
 * Writers for small synthetic fixtures, byte by byte, so tests control what real tools produce in
 * the wild: zips with GBK member names and no UTF-8 flag, shapefiles with Z values, deleted
 * records, GBK attributes. Test code only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll } from 'vitest';

const created: string[] = [];
// Registered while the importing test file is collected: its temporary folders go with it.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test process exits. */
export function tempDir(prefix = 'lw-imports-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** One zip member: raw name bytes (e.g. GBK) or a string (written UTF-8 with the flag). */
export interface ZipMember {
  name: string | Buffer;
  data: Buffer;
  /** Deflate instead of store. */
  deflate?: boolean;
  /** Override the declared uncompressed size (to forge a zip bomb header). */
  declaredSize?: number;
  /** Unix mode bits for the central directory's external attributes (e.g. 0o120777 = symlink). */
  unixMode?: number;
}

/** Builds a zip archive in memory. String names get the UTF-8 flag (bit 11); Buffer names do not. */
export function buildZip(members: ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = typeof m.name === 'string' ? Buffer.from(m.name, 'utf8') : m.name;
    const flags = typeof m.name === 'string' ? 0x0800 : 0;
    const body = m.deflate ? deflateRawSync(m.data) : m.data;
    const method = m.deflate ? 8 : 0;
    const crc = crc32(m.data);
    const size = m.declaredSize ?? m.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    if (m.unixMode !== undefined) {
      central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode bits mean something
      central.writeUInt32LE((m.unixMode << 16) >>> 0, 38);
    }
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A DBF field: name bytes (≤ 10), type, width, decimals. */
export interface DbfFieldSpec {
  name: Buffer;
  type: 'C' | 'N' | 'D' | 'L' | 'F';
  length: number;
  decimals?: number;
}

/** Builds a dBase III table; values are raw bytes (padded with spaces), `deleted` marks records. */
export function buildDbf(fields: DbfFieldSpec[], rows: { values: Buffer[]; deleted?: boolean }[], ldid = 0): Buffer {
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const head = Buffer.alloc(headerLength);
  head[0] = 0x03;
  head.writeUInt32LE(rows.length, 4);
  head.writeUInt16LE(headerLength, 8);
  head.writeUInt16LE(recordLength, 10);
  head[29] = ldid;
  fields.forEach((f, i) => {
    const at = 32 + 32 * i;
    f.name.copy(head, at, 0, Math.min(10, f.name.length));
    head[at + 11] = f.type.charCodeAt(0);
    head[at + 16] = f.length;
    head[at + 17] = f.decimals ?? 0;
  });
  head[headerLength - 1] = 0x0d;
  const records = rows.map((r) => {
    const rec = Buffer.alloc(recordLength, 0x20);
    rec[0] = r.deleted ? 0x2a : 0x20;
    let at = 1;
    fields.forEach((f, i) => {
      const v = r.values[i] ?? Buffer.alloc(0);
      const right = f.type === 'N' || f.type === 'F';
      v.copy(rec, right ? at + f.length - Math.min(v.length, f.length) : at, 0, Math.min(v.length, f.length));
      at += f.length;
    });
    return rec;
  });
  return Buffer.concat([head, ...records, Buffer.from([0x1a])]);
}

/** A polygon (rings of [x, y, z]) for {@link buildPolygonZShp}; null = null shape. */
export type RingsZ = number[][][] | null;

/** Builds .shp and .shx of PolygonZ (type 15) records. */
export function buildPolygonZShp(shapes: RingsZ[]): { shp: Buffer; shx: Buffer } {
  const records: Buffer[] = [];
  for (const [i, rings] of shapes.entries()) {
    let content: Buffer;
    if (!rings) {
      content = Buffer.alloc(4); // null shape: type 0
    } else {
      const points = rings.flat();
      const n = points.length;
      const size = 44 + 4 * rings.length + 16 * n + 16 + 8 * n + 16 + 8 * n;
      content = Buffer.alloc(size);
      content.writeInt32LE(15, 0);
      const xs = points.map((p) => p[0] ?? 0);
      const ys = points.map((p) => p[1] ?? 0);
      const zs = points.map((p) => p[2] ?? 0);
      [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, k) => content.writeDoubleLE(v, 4 + 8 * k));
      content.writeInt32LE(rings.length, 36);
      content.writeInt32LE(n, 40);
      let start = 0;
      rings.forEach((r, k) => {
        content.writeInt32LE(start, 44 + 4 * k);
        start += r.length;
      });
      let at = 44 + 4 * rings.length;
      for (const p of points) {
        content.writeDoubleLE(p[0] ?? 0, at);
        content.writeDoubleLE(p[1] ?? 0, at + 8);
        at += 16;
      }
      content.writeDoubleLE(Math.min(...zs), at);
      content.writeDoubleLE(Math.max(...zs), at + 8);
      at += 16;
      for (const z of zs) {
        content.writeDoubleLE(z, at);
        at += 8;
      }
      // M range and values: "no data"
      for (let k = 0; k < n + 2; k++) content.writeDoubleLE(-1e39, at + 8 * k);
    }
    const header = Buffer.alloc(8);
    header.writeInt32BE(i + 1, 0);
    header.writeInt32BE(content.length / 2, 4);
    records.push(Buffer.concat([header, content]));
  }
  const bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const shape of shapes) {
    for (const p of (shape ?? []).flat()) {
      bbox[0] = Math.min(bbox[0] ?? 0, p[0] ?? 0);
      bbox[1] = Math.min(bbox[1] ?? 0, p[1] ?? 0);
      bbox[2] = Math.max(bbox[2] ?? 0, p[0] ?? 0);
      bbox[3] = Math.max(bbox[3] ?? 0, p[1] ?? 0);
    }
  }
  if (!Number.isFinite(bbox[0])) bbox.fill(0);
  const fileHeader = (length: number) => {
    const h = Buffer.alloc(100);
    h.writeInt32BE(9994, 0);
    h.writeInt32BE(length / 2, 24);
    h.writeInt32LE(1000, 28);
    h.writeInt32LE(15, 32);
    bbox.forEach((v, k) => h.writeDoubleLE(v ?? 0, 36 + 8 * k));
    return h;
  };
  const body = Buffer.concat(records);
  const shx = Buffer.alloc(8 * records.length);
  let offset = 100;
  records.forEach((r, i) => {
    shx.writeInt32BE(offset / 2, 8 * i);
    shx.writeInt32BE((r.length - 8) / 2, 8 * i + 4);
    offset += r.length;
  });
  return {
    shp: Buffer.concat([fileHeader(100 + body.length), body]),
    shx: Buffer.concat([fileHeader(100 + shx.length), shx]),
  };
}

/** Esri .prj of CGCS2000 3-degree GK zone 38 (EPSG:4526), as ArcGIS writes it. */
export const PRJ_CGCS2000_GK38 =
  'PROJCS["CGCS2000_3_Degree_GK_Zone_38",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
