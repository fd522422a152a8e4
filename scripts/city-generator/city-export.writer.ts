/**
 * Writes the generated county's layers for peers that read files (GeoPandas): the latest buildings,
 * farmland (basic farmland + cultivated parcels of the codes CULTIVATED checks) and passages, as
 * GeoJSON FeatureCollections in EPSG:4490 lon/lat, streamed from a cursor (bounded memory).
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../api/src/db/db.types.ts';
import type { CityIds } from './city.generator.ts';

/** Streams one query's rows ({id, geometry GeoJSON text}) into a FeatureCollection file. */
export async function exportGeoJson(db: Db, file: string, idName: string, sql: string, values: unknown[]): Promise<number> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('{"type":"FeatureCollection","features":[\n');
  let n = 0;
  for await (const batch of db.stream<{ id: number; geometry: string }>(sql, values, { batchSize: 5000 })) {
    for (const row of batch) {
      await write(`${n ? ',\n' : ''}{"type":"Feature","properties":{"${idName}":${row.id}},"geometry":${row.geometry}}`);
      n += 1;
    }
  }
  await write('\n]}\n');
  await new Promise<void>((r) => out.end(() => r()));
  return n;
}

/** Writes buildings.geojson (bid), farmland.geojson (fid) and passages.geojson (pid) into `dir`; returns the paths. */
export async function exportCityLayers(db: Db, ids: CityIds, dir: string): Promise<{ buildings: string; farmland: string; passages: string }> {
  const files = {
    buildings: path.join(dir, 'buildings.geojson'),
    farmland: path.join(dir, 'farmland.geojson'),
    passages: path.join(dir, 'passages.geojson'),
  };
  await exportGeoJson(db, files.buildings, 'bid', 'SELECT id, ST_AsGeoJSON(geom, 9) AS geometry FROM subject WHERE dataset_id = $1 ORDER BY id', [ids.latest]);
  await exportGeoJson(
    db,
    files.farmland,
    'fid',
    `SELECT id, ST_AsGeoJSON(geom, 9) AS geometry FROM constraint_feature
     WHERE dataset_id = $1 OR (dataset_id = $2 AND left(code, 2) = '01') ORDER BY id`,
    [ids.farmland, ids.cultivated],
  );
  await exportGeoJson(db, files.passages, 'pid', 'SELECT id, ST_AsGeoJSON(geom, 9) AS geometry FROM constraint_feature WHERE dataset_id = $1 ORDER BY id', [
    ids.passage,
  ]);
  return files;
}
