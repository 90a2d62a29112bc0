// The statistics of the drift check, pure: Jensen-Shannon distance (as the bundle's app/drift.py
// computes it), the two-sample Kolmogorov-Smirnov test (the statistic from counts at the
// reference's values, the p-value exact for small samples and asymptotic otherwise), and Pearson's
// chi-square test of homogeneity. PSI comes from shared/stats/psi.ts (the dataset diff's).

const shares = (counts: number[]): number[] | null => {
  const total = counts.reduce((s, c) => s + c, 0);
  return total > 0 ? counts.map((c) => c / total) : null;
};

/** Jensen-Shannon distance between two count vectors over the same buckets: sqrt(JSD), base 2, in [0, 1]. */
export function jsDistance(expectedCounts: number[], actualCounts: number[]): number | null {
  if (expectedCounts.length !== actualCounts.length || expectedCounts.length === 0) return null;
  const p = shares(expectedCounts);
  const q = shares(actualCounts);
  if (!p || !q) return null;
  let div = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    if (p[i]! > 0) div += 0.5 * p[i]! * Math.log2(p[i]! / m);
    if (q[i]! > 0) div += 0.5 * q[i]! * Math.log2(q[i]! / m);
  }
  return Math.sqrt(Math.max(div, 0));
}

/** The largest double below x (x finite). */
export function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const buf = new Float64Array([x]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0] = x > 0 ? bits[0]! - 1n : bits[0]! + 1n;
  return buf[0]!;
}

/** One distinct value of a sample with how often it occurs, in increasing order of value. */
export interface ValueCount {
  value: number;
  count: number;
}

/**
 * Bin boundaries that give, for each distinct reference value t, how many batch values equal t and
 * how many lie strictly between it and the previous one: [nextDown(t1), t1, nextDown(t2), t2, …]
 * (a value falls in the first boundary not below it; above the last, in the overflow bin).
 */
export function ksBoundaries(reference: ValueCount[]): number[] {
  const out: number[] = [];
  for (const { value } of reference) {
    const below = nextDown(value);
    if (out.length === 0 || below > out.at(-1)!) out.push(below);
    out.push(value);
  }
  return out;
}

/**
 * The two-sample KS statistic sup |F_ref − F_batch| from the reference's distinct values and the
 * batch's counts in ksBoundaries(reference) (`binCount(boundary)`, and `above`: the batch values
 * past the last one). Exact: F_ref is constant between its values, F_batch is monotone, so the
 * supremum is reached at a reference value or just below one.
 */
export function ksFromBoundaryCounts(reference: ValueCount[], binCount: (boundary: number) => number, above: number): { statistic: number; n: number; m: number } | null {
  const n = reference.reduce((s, r) => s + r.count, 0);
  let m = above;
  const gaps: number[] = [];
  const equal: number[] = [];
  let previous = -Infinity;
  for (const { value } of reference) {
    const below = nextDown(value);
    const gap = below > previous ? binCount(below) : 0;
    const eq = binCount(value);
    gaps.push(gap);
    equal.push(eq);
    m += gap + eq;
    previous = value;
  }
  if (n === 0 || m === 0) return null;
  let d = 0;
  let cumRef = 0;
  let cumBatch = 0;
  reference.forEach((r, i) => {
    cumBatch += gaps[i]!;
    d = Math.max(d, Math.abs(cumRef / n - cumBatch / m));
    cumRef += r.count;
    cumBatch += equal[i]!;
    d = Math.max(d, Math.abs(cumRef / n - cumBatch / m));
  });
  return { statistic: d, n, m };
}

/**
 * The Kolmogorov distribution's survival function Q(x) = P(K > x) = 2 Σ (−1)^(k−1) exp(−2k²x²)
 * (scipy.special.kolmogorov), with the dual series for small x.
 */
export function kolmogorovSf(x: number): number {
  if (!(x > 0)) return 1;
  if (x < 1.18) {
    // 1 − sqrt(2π)/x Σ exp(−(2k−1)²π²/(8x²))
    const w = (Math.PI * Math.PI) / (8 * x * x);
    let s = 0;
    for (let k = 1; k <= 20; k++) {
      const term = Math.exp(-(2 * k - 1) * (2 * k - 1) * w);
      s += term;
      if (term < 1e-17) break;
    }
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / x) * s));
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    s += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

/** Largest n·m for which the exact p-value (a walk over the n × m lattice) is computed. */
export const KS_EXACT_CELLS = 25_000_000;

/**
 * P(D ≥ d) for the two-sided two-sample KS test of samples of n and m values under the null: the
 * share of interleavings of the two samples whose empirical CDFs ever differ by d or more
 * (exact, as scipy's method='exact', when n·m ≤ KS_EXACT_CELLS), else the asymptotic Kolmogorov
 * distribution at sqrt(nm/(n+m))·d.
 */
export function ksPValue(d: number, n: number, m: number): { pValue: number; method: 'exact' | 'asymptotic' } {
  if (!(d > 0)) return { pValue: 1, method: 'exact' };
  if (n * m > KS_EXACT_CELLS) return { pValue: kolmogorovSf(Math.sqrt((n * m) / (n + m)) * d), method: 'asymptotic' };
  // A lattice point (i, j) is "out" when |i/n − j/m| ≥ d, i.e. |i·m − j·n| ≥ h.
  const h = Math.ceil(d * n * m - 1e-7);
  // inside[j]: the probability of reaching (i, j) without having been out; the mass that steps
  // out is summed as the p-value directly (no 1 − x cancellation for small p).
  let inside = new Float64Array(m + 1);
  let next = new Float64Array(m + 1);
  inside[0] = 1;
  let out = 0;
  for (let j = 1; j <= m; j++) {
    const p = inside[j - 1]! * ((m - j + 1) / (n + m - j + 1));
    if (Math.abs(-j * n) >= h) {
      out += p;
      inside[j] = 0;
    } else inside[j] = p;
  }
  for (let i = 1; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      // From (i−1, j) a reference value comes next; from (i, j−1) a batch value.
      const fromAbove = inside[j]! * ((n - i + 1) / (n - i + 1 + m - j));
      const fromLeft = j > 0 ? next[j - 1]! * ((m - j + 1) / (n - i + m - j + 1)) : 0;
      const p = fromAbove + fromLeft;
      if (Math.abs(i * m - j * n) >= h) {
        out += p;
        next[j] = 0;
      } else next[j] = p;
    }
    [inside, next] = [next, inside];
  }
  return { pValue: Math.min(1, Math.max(0, out)), method: 'exact' };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
export function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized upper incomplete gamma function Q(a, x) (series below a + 1, continued fraction above). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lead));
  }
  // Lentz's continued fraction for Γ(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let f = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(lead) * f);
}

/** P(χ²_df ≥ x). */
export const chiSquareSf = (x: number, df: number) => gammaQ(df / 2, x / 2);

/** Expected counts below this make the chi-square approximation unreliable (Cochran). */
export const CHI2_MIN_EXPECTED = 5;

export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
  /** Buckets pooled together because their expected counts were below 5. */
  pooled: number;
}

/**
 * Pearson's chi-square test of homogeneity of two count vectors over the same buckets (a 2 × k
 * table, no continuity correction). Buckets whose expected count is below 5 on either side are
 * pooled into one (merged with the smallest other bucket if the pool is still too small); null when
 * fewer than two buckets remain.
 */
export function chiSquareHomogeneity(reference: number[], current: number[]): ChiSquareResult | null {
  const R = reference.reduce((s, c) => s + c, 0);
  const C = current.reduce((s, c) => s + c, 0);
  const N = R + C;
  if (R === 0 || C === 0) return null;
  let columns = reference.map((r, i) => ({ r, c: current[i]! })).filter((x) => x.r + x.c > 0);
  const small = (x: { r: number; c: number }) => (Math.min(R, C) * (x.r + x.c)) / N < CHI2_MIN_EXPECTED;
  const pool = columns.filter(small);
  let pooled = 0;
  if (pool.length > 0) {
    columns = columns.filter((x) => !small(x));
    const merged = pool.reduce((a, x) => ({ r: a.r + x.r, c: a.c + x.c }), { r: 0, c: 0 });
    pooled = pool.length;
    if (small(merged) && columns.length > 0) {
      columns.sort((a, b) => a.r + a.c - (b.r + b.c));
      columns[0] = { r: columns[0]!.r + merged.r, c: columns[0]!.c + merged.c };
    } else columns.push(merged);
  }
  if (columns.length < 2) return null;
  let statistic = 0;
  for (const x of columns) {
    const t = x.r + x.c;
    const er = (R * t) / N;
    const ec = (C * t) / N;
    statistic += (x.r - er) ** 2 / er + (x.c - ec) ** 2 / ec;
  }
  const df = columns.length - 1;
  return { statistic, df, pValue: chiSquareSf(statistic, df), pooled };
}
