/**
 * The JSON the map reads. Suspects and district statistics come from the suspects/stats API (built
 * alongside the map, contract from issue 5); map-config and map-search from the tiles module.
 */

import type { SuspectJson as Suspect } from '../../../api/src/suspects/suspect.mapper.ts';

/** A suspect as listed, and a district reference: the server's own types (type-only, erased at build). */
export type { DistrictRef, SuspectJson as Suspect } from '../../../api/src/suspects/suspect.mapper.ts';

/** A constraint feature a finding matched, with its delivered attributes. */
export interface MatchedFeature {
  featureId: number;
  datasetId: number;
  kind?: string;
  sourceId: string | null;
  code: string | null;
  name: string | null;
  attrs?: Record<string, unknown>;
}

/** GeoJSON geometry (EPSG:4490 lon/lat). */
export interface Geometry {
  type: string;
  coordinates: unknown;
}

/** One rule firing on the suspect: the evidence. */
export interface Finding {
  id: number;
  rule: string;
  ruleName?: { zh: string; en: string };
  overlapM2: number;
  overlapMu?: number;
  share: number;
  matched: MatchedFeature[];
  geometry: Geometry | null;
}

/** A suspect with its findings and outline. */
export interface SuspectDetail extends Suspect {
  findings: Finding[];
  geometry: Geometry | null;
}

/** A page of the suspect list (keyset paging). */
export interface SuspectPage {
  items: Suspect[];
  nextCursor: string | null;
  total?: number;
}

/** Counts and areas of one district: the server's own type (type-only import, erased at build). */
export type { DistrictStats } from '../../../api/src/stats/stats.service.ts';

/** A layer the tile server offers. */
export interface MapLayerInfo {
  name: string;
  title: { zh: string; en: string };
  minzoom: number;
  maxzoom: number;
}

/** GET /api/map-config. */
export interface MapConfig {
  basemap: {
    provider: 'tianditu' | 'xyz';
    tiles: string[];
    labels?: string[];
    crs: 'wgs84' | 'cgcs2000' | 'gcj02';
    shifted: boolean;
    attribution: string;
  } | null;
  bounds: [number, number, number, number] | null;
  layers: MapLayerInfo[];
  filters: { rules: string[]; severities: string[]; statuses: string[] };
  exportUrl: string;
}

/** A hit of GET /api/map-search. */
export interface SearchHit {
  type: 'suspect' | 'district' | 'feature' | 'subject';
  id: string;
  label: string | null;
  detail: string | null;
  bbox: [number, number, number, number];
}

/** GET /api/map-points: [id, lon, lat, severity 0 light | 1 general | 2 serious | -1 none, area m²]. */
export type SuspectPoint = [number, number, number, number, number];

/** A registered imagery date (GET /api/imagery): bbox in lon/lat (EPSG:4490), tiles a URL template. */
export interface ImageryInfo {
  id: number;
  name: string;
  /** Acquisition date, YYYY-MM-DD. */
  date: string;
  bbox: [number, number, number, number];
  resolutionM: number;
  tiles: string;
}

/** One side of a suspect's before/after pair: the PNG to show and its date. */
export interface ThumbnailSide {
  imageryId: number;
  date: string;
  name: string;
  href: string;
}

/** GET /api/imagery/suspects/{id}/thumbnails: a side is null when no imagery covers the site. */
export interface SuspectThumbnails {
  suspectId: number;
  bbox: [number, number, number, number];
  before: ThumbnailSide | null;
  after: ThumbnailSide | null;
}
