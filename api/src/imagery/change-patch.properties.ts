/**
 * Attributes of a detected change patch (图斑), named as in the ministry's patch tables where a name
 * exists (JCBH 监测编号, TBLX 图斑类型, QSX/HSX 前/后时相, MJ 面积 m²) and in plain English otherwise.
 */
import { area as turfArea } from '@turf/turf';
import type { Position } from 'geojson';
import type { Component } from './run-components.ts';

/** Properties of one change patch feature. */
export interface ChangePatchProperties {
  /** Monitoring number: QSX-HSX-sequence, e.g. "20161209-20180309-0001". */
  JCBH: string;
  /** Patch type from the spectral direction: vegetation_loss | brightening | darkening | spectral_change. */
  TBLX: string;
  /** Before date (前时相), YYYY-MM-DD. */
  QSX: string;
  /** After date (后时相), YYYY-MM-DD. */
  HSX: string;
  /** Area in m² on the sphere (the database stores its own ellipsoidal area_m2). */
  MJ: number;
  /** Mean change magnitude over the patch, in no-change noise σ units (Mahalanobis). */
  mean_magnitude: number;
  threshold: number;
  threshold_method: string;
  /** Mean NDVI before/after (raw digital numbers), null without red and NIR bands. */
  ndvi_before: number | null;
  ndvi_after: number | null;
  /** Mean over bands of the normalised difference in noise σ; > 0 brighter after. */
  brightness_change: number;
  /** 0–1: how far the patch's mean magnitude clears the threshold ((mean − t) / t, capped at 1). */
  confidence: number;
  pixels: number;
  method: string;
}

/** Method tag stored with every patch, so a patch says how it was found. */
export const CHANGE_METHOD = 'landwatch-cd/1 pif-rma + mahalanobis-3x3';

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * Patch type rule (documented in docs/change-detection.md): NDVI drop ≥ 0.1 → vegetation_loss;
 * else mean brightness change ≥ +1 σ → brightening, ≤ −1 σ → darkening; else spectral_change.
 */
export function patchType(ndviBefore: number | null, ndviAfter: number | null, brightness: number): string {
  if (ndviBefore !== null && ndviAfter !== null && ndviBefore - ndviAfter >= 0.1) return 'vegetation_loss';
  if (brightness >= 1) return 'brightening';
  if (brightness <= -1) return 'darkening';
  return 'spectral_change';
}

/** Builds the properties of one component's patch. */
export function changePatchProperties(
  c: Component,
  ctx: { before: string; after: string; threshold: number; areaM2: number; index: number; ndvi: boolean; thresholdHow: string },
): ChangePatchProperties {
  const mean = c.pixels ? c.sumMagnitude / c.pixels : 0;
  const brightness = c.pixels ? c.sumBrightness / c.pixels : 0;
  const ndviBefore = ctx.ndvi && c.ndviPixels > 0 ? round(c.sumNdviBefore / c.ndviPixels, 3) : null;
  const ndviAfter = ctx.ndvi && c.ndviPixels > 0 ? round(c.sumNdviAfter / c.ndviPixels, 3) : null;
  return {
    JCBH: `${ctx.before.replace(/-/g, '')}-${ctx.after.replace(/-/g, '')}-${String(ctx.index).padStart(4, '0')}`,
    TBLX: patchType(ndviBefore, ndviAfter, brightness),
    QSX: ctx.before,
    HSX: ctx.after,
    MJ: round(ctx.areaM2, 2),
    mean_magnitude: round(mean, 3),
    threshold: round(ctx.threshold, 3),
    threshold_method: ctx.thresholdHow,
    ndvi_before: ndviBefore,
    ndvi_after: ndviAfter,
    brightness_change: round(brightness, 3),
    confidence: round(Math.max(0, Math.min(1, (mean - ctx.threshold) / Math.max(ctx.threshold, 1e-9))), 3),
    pixels: c.pixels,
    method: CHANGE_METHOD,
  };
}

/** Area of one lon/lat ring in m² (Turf's spherical formula, radius 6,378,137 m); orientation ignored. */
export function ringAreaM2(ring: Position[]): number {
  return turfArea({ type: 'Polygon', coordinates: [ring] });
}

/** The ring oriented counter-clockwise (shell) or clockwise (hole) in lon/lat, as RFC 7946 asks. */
export function orientRing(ring: Position[], counterClockwise: boolean): Position[] {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += (ring[i]![0] as number) * (ring[i + 1]![1] as number) - (ring[i + 1]![0] as number) * (ring[i]![1] as number);
  return s > 0 === counterClockwise ? ring : ring.slice().reverse();
}
