/**
 * Pixel accuracy of a change mask against a reference mask: counts, precision, recall and F1 (the
 * figures docs/change-detection.md reports for OSCD). Pixels where `ignore` is set are left out.
 */

/** Confusion counts and scores; scores are 0 when undefined (no positives). */
export interface PixelScores {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Scores `predicted` (1 = change) against `reference` (isChange decides what a label value means). */
export function pixelScores(predicted: ArrayLike<number>, reference: ArrayLike<number>, isChange: (label: number) => boolean, ignore?: ArrayLike<number>): PixelScores {
  if (predicted.length !== reference.length) throw new RangeError(`mask of ${predicted.length} pixels against labels of ${reference.length}`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < predicted.length; i++) {
    if (ignore?.[i]) continue;
    const p = (predicted[i] as number) !== 0;
    const t = isChange(reference[i] as number);
    if (p && t) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}
