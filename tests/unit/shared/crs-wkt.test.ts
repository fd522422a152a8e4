import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gpkgSrsForCgcs2000Gk3 } from '../../../api/src/shared/geopackage/geopackage.writer.ts';
import { CGCS2000_ESRI_PRJ, cgcs2000Gk3Params, cgcs2000GkEsriPrj } from '../../../api/src/shared/shapefile/shapefile.writer.ts';

// Oracle: .prj and WKT1 files PROJ/GDAL wrote for every CGCS2000 3° GK code (shared test corpus).
const CRS_DIR = new URL('../../../../shared/data/crs/', import.meta.url);
const haveCorpus = existsSync(new URL('prj-esri/EPSG_4547.prj', CRS_DIR));
if (!haveCorpus) {
  if (process.env.LANDWATCH_REQUIRE_ALL === '1') throw new Error('LANDWATCH_REQUIRE_ALL=1 but ../shared/data/crs is missing');
  console.warn('[skip] CRS oracle files (../shared/data/crs) not found');
}
const CODES = Array.from({ length: 4554 - 4513 + 1 }, (_, i) => 4513 + i);

describe('CGCS2000 WKT builders', () => {
  it('exact ArcGIS form for EPSG:4547 and the zone-prefixed EPSG:4526', () => {
    expect(cgcs2000GkEsriPrj(4547)).toBe(
      'PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]',
    );
    expect(cgcs2000GkEsriPrj(4526)).toContain('PROJCS["CGCS2000_3_Degree_GK_Zone_38"');
    expect(cgcs2000GkEsriPrj(4526)).toContain('PARAMETER["False_Easting",38500000.0]');
    expect(cgcs2000Gk3Params(4490)).toBeNull();
    expect(() => cgcs2000GkEsriPrj(4490)).toThrow(RangeError);
  });

  it.skipIf(!haveCorpus)('matches the PROJ-written Esri .prj and GDAL WKT1 for all of EPSG:4513–4554 and 4490', () => {
    for (const code of CODES) {
      expect(cgcs2000GkEsriPrj(code), `EPSG:${code}`).toBe(readFileSync(new URL(`prj-esri/EPSG_${code}.prj`, CRS_DIR), 'utf8').trim());
      expect(gpkgSrsForCgcs2000Gk3(code).definition, `EPSG:${code}`).toBe(readFileSync(new URL(`wkt1-gdal/EPSG_${code}.wkt`, CRS_DIR), 'utf8').trim());
    }
    expect(CGCS2000_ESRI_PRJ).toBe(readFileSync(new URL('prj-esri/EPSG_4490.prj', CRS_DIR), 'utf8').trim());
  });
});
