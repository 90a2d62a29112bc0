// The drift statistics against independent computations: scipy (Debian's python3-scipy, which
// python3-sklearn depends on) for KS, chi-square and the Kolmogorov distribution, and
// hand-written Python for PSI and JS as app/drift.py defines them.
import { describe, expect, it } from 'vitest';
import { psi } from '../../../shared/stats/psi.js';
import { python, rng } from '../../test-support/datasets.js';
import { pythonJson } from '../../test-support/models.js';
import { chiSquareHomogeneity, chiSquareSf, jsDistance, kolmogorovSf, ksBoundaries, ksFromBoundaryCounts, ksPValue, nextDown, type ValueCount } from './stats.js';

/** Count values into DuckDB-histogram-like bins: the first boundary not below the value, else overflow. */
function binCounts(values: number[], boundaries: number[]) {
  const counts = new Map<number, number>();
  let above = 0;
  for (const v of values) {
    const b = boundaries.find((x) => v <= x);
    if (b === undefined) above++;
    else counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  return { counts, above };
}

const valueCounts = (xs: number[]): ValueCount[] => {
  const m = new Map<number, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].sort((a, b) => a[0] - b[0]).map(([value, count]) => ({ value, count }));
};

const KS_SCIPY = `
import json, sys
from scipy import stats, special
cases = json.load(sys.stdin)
out = []
for c in cases:
    r = stats.ks_2samp(c["a"], c["b"], method=c["method"])
    out.append({"statistic": float(r.statistic), "p": float(r.pvalue)})
print(json.dumps(out))
`;

describe('Kolmogorov-Smirnov', () => {
  it('computes the exact two-sample statistic from counts at the reference values, with ties, as scipy does', () => {
    const r = rng(11);
    const cases = [
      { a: Array.from({ length: 60 }, () => Math.round(r.normal() * 10) / 10), b: Array.from({ length: 45 }, () => Math.round((r.normal() + 0.4) * 10) / 10) },
      { a: Array.from({ length: 200 }, () => r.int(0, 9)), b: Array.from({ length: 150 }, () => r.int(1, 12)) },
      { a: Array.from({ length: 30 }, () => r.normal()), b: Array.from({ length: 80 }, () => r.normal() * 1.5) },
      // Batch values outside the reference's range on both sides.
      { a: [1, 2, 2, 3, 3, 3, 4, 5], b: [-1, 0, 2, 3, 9, 10, 11] },
    ];
    const scipy = python<{ statistic: number; p: number }[]>(KS_SCIPY, [], JSON.stringify(cases.map((c) => ({ ...c, method: 'exact' }))));
    cases.forEach((c, i) => {
      const ref = valueCounts(c.a);
      const boundaries = ksBoundaries(ref);
      // The boundaries separate "equal to a reference value" from "strictly between two of them".
      expect(boundaries.every((x, j) => j === 0 || x > boundaries[j - 1]!)).toBe(true);
      const { counts, above } = binCounts(c.b, boundaries);
      const got = ksFromBoundaryCounts(ref, (b) => counts.get(b) ?? 0, above)!;
      expect(got.n).toBe(c.a.length);
      expect(got.m).toBe(c.b.length);
      expect(got.statistic, `case ${i}`).toBeCloseTo(scipy[i]!.statistic, 12);
      // scipy's exact p-value: the same lattice count (scipy computes it for the observed D).
      expect(ksPValue(got.statistic, got.n, got.m).pValue, `case ${i}`).toBeCloseTo(scipy[i]!.p, 9);
    });
  });

  it('uses the asymptotic Kolmogorov distribution for large samples, as scipy.special.kolmogorov', () => {
    const xs = [0.2, 0.5, 0.8, 1.0, 1.18, 1.2, 1.36, 1.63, 2, 3];
    const scipy = pythonJson<number[]>('import json, sys\nfrom scipy import special\nprint(json.dumps([float(special.kolmogorov(x)) for x in json.loads(sys.argv[1])]))', [JSON.stringify(xs)]);
    xs.forEach((x, i) => expect(kolmogorovSf(x)).toBeCloseTo(scipy[i]!, 12));
    const big = ksPValue(0.004, 1_000_000, 40_000);
    expect(big.method).toBe('asymptotic');
    expect(big.pValue).toBeCloseTo(kolmogorovSf(Math.sqrt((1_000_000 * 40_000) / 1_040_000) * 0.004), 15);
    // ... and within a few per cent of scipy's own large-sample p-value (kstwo at round(en)).
    const r = rng(5);
    const a = Array.from({ length: 12_000 }, () => r.normal());
    const b = Array.from({ length: 9_000 }, () => r.normal() + 0.03);
    const [s] = python<{ statistic: number; p: number }[]>(KS_SCIPY, [], JSON.stringify([{ a, b, method: 'asymp' }]));
    const ref = valueCounts(a);
    const { counts, above } = binCounts([...b].sort((x, y) => x - y), ksBoundaries(ref));
    const d = ksFromBoundaryCounts(ref, (x) => counts.get(x) ?? 0, above)!.statistic;
    expect(d).toBeCloseTo(s!.statistic, 12);
    const p = ksPValue(d, 12_000, 9_000);
    expect(p.method).toBe('asymptotic');
    expect(Math.abs(p.pValue - s!.p)).toBeLessThan(0.02 * Math.max(s!.p, 0.01));
  }, 60_000);

  it('nextDown gives the largest double below a value', () => {
    for (const x of [1, 0.1, 1e300, -3.5, 123456.789]) {
      expect(nextDown(x)).toBeLessThan(x);
      expect((nextDown(x) + x) / 2 === x || (nextDown(x) + x) / 2 === nextDown(x)).toBe(true);
    }
    expect(nextDown(0)).toBeLessThan(0);
  });
});

describe('chi-square', () => {
  it('is Pearson\'s test of homogeneity as scipy.stats.chi2_contingency computes it (no continuity correction)', () => {
    const tables = [
      [[120, 90, 40, 50], [60, 70, 30, 12]],
      [[500, 300, 200], [480, 330, 190]],
      [[30, 30], [10, 50]],
    ];
    const scipy = pythonJson<{ chi2: number; p: number; dof: number }[]>(
      'import json, sys\nfrom scipy import stats\nout = []\nfor t in json.loads(sys.argv[1]):\n    c, p, dof, _ = stats.chi2_contingency(t, correction=False)\n    out.append({"chi2": float(c), "p": float(p), "dof": int(dof)})\nprint(json.dumps(out))',
      [JSON.stringify(tables)],
    );
    tables.forEach(([ref, cur], i) => {
      const got = chiSquareHomogeneity(ref!, cur!)!;
      expect(got.statistic).toBeCloseTo(scipy[i]!.chi2, 9);
      expect(got.df).toBe(scipy[i]!.dof);
      expect(got.pValue).toBeCloseTo(scipy[i]!.p, 12);
      expect(got.pooled).toBe(0);
    });
  });

  it('pools buckets whose expected counts are below 5, and gives no test with fewer than two buckets', () => {
    // Buckets 3 and 4 are rare (expected about 3.5 each): pooled into one, 3 buckets remain, so 2 degrees of freedom.
    const got = chiSquareHomogeneity([100, 80, 4, 3], [90, 95, 3, 4])!;
    expect(got).toMatchObject({ df: 2, pooled: 2 });
    const [expected] = pythonJson<{ chi2: number; p: number }[]>(
      'import json, sys\nfrom scipy import stats\nc, p, dof, _ = stats.chi2_contingency([[100, 80, 7], [90, 95, 7]], correction=False)\nprint(json.dumps([{"chi2": float(c), "p": float(p)}]))',
    );
    expect(got.statistic).toBeCloseTo(expected!.chi2, 9);
    expect(got.pValue).toBeCloseTo(expected!.p, 12);
    // A pool still too small joins the smallest other bucket.
    expect(chiSquareHomogeneity([100, 80, 2, 1], [90, 95, 1, 2])).toMatchObject({ df: 1, pooled: 2 });
    expect(chiSquareHomogeneity([10, 0], [12, 0])).toBeNull();
    expect(chiSquareHomogeneity([0, 0], [1, 2])).toBeNull();
  });

  it('has the chi-square survival function of scipy.stats.chi2.sf', () => {
    const points = [
      [0.5, 1],
      [3.84, 1],
      [10, 3],
      [250, 20],
      [1e-3, 5],
      [40, 2],
    ] as const;
    const scipy = pythonJson<number[]>('import json, sys\nfrom scipy import stats\nprint(json.dumps([float(stats.chi2.sf(x, k)) for x, k in json.loads(sys.argv[1])]))', [JSON.stringify(points)]);
    points.forEach(([x, k], i) => expect(chiSquareSf(x, k) / scipy[i]!).toBeCloseTo(1, 9));
  });
});

describe('PSI and Jensen-Shannon distance', () => {
  it('match app/drift.py\'s definitions computed in Python (shares clamped at 1e-4; base-2 JS distance)', () => {
    const pairs = [
      [[10, 20, 30, 0], [12, 18, 25, 5]],
      [[1000, 0, 1], [0, 1000, 1]],
      [[5, 5, 5], [5, 5, 5]],
    ];
    const py = pythonJson<{ psi: number; js: number }[]>(
      String.raw`
import json, math, sys
def shares(c):
    t = float(sum(c)); return [x / t for x in c]
out = []
for e, a in json.loads(sys.argv[1]):
    pe, pa = shares(e), shares(a)
    p = sum((max(y, 1e-4) - max(x, 1e-4)) * math.log(max(y, 1e-4) / max(x, 1e-4)) for x, y in zip(pe, pa))
    d = 0.0
    for x, y in zip(pe, pa):
        m = (x + y) / 2
        if x > 0: d += 0.5 * x * math.log2(x / m)
        if y > 0: d += 0.5 * y * math.log2(y / m)
    out.append({"psi": p, "js": math.sqrt(max(d, 0.0))})
print(json.dumps(out))`,
      [JSON.stringify(pairs)],
    );
    pairs.forEach(([e, a], i) => {
      expect(psi(e!, a!)).toBeCloseTo(py[i]!.psi, 12);
      expect(jsDistance(e!, a!)).toBeCloseTo(py[i]!.js, 12);
    });
    // Disjoint distributions are at the maximum distance; scipy's jensenshannon agrees.
    expect(jsDistance([1, 0], [0, 1])).toBeCloseTo(1, 12);
    const scipyJs = pythonJson<number>('import json\nfrom scipy.spatial import distance\nprint(json.dumps(float(distance.jensenshannon([10, 20, 30, 0], [12, 18, 25, 5], base=2))))');
    expect(jsDistance([10, 20, 30, 0], [12, 18, 25, 5])).toBeCloseTo(scipyJs, 12);
    expect(jsDistance([1], [1, 2])).toBeNull();
    expect(jsDistance([0, 0], [1, 1])).toBeNull();
  });
});
