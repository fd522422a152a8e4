import { gunzipSync } from 'node:zlib';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../api/src/db/db.types.ts';
import { errorHandler } from '../../../api/src/http/error.middleware.ts';
import { createLogger } from '../../../api/src/logger.ts';
import { gzipOf } from '../../../api/src/tiles/tile-cache.ts';
import { parseTileFilters } from '../../../api/src/tiles/tile-filters.ts';
import { createTilesRouter } from '../../../api/src/tiles/tiles.routes.ts';
import { TileService } from '../../../api/src/tiles/tiles.service.ts';
import { createTestApp } from '../../helpers/test-app.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { insertGeneratedPolygons, PARCEL_LIKE } from './generated-polygons.ts';
import { decodeTile } from './mvt-compare.ts';
import { FIXTURE_CENTER, insertMapFixture, tileOf, type MapFixture } from './tiles-fixture.ts';

let db: Db;
let fixture: MapFixture;
let app: ReturnType<typeof createTestApp>['app'];
beforeAll(async () => {
  db = await createTestDb();
  fixture = await insertMapFixture(db);
  await insertGeneratedPolygons(db, PARCEL_LIKE);
  app = createTestApp(db).app;
});
afterAll(async () => {
  await db?.close();
});

const { lon, lat } = FIXTURE_CENTER;
// z12 holds the whole fixture; buildings (minzoom 14) are fetched at z14 around each one.
const t12 = tileOf(lon, lat, 12);
const tilePath = (layer: string, t = t12, query = '') => `/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt${query}`;

/** Fetches a tile as raw bytes (supertest would otherwise try to parse it). */
function getTile(path: string) {
  return request(app)
    .get(path)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

describe('GET /tiles/:layer/:z/:x/:y.mvt', () => {
  it('serves suspects with the attributes the map styles and pops up', async () => {
    const res = await getTile(tilePath('suspects')).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(res.headers['cache-control']).toBe('public, no-cache');
    expect(res.headers.etag).toMatch(/^W\/".+"$/);
    const features = decodeTile(res.body as Buffer).suspects ?? [];
    expect(features.map((f) => f.id)).toEqual([fixture.suspectIds.serious, fixture.suspectIds.general, fixture.suspectIds.light]);
    expect(features[0]!.properties).toEqual({
      severity: 'serious',
      rules: 'FARMLAND,NO_PERMIT',
      status: 'new',
      isNew: false,
      district: '440305001001',
      areaM2: expect.any(Number) as number,
    });
    expect(features[0]!.properties.areaM2).toBeGreaterThan(5000);
  });

  it('serves every constraint kind, districts, buildings by epoch and change patches', async () => {
    const layers: Array<[string, string, number]> = [
      ['basic_farmland', '', 1],
      ['cultivated_land', '', 1],
      ['planning_zone', '', 1],
      ['permit', '', 1],
      ['district', '', 4],
      ['district', '?level=village', 2],
      ['change_patch', '', 1],
    ];
    for (const [layer, query, count] of layers) {
      const res = await getTile(tilePath(layer, t12, query)).expect(200);
      const features = decodeTile(res.body as Buffer)[layer] ?? [];
      expect(features, `${layer}${query}`).toHaveLength(count);
    }
    const buildings = async (query: string) => {
      const ids = new Set<number | undefined>();
      for (const [bx, by] of [[lon - 0.0075, lat - 0.0076], [lon + 0.0056, lat + 0.0055], [lon + 0.0144, lat - 0.0057]] as const) {
        const res = await getTile(tilePath('building', tileOf(bx, by, 14), query));
        for (const f of decodeTile(res.body as Buffer).building ?? []) ids.add(f.id);
      }
      return [...ids].sort((a, b) => (a ?? 0) - (b ?? 0));
    };
    const [b2023, b2024a, b2024b, b2024c] = fixture.buildingIds;
    expect(await buildings('')).toEqual([b2023, b2024a, b2024b, b2024c]);
    expect(await buildings('?epoch=2023-01-01')).toEqual([b2023]);
    expect(await buildings('?epoch=2024-06-30')).toEqual([b2024a, b2024b, b2024c]);
    const district = decodeTile((await getTile(tilePath('district', t12, '?level=county')).expect(200)).body as Buffer).district!;
    expect(district[0]).toMatchObject({ id: 440305000000, properties: { code: '440305000000', name: '南山区', level: 'county' } });
  });

  it('filters suspects by rule, severity, status, district prefix, epoch and minimum area', async () => {
    const ids = async (query: string) =>
      (decodeTile((await getTile(tilePath('suspects', t12, query))).body as Buffer).suspects ?? []).map((f) => f.id);
    const { serious, general, light } = fixture.suspectIds;
    expect(await ids('?rule=FARMLAND')).toEqual([serious]);
    expect(await ids('?rule=ZONE_USE,CULTIVATED')).toEqual([general, light]);
    expect(await ids('?severity=serious&severity=light')).toEqual([serious, light]);
    expect(await ids('?district=440305001002')).toEqual([general, light]);
    expect(await ids('?district=440305000000')).toEqual([serious, general, light]);
    expect(await ids('?epoch=2024-06-30&status=new')).toEqual([serious, general, light]);
    expect(await ids('?minArea=9000')).toEqual([serious, general]);
    expect(await ids('?status=dismissed')).toEqual([]);
  });

  it('answers 204 for an empty tile and below the layer minzoom', async () => {
    const far = await getTile(tilePath('suspects', tileOf(100, 40, 14))).expect(204);
    expect(far.headers.etag).toBe('W/"empty"');
    await getTile(tilePath('building', tileOf(lon, lat, 12))).expect(204);
    await getTile(tilePath('suspects', t12, '?status=dismissed')).expect(204);
  });

  it('answers 304 to If-None-Match with the current ETag, and serves repeats from its cache', async () => {
    const first = await getTile(tilePath('basic_farmland')).expect(200);
    const etag = first.headers.etag as string;
    const again = await request(app).get(tilePath('basic_farmland')).set('If-None-Match', etag).expect(304);
    expect(again.headers['x-tile-cache']).toBe('hit');
    expect(again.text ?? '').toBe('');
    await request(app).get(tilePath('basic_farmland')).set('If-None-Match', `W/"other", ${etag}`).expect(304);
    await getTile(tilePath('basic_farmland')).set('If-None-Match', 'W/"stale"').expect(200);
  });

  it('gzips tiles for clients that accept it', async () => {
    const t = tileOf(lon, lat, 12);
    const res = await getTile(tilePath('ecological_redline', t)).set('Accept-Encoding', 'gzip').expect(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect((decodeTile(res.body as Buffer).ecological_redline ?? []).length).toBeGreaterThan(10);
  });

  it('compresses a cached tile once, off the event loop, and keeps the copy with the entry', async () => {
    const service = new TileService(db);
    const parsed = parseTileFilters('constraint', 'ecological_redline', {});
    if (!parsed.ok) throw parsed.error;
    const t = tileOf(lon, lat, 12);
    const first = await service.tile('ecological_redline', t, parsed.filters);
    const gz = await gzipOf(first.entry);
    expect(gz).not.toBeNull();
    expect(gunzipSync(gz!).equals(first.bytes!)).toBe(true);
    const again = await service.tile('ecological_redline', t, parsed.filters);
    expect(again.cache).toBe('hit');
    expect(again.entry).toBe(first.entry);
    expect(await gzipOf(again.entry)).toBe(gz);
  });

  it('shows a changed suspect in the very next tile (cache follows the data)', async () => {
    const { serious } = fixture.suspectIds;
    const before = await getTile(tilePath('suspects', t12, '?status=new')).expect(200);
    expect((await getTile(tilePath('suspects', t12, '?status=new')).expect(200)).headers['x-tile-cache']).toBe('hit');
    await db.query(`UPDATE suspect SET status = 'confirmed', updated_at = now() WHERE id = $1`, [serious]);

    const filtered = await getTile(tilePath('suspects', t12, '?status=new')).expect(200);
    expect(filtered.headers['x-tile-cache']).toBe('miss');
    expect(filtered.headers.etag).not.toBe(before.headers.etag);
    expect((decodeTile(filtered.body as Buffer).suspects ?? []).map((f) => f.id)).not.toContain(serious);
    const all = decodeTile((await getTile(tilePath('suspects')).expect(200)).body as Buffer).suspects ?? [];
    expect(all.find((f) => f.id === serious)?.properties.status).toBe('confirmed');
    // A browser revalidating with the old ETag gets the new tile, not 304.
    await getTile(tilePath('suspects', t12, '?status=new')).set('If-None-Match', before.headers.etag as string).expect(200);

    await db.query(`UPDATE suspect SET active = false WHERE id <> $1`, [serious]);
    const inactive = decodeTile((await getTile(tilePath('suspects')).expect(200)).body as Buffer).suspects ?? [];
    expect(inactive.map((f) => f.id)).toEqual([serious]);
    await db.query(`UPDATE suspect SET active = true, status = 'new'`);
  });

  it('renders every request with LANDWATCH_TILE_CACHE_MB=0, same tiles, data changes at once', async () => {
    const uncached = createTestApp(db, { LANDWATCH_TILE_CACHE_MB: '0' }).app;
    const get = (path: string) =>
      request(uncached)
        .get(path)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
    const cached = await getTile(tilePath('basic_farmland')).expect(200);
    const first = await get(tilePath('basic_farmland')).expect(200);
    const second = await get(tilePath('basic_farmland')).expect(200);
    expect([first.headers['x-tile-cache'], second.headers['x-tile-cache']]).toEqual(['off', 'off']);
    expect(Buffer.compare(first.body as Buffer, cached.body as Buffer)).toBe(0);
    expect(second.headers.etag).toBe(cached.headers.etag);
    await request(uncached).get(tilePath('basic_farmland')).set('If-None-Match', cached.headers.etag as string).expect(304);

    const ids = () => get(tilePath('suspects')).then((r) => (decodeTile(r.body as Buffer).suspects ?? []).map((f) => f.id));
    const before = await ids();
    expect(before.length).toBeGreaterThan(0);
    await db.query(`UPDATE suspect SET active = false WHERE id = $1`, [before[0]]);
    try {
      expect(await ids()).toEqual(before.slice(1));
    } finally {
      await db.query(`UPDATE suspect SET active = true WHERE id = $1`, [before[0]]);
    }
  });

  it('stops drawing a layer version once it is superseded', async () => {
    await getTile(tilePath('permit')).expect(200);
    await db.query(`UPDATE dataset SET status = 'superseded', superseded_at = now() WHERE kind = 'permit'`);
    await getTile(tilePath('permit')).expect(204);
    await db.query(`UPDATE dataset SET status = 'active', superseded_at = NULL WHERE kind = 'permit'`);
    await getTile(tilePath('permit')).expect(200);
  });

  it('rejects filters outside the allow-lists and bad addresses with problem+json', async () => {
    const bad: Array<[string, number, string]> = [
      [tilePath('suspects', t12, '?severity=extreme'), 400, 'query.severity'],
      [tilePath('suspects', t12, "?rule=FARMLAND,'%3BDROP%20TABLE%20suspect"), 400, 'query.rule'],
      [tilePath('suspects', t12, '?district=4403%25'), 400, 'query.district'],
      [tilePath('suspects', t12, '?epoch=2024-02-30'), 400, 'query.epoch'],
      [tilePath('suspects', t12, '?minArea=-5'), 400, 'query.minArea'],
      [tilePath('suspects', t12, '?colour=red'), 400, 'query'],
      [tilePath('building', t12, '?severity=serious'), 400, 'query'],
      [tilePath('district', t12, '?level=planet'), 400, 'query.level'],
      ['/tiles/suspects/23/0/0.mvt', 400, 'params.z'],
      ['/tiles/suspects/3/8/0.mvt', 400, 'params.x'],
      ['/tiles/suspects/3/a/0.mvt', 400, 'params.x'],
      ['/tiles/parcels/3/0/0.mvt', 404, 'params.layer'],
      ['/tiles/suspects/3/0/0.pbf', 404, ''],
    ];
    for (const [path, status, field] of bad) {
      const res = await request(app).get(path).expect(status);
      expect(res.headers['content-type'], path).toMatch(/^application\/problem\+json/);
      expect(String(res.body.field ?? ''), path).toContain(field);
    }
  });
});

describe('GET /tiles/:layer.json', () => {
  it('describes a layer as TileJSON 3.0 with its filters carried into the tiles URL', async () => {
    const res = await request(app).get('/tiles/suspects.json?severity=serious,general&district=440305001000').expect(200);
    const doc = res.body as Record<string, unknown> & { tiles: string[]; bounds: number[]; vector_layers: Array<Record<string, unknown>> };
    expect(doc.tilejson).toBe('3.0.0');
    expect(doc.tiles[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tiles\/suspects\/\{z\}\/\{x\}\/\{y\}\.mvt\?district=440305001&severity=general%2Cserious$/);
    expect(doc.minzoom).toBe(8);
    expect(doc.maxzoom).toBe(18);
    expect(doc.bounds[0]).toBeGreaterThan(lon - 0.02);
    expect(doc.bounds[2]).toBeLessThan(lon + 0.02);
    expect(doc.vector_layers[0]).toMatchObject({ id: 'suspects', minzoom: 8, maxzoom: 18 });
    expect(Object.keys(doc.vector_layers[0]!.fields as object)).toEqual(['severity', 'rules', 'status', 'isNew', 'district', 'areaM2']);
  });

  it('lists the epochs of building layers, and answers bad filters and layers with problems', async () => {
    const res = await request(app).get('/tiles/building.json').expect(200);
    expect(res.body.epochs).toEqual(['2023-01-01', '2024-06-30']);
    expect(res.body.minzoom).toBe(14);
    await request(app).get('/tiles/suspects.json?severity=none').expect(400);
    await request(app).get('/tiles/nothing.json').expect(404);
  });
});

describe('GET /api/map-config and /api/map-search', () => {
  it('has no basemap by default (offline), and the data extent for the first view', async () => {
    const res = await request(app).get('/api/map-config').expect(200);
    expect(res.body.basemap).toBeNull();
    expect(res.body.bounds).toHaveLength(4);
    expect(res.body.layers.map((l: { name: string }) => l.name)).toContain('suspects');
    expect(res.body.filters.rules).toContain('FARMLAND');
  });

  it('offers Tianditu with a key, flags GCJ-02 providers, and refuses bad settings', async () => {
    const appWith = (env: Record<string, string>) => {
      const a = express();
      a.use(createTilesRouter({ db }, { env }));
      a.use(errorHandler(createLogger('silent')));
      return a;
    };
    const tianditu = (await request(appWith({ LANDWATCH_TIANDITU_TOKEN: 'abc123def456' })).get('/api/map-config').expect(200)).body.basemap;
    expect(tianditu).toMatchObject({ provider: 'tianditu', crs: 'cgcs2000', shifted: false });
    expect(tianditu.tiles[0]).toBe('https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=abc123def456');
    expect(tianditu.labels[0]).toContain('T=cva_w');
    const amap = (await request(appWith({ LANDWATCH_BASEMAP_URL: 'https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}&style=8' })).get('/api/map-config')).body.basemap;
    expect(amap).toMatchObject({ provider: 'xyz', crs: 'gcj02', shifted: true });
    const flagged = (await request(appWith({ LANDWATCH_BASEMAP_URL: 'https://tiles.example/{z}/{x}/{y}.png', LANDWATCH_BASEMAP_CRS: 'gcj02' })).get('/api/map-config')).body.basemap;
    expect(flagged.shifted).toBe(true);
    const plain = (await request(appWith({ LANDWATCH_BASEMAP_URL: 'https://tiles.example/{z}/{x}/{y}.png' })).get('/api/map-config')).body.basemap;
    expect(plain).toMatchObject({ crs: 'wgs84', shifted: false });
    expect(() => appWith({ LANDWATCH_BASEMAP_CRS: 'bd09' })).toThrow(/LANDWATCH_BASEMAP_CRS/);
    expect(() => appWith({ LANDWATCH_BASEMAP_URL: 'https://tiles.example/tile.png' })).toThrow(/LANDWATCH_BASEMAP_URL/);
  });

  it('gives a point per matching suspect for the hexagon view, with the tile filters', async () => {
    const all = (await request(app).get('/api/map-points').expect(200)).body as { points: number[][]; truncated: boolean };
    expect(all.truncated).toBe(false);
    expect(all.points.map((p) => p[0])).toEqual([fixture.suspectIds.serious, fixture.suspectIds.general, fixture.suspectIds.light]);
    const [id, plon, plat, sev, area] = all.points[0]!;
    expect(id).toBe(fixture.suspectIds.serious);
    expect(plon).toBeCloseTo(lon - 0.0075, 3);
    expect(plat).toBeCloseTo(lat - 0.0076, 3);
    expect(sev).toBe(2);
    expect(area).toBeGreaterThan(9000);
    const serious = (await request(app).get('/api/map-points?severity=serious').expect(200)).body.points as number[][];
    expect(serious.map((p) => p[0])).toEqual([fixture.suspectIds.serious]);
    await request(app).get('/api/map-points?severity=bad').expect(400);
  });

  it('finds suspects by id and source id, districts by name, features by source id', async () => {
    const search = async (q: string) => (await request(app).get('/api/map-search').query({ q }).expect(200)).body.results as Array<Record<string, unknown>>;
    const byId = await search(String(fixture.suspectIds.general));
    expect(byId[0]).toMatchObject({ type: 'suspect', id: String(fixture.suspectIds.general), label: 'JZ-0107', detail: '440305001002' });
    expect((byId[0]!.bbox as number[])[0]).toBeCloseTo(lon + 0.005, 6);
    const bySource = await search('JZ-0107');
    expect(bySource.map((h) => h.type).sort()).toEqual(['subject', 'suspect']);
    const district = await search('科技园');
    expect(district).toEqual([expect.objectContaining({ type: 'district', id: '440305001001', label: '科技园社区', detail: 'village' })]);
    expect(await search('JBNT-001')).toEqual([expect.objectContaining({ type: 'feature', detail: 'basic_farmland' })]);
    expect(await search('%')).toEqual([]);
    await request(app).get('/api/map-search').expect(400);
  });
});
