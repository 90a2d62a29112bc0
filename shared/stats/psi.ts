// Population stability index and re-binning of histograms: pure, shared by dataset diffs and
// drift checks.

/** Proportions below this are clamped so an empty bin does not make the index infinite. */
export const PSI_EPSILON = 1e-4;

/** PSI = Σ (actual − expected) · ln(actual / expected) over matching bins of two distributions. */
export function psi(expectedCounts: number[], actualCounts: number[]): number | null {
  if (expectedCounts.length !== actualCounts.length || expectedCounts.length === 0) return null;
  const e = proportions(expectedCounts);
  const a = proportions(actualCounts);
  if (!e || !a) return null;
  let sum = 0;
  for (let i = 0; i < e.length; i++) {
    const pe = Math.max(e[i]!, PSI_EPSILON);
    const pa = Math.max(a[i]!, PSI_EPSILON);
    sum += (pa - pe) * Math.log(pa / pe);
  }
  return sum;
}

function proportions(counts: number[]): number[] | null {
  const total = counts.reduce((s, c) => s + c, 0);
  return total > 0 ? counts.map((c) => c / total) : null;
}

export interface NumericBin {
  lower: number;
  upper: number;
  count: number;
}

/**
 * Spread a histogram's counts over other bin edges, assuming values are uniform inside each
 * source bin. Mass outside the target range goes to the first or last target bin.
 */
export function rebin(source: NumericBin[], edges: number[]): number[] {
  const n = edges.length - 1;
  const out = new Array<number>(Math.max(n, 0)).fill(0);
  if (n <= 0) return out;
  for (const b of source) {
    if (b.count === 0) continue;
    const width = b.upper - b.lower;
    if (width <= 0) {
      const i = locate(edges, b.upper);
      out[i] = out[i]! + b.count;
      continue;
    }
    for (let i = 0; i < n; i++) {
      const lo = i === 0 ? -Infinity : edges[i]!;
      const hi = i === n - 1 ? Infinity : edges[i + 1]!;
      const overlap = Math.min(hi, b.upper) - Math.max(lo, b.lower);
      if (overlap > 0) out[i] = out[i]! + (b.count * overlap) / width;
    }
  }
  return out;
}

function locate(edges: number[], x: number): number {
  const n = edges.length - 1;
  for (let i = 0; i < n; i++) if (x <= edges[i + 1]!) return i;
  return n - 1;
}

/** The conventional reading of a PSI value. */
export const psiBand = (value: number) => (value < 0.1 ? 'stable' : value < 0.25 ? 'moderate shift' : 'major shift');
