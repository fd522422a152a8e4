/**
 * .prj / WKT → EPSG on every file of the CRS corpus (Esri WKT1 without codes, GDAL WKT1 with
 * AUTHORITY), and proof that identification goes by parameters, not by the PROJCS name.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeEpsg, proj4Definition } from '../../../api/src/imports/crs/crs.catalog.ts';
import { mapWktToEpsg } from '../../../api/src/imports/crs/prj.mapper.ts';
import { corpus, needs } from './corpus.helper.ts';

function codeOf(file: string): number {
  return Number(/EPSG_(\d+)\./.exec(file)?.[1]);
}

/** Esri names EPSG:21473–21483 (deprecated) "Beijing_1954_GK_Zone_13N"; their live twins are 21453–21463. */
function expectedCode(code: number, hasAuthority: boolean): number {
  return !hasAuthority && code >= 21473 && code <= 21483 ? code - 20 : code;
}

describe('.prj → EPSG on the CRS corpus', () => {
  const env = needs({ corpus: ['crs'] });
  for (const dir of ['prj-esri', 'wkt1-gdal']) {
    it.skipIf(env.skip)(`maps every file in crs/${dir} to its EPSG code`, () => {
      env.check();
      const files = readdirSync(corpus('crs', dir)).filter((f) => /^EPSG_\d+\.(prj|wkt)$/.test(f));
      expect(files.length).toBeGreaterThan(150);
      const wrong: string[] = [];
      for (const file of files) {
        const code = codeOf(file);
        const text = readFileSync(corpus('crs', dir, file), 'utf8');
        const match = mapWktToEpsg(text);
        const want = expectedCode(code, /AUTHORITY\["EPSG"/.test(text));
        if (match.kind !== 'epsg' || match.epsg !== want) wrong.push(`${file}: ${JSON.stringify(match)}`);
        if (want !== code) {
          // The substitute must define the same projection as the deprecated code.
          expect(proj4Definition(describeEpsg(want)!)).toBe(proj4Definition(describeEpsg(code)!));
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it.skipIf(env.skip)('identifies Esri .prj files by parameters after their names are replaced', () => {
    env.check();
    const files = readdirSync(corpus('crs', 'prj-esri')).filter((f) => f.endsWith('.prj'));
    const wrong: string[] = [];
    for (const file of files) {
      const code = codeOf(file);
      const text = readFileSync(corpus('crs', 'prj-esri', file), 'utf8')
        .replace(/^(PROJCS|GEOGCS)\["[^"]*"/, '$1["unnamed"')
        .replace(/PROJECTION\["Gauss_Kruger"\]/, 'PROJECTION["Transverse_Mercator"]');
      const match = mapWktToEpsg(text);
      if (match.kind !== 'epsg') {
        wrong.push(`${file}: ${JSON.stringify(match)}`);
        continue;
      }
      // Without a name, a 6° CM zone is indistinguishable from the 3° CM zone on the same meridian:
      // any code with the same definition is right.
      if (proj4Definition(describeEpsg(match.epsg)!) !== proj4Definition(describeEpsg(code)!)) wrong.push(`${file} → ${match.epsg}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('.prj → EPSG edge cases', () => {
  const gk = (name: string, fe: number, cm: number, datum = 'D_China_2000', spheroid = 'SPHEROID["CGCS2000",6378137.0,298.257222101]') =>
    `PROJCS["${name}",GEOGCS["GCS",DATUM["${datum}",${spheroid}],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${fe}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;

  it('trusts parameters over a lying name', () => {
    expect(mapWktToEpsg(gk('CGCS2000_3_Degree_GK_Zone_39', 38500000, 114))).toMatchObject({ kind: 'epsg', epsg: 4526 });
  });

  it('refuses inconsistent false easting and meridian', () => {
    expect(mapWktToEpsg(gk('x', 39500000, 114)).kind).toBe('unrecognized');
    expect(mapWktToEpsg(gk('x', 500000, 114.5)).kind).toBe('unrecognized');
  });

  it('checks the datum against its ellipsoid and knows New Beijing is not Beijing 1954', () => {
    expect(mapWktToEpsg(gk('x', 500000, 114, 'D_China_2000', 'SPHEROID["Krasovsky_1940",6378245.0,298.3]')).kind).toBe('unrecognized');
    expect(mapWktToEpsg(gk('x', 500000, 114, 'D_New_Beijing', 'SPHEROID["Krasovsky_1940",6378245.0,298.3]')).kind).toBe('unrecognized');
    expect(mapWktToEpsg(gk('x', 500000, 114, 'D_Beijing_1954', 'SPHEROID["Krasovsky_1940",6378245.0,298.3]'))).toMatchObject({ epsg: 2435 });
  });

  it('says "invalid" for text that is not WKT (an HTML page saved as .prj)', () => {
    expect(mapWktToEpsg('<!DOCTYPE html><html><head></head></html>').kind).toBe('invalid');
    expect(mapWktToEpsg('').kind).toBe('invalid');
  });

  it('reads WKT2, UTF-8 BOM, Web Mercator and UTM', () => {
    const wkt2 = `PROJCRS["CGCS2000 / 3-degree Gauss-Kruger CM 114E",BASEGEOGCRS["China Geodetic Coordinate System 2000",DATUM["China 2000",ELLIPSOID["CGCS2000",6378137,298.257222101,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]]],CONVERSION["3-degree Gauss-Kruger CM 114E",METHOD["Transverse Mercator",ID["EPSG",9807]],PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433]],PARAMETER["Longitude of natural origin",114,ANGLEUNIT["degree",0.0174532925199433]],PARAMETER["Scale factor at natural origin",1,SCALEUNIT["unity",1]],PARAMETER["False easting",500000,LENGTHUNIT["metre",1]],PARAMETER["False northing",0,LENGTHUNIT["metre",1]]],CS[Cartesian,2],AXIS["northing (X)",north,ORDER[1],LENGTHUNIT["metre",1]],AXIS["easting (Y)",east,ORDER[2],LENGTHUNIT["metre",1]]]`;
    expect(mapWktToEpsg(wkt2)).toMatchObject({ kind: 'epsg', epsg: 4547 });
    expect(mapWktToEpsg(`\uFEFF${wkt2}`)).toMatchObject({ epsg: 4547 });
    const merc =
      'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]';
    expect(mapWktToEpsg(merc)).toMatchObject({ epsg: 3857 });
    const utm = gk('WGS_1984_UTM_Zone_50N', 500000, 117, 'D_WGS_1984', 'SPHEROID["WGS_1984",6378137.0,298.257223563]').replace('"Scale_Factor",1.0', '"Scale_Factor",0.9996');
    expect(mapWktToEpsg(utm)).toMatchObject({ epsg: 32650 });
  });

  it('does not recognise foreign datums or feet', () => {
    const nad83 = 'GEOGCS["GCS_North_American_1983",DATUM["D_North_American_1983",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    expect(mapWktToEpsg(nad83).kind).toBe('unrecognized'); // GRS80 ellipsoid, but not CGCS2000
    const feet = gk('x', 500000, 114).replace('UNIT["Meter",1.0]]', 'UNIT["Foot_US",0.3048006096012192]]');
    expect(mapWktToEpsg(feet).kind).toBe('unrecognized');
  });
});
