/**
 * GeoPackage geometry blobs: the 'GP' header (version 0, little-endian, XY envelope) followed by
 * ISO little-endian WKB, per OGC GeoPackage 1.3 §2.1.3. 2D only (a third ordinate is ignored).
 */

/** A coordinate pair; extra ordinates are ignored. */
export type GpkgPosition = readonly number[];

/** GeoJSON-shaped geometry (same layout as the shapefile writer's WritableGeometry). */
export type GpkgGeometry =
  | { readonly type: 'Point'; readonly coordinates: GpkgPosition }
  | { readonly type: 'MultiPoint'; readonly coordinates: readonly GpkgPosition[] }
  | { readonly type: 'LineString'; readonly coordinates: readonly GpkgPosition[] }
  | { readonly type: 'MultiLineString'; readonly coordinates: readonly (readonly GpkgPosition[])[] }
  | { readonly type: 'Polygon'; readonly coordinates: readonly (readonly GpkgPosition[])[] }
  | { readonly type: 'MultiPolygon'; readonly coordinates: readonly (readonly (readonly GpkgPosition[])[])[] };

/** Envelope [minX, maxX, minY, maxY] — GeoPackage's order, not GeoJSON's. */
export type GpkgEnvelope = [number, number, number, number];

const WKB_TYPE: Readonly<Record<GpkgGeometry['type'], number>> = {
  Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6,
};

/** Growable little-endian byte sink. */
class ByteSink {
  private buf = Buffer.alloc(256);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.length);
    this.length += 8;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/**
 * Encodes a geometry as a GeoPackage blob for `srsId`. Polygon rings are closed when open (ring
 * orientation is kept as given: GeoPackage does not prescribe one). An empty geometry gets the
 * empty flag and no envelope. Throws on a non-finite coordinate, a line with < 2 vertices or a
 * ring with < 3 distinct vertices.
 */
export function encodeGpkgGeometry(geometry: GpkgGeometry, srsId: number): { blob: Buffer; envelope: GpkgEnvelope | null } {
  const env: GpkgEnvelope = [Infinity, -Infinity, Infinity, -Infinity];
  const wkb = new ByteSink();
  writeWkb(wkb, geometry, env);
  const empty = !(env[0] <= env[1]);
  const header = Buffer.alloc(empty ? 8 : 40);
  header.write('GP', 0, 'latin1');
  header[2] = 0; // version 1 of the blob format is encoded as 0
  header[3] = (empty ? 1 << 4 : 0) | (empty ? 0 : 1 << 1) | 1; // empty flag | envelope code 1 (XY) | little-endian
  header.writeInt32LE(srsId, 4);
  if (!empty) env.forEach((v, i) => header.writeDoubleLE(v, 8 + 8 * i));
  return { blob: Buffer.concat([header, wkb.bytes()]), envelope: empty ? null : env };
}

/**
 * Reads the envelope of a GeoPackage blob written by {@link encodeGpkgGeometry} (or any blob with
 * an XY envelope, or a bare little/big-endian WKB point). Returns null for empty geometries or
 * blobs it cannot read. Used to maintain the R-tree index.
 */
export function readGpkgEnvelope(blob: Uint8Array | null): GpkgEnvelope | null {
  if (!blob || blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) return null;
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const flags = b[3] ?? 0;
  if (flags & 0x10) return null;
  const le = (flags & 1) === 1;
  const envCode = (flags >> 1) & 7;
  const rd = (at: number): number => (le ? b.readDoubleLE(at) : b.readDoubleBE(at));
  if (envCode >= 1 && b.length >= 40) return [rd(8), rd(16), rd(24), rd(32)];
  // No envelope: only points are expected here (GDAL omits the envelope for points).
  const sizes = [0, 32, 48, 48, 64];
  const at = 8 + (sizes[envCode] ?? 0);
  if (b.length < at + 21) return null;
  const wle = b[at] === 1;
  const type = wle ? b.readUInt32LE(at + 1) : b.readUInt32BE(at + 1);
  if (type % 1000 !== 1) return null;
  const x = wle ? b.readDoubleLE(at + 5) : b.readDoubleBE(at + 5);
  const y = wle ? b.readDoubleLE(at + 13) : b.readDoubleBE(at + 13);
  return Number.isNaN(x) || Number.isNaN(y) ? null : [x, x, y, y];
}

function writeWkb(s: ByteSink, g: GpkgGeometry, env: GpkgEnvelope): void {
  s.u8(1);
  s.u32(WKB_TYPE[g.type]);
  switch (g.type) {
    case 'Point':
      if (g.coordinates.length === 0) {
        s.f64(NaN); // WKB has no empty point: NaN coordinates by convention
        s.f64(NaN);
      } else point(s, g.coordinates, env);
      return;
    case 'LineString':
      line(s, g.coordinates, env, 2);
      return;
    case 'Polygon':
      polygon(s, g.coordinates, env);
      return;
    case 'MultiPoint':
      s.u32(g.coordinates.length);
      for (const p of g.coordinates) writeWkb(s, { type: 'Point', coordinates: p }, env);
      return;
    case 'MultiLineString':
      s.u32(g.coordinates.length);
      for (const l of g.coordinates) writeWkb(s, { type: 'LineString', coordinates: l }, env);
      return;
    case 'MultiPolygon':
      s.u32(g.coordinates.length);
      for (const p of g.coordinates) writeWkb(s, { type: 'Polygon', coordinates: p }, env);
      return;
  }
}

function point(s: ByteSink, p: GpkgPosition, env: GpkgEnvelope): void {
  const x = p[0];
  const y = p[1];
  if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
    throw new Error(`coordinate ${JSON.stringify(p)} is not a finite x,y pair`);
  }
  s.f64(x);
  s.f64(y);
  if (x < env[0]) env[0] = x;
  if (x > env[1]) env[1] = x;
  if (y < env[2]) env[2] = y;
  if (y > env[3]) env[3] = y;
}

function line(s: ByteSink, pts: readonly GpkgPosition[], env: GpkgEnvelope, min: number): void {
  if (pts.length > 0 && pts.length < min) throw new Error(`a line needs at least ${min} vertices`);
  s.u32(pts.length);
  for (const p of pts) point(s, p, env);
}

function polygon(s: ByteSink, rings: readonly (readonly GpkgPosition[])[], env: GpkgEnvelope): void {
  const closed = rings.filter((r) => r.length > 0).map((r) => {
    const first = r[0];
    const last = r[r.length - 1];
    const open = first && last && (first[0] !== last[0] || first[1] !== last[1]);
    const ring = open && first ? [...r, first] : r;
    if (ring.length < 4) throw new Error('a polygon ring needs at least 3 distinct vertices');
    return ring;
  });
  s.u32(closed.length);
  for (const r of closed) line(s, r, env, 4);
}
