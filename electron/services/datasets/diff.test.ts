// Diffs of real profiles (DuckDB on generated tables); PSI checked against numpy on the raw data.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnProfile, DatasetVersion } from '../../../shared/contract/index.js';
import { PSI_EPSILON } from '../../../shared/stats/psi.js';
import { python, writeTable } from '../../test-support/datasets.js';
import { columnPsi, diffProfiles } from './diff.js';
import { profileSource, type ProfileResult } from './profile.js';
import { resolveSource } from './source.js';

const profile = async (path: string) => profileSource(await resolveSource(path), { encoding: 'utf-8' });
const col = (p: ProfileResult, name: string) => p.columns.find((c) => c.name === name)!;
const side = (version: number, p: ProfileResult) => ({ version: { version, rows: p.rows } as DatasetVersion, columns: p.columns });

/**
 * PSI of `to` against `from` from the raw values, by numpy: `from`'s bin edges, values counted in
 * (lower, upper] (the first bin from −∞, the last to +∞, as the diff spreads outside mass), the
 * proportions clamped at the same epsilon.
 */
const RAW_PSI = `
import json, sys
import numpy as np, pandas as pd
req = json.load(sys.stdin)
read = lambda p: pd.read_csv(p, dtype={'category': str, 'note': str, 'flag': str, 'day': str}, keep_default_na=False, na_values=[''])
a, b = read(req['from']), read(req['to'])
def psi(e, x):
    e = np.maximum(e / e.sum(), ${PSI_EPSILON}); x = np.maximum(x / x.sum(), ${PSI_EPSILON})
    return float(np.sum((x - e) * np.log(x / e)))
out = {}
for name, edges in req['numeric'].items():
    inner = np.array(edges[1:-1], dtype=float)
    count = lambda v: np.bincount(np.searchsorted(inner, v.dropna().astype(float).values, 'left'), minlength=len(edges) - 1)
    out[name] = psi(count(a[name]), count(b[name]))
top = req['top']
def cats(df):
    v = df['category'].dropna()
    c = [int((v == t).sum()) for t in top]
    return np.array(c + [len(v) - sum(c)], dtype=float)
out['category'] = psi(cats(a), cats(b))
print(json.dumps(out))
`;

describe('diff', () => {
  let dir: string;
  let base: ProfileResult;
  let same: ProfileResult;
  let shifted: ProfileResult;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gh-diff-'));
    writeTable(join(dir, 'base.csv'), 1);
    writeTable(join(dir, 'same.csv'), 2);
    writeTable(join(dir, 'shifted.csv'), 3, { amountShift: 25, reverseCategories: true, amountNulls: 0.1 });
    base = await profile(join(dir, 'base.csv'));
    same = await profile(join(dir, 'same.csv'));
    shifted = await profile(join(dir, 'shifted.csv'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives a PSI of exactly 0 for identical profiles', () => {
    for (const c of base.columns) {
      const v = columnPsi(c, base.rows, c, base.rows);
      if (c.kind === 'other') expect(v).toBeNull();
      else expect(v, c.name).toBeCloseTo(0, 12);
    }
  });

  it('gives a PSI near 0 for the same distributions drawn again, and a large one for shifted ones, as numpy does on the raw data', () => {
    const numeric = ['amount', 'score'];
    const request = (to: string) => ({
      from: join(dir, 'base.csv'),
      to: join(dir, `${to}.csv`),
      numeric: Object.fromEntries(numeric.map((n) => [n, [col(base, n).histogram![0]!.lower, ...col(base, n).histogram!.map((b) => b.upper)]])),
      top: col(base, 'category').top!.map((t) => t.value),
    });
    const rawSame = python<Record<string, number>>(RAW_PSI, [], JSON.stringify(request('same')));
    const rawShifted = python<Record<string, number>>(RAW_PSI, [], JSON.stringify(request('shifted')));
    for (const name of [...numeric, 'category']) {
      const s = columnPsi(col(base, name), base.rows, col(same, name), same.rows)!;
      const x = columnPsi(col(base, name), base.rows, col(shifted, name), shifted.rows)!;
      // Drawn again from the same distributions: far below 0.1, the "stable" mark.
      expect(s, `${name} same`).toBeGreaterThanOrEqual(0);
      expect(s, `${name} same`).toBeLessThan(0.05);
      if (name === 'category') {
        // The same frequent values: exact counts, the same figure as numpy's. Reversed, ten of
        // from's frequent values are not listed for `to`; their counts are estimated.
        expect(s).toBeCloseTo(rawSame.category!, 10);
        expect(Math.abs(x - rawShifted.category!) / rawShifted.category!, `category shifted: ${x} vs numpy ${rawShifted.category}`).toBeLessThan(0.2);
      } else {
        // Numbers: the other version's distribution is read off its histogram and quantiles,
        // so close to numpy's figure from the raw values, not equal.
        expect(Math.abs(s - rawSame[name]!), `${name} same: ${s} vs numpy ${rawSame[name]}`).toBeLessThan(0.02);
        expect(Math.abs(x - rawShifted[name]!) / rawShifted[name]!, `${name} shifted: ${x} vs numpy ${rawShifted[name]}`).toBeLessThan(0.2);
      }
    }
    // Shifted amounts and reversed categories: far above 0.25, the "major shift" mark.
    expect(columnPsi(col(base, 'amount'), base.rows, col(shifted, 'amount'), shifted.rows)!).toBeGreaterThan(0.25);
    expect(columnPsi(col(base, 'category'), base.rows, col(shifted, 'category'), shifted.rows)!).toBeGreaterThan(0.25);
    // Dates are compared too (same distribution here).
    expect(columnPsi(col(base, 'day'), base.rows, col(shifted, 'day'), shifted.rows)!).toBeLessThan(0.02);
  });

  it('is not comparable across kinds, or without bins or categories', () => {
    const text = col(base, 'category');
    const number = col(base, 'amount');
    expect(columnPsi(number, base.rows, { ...number, kind: 'integer' }, base.rows)).toBeNull();
    expect(columnPsi(text, base.rows, { ...text, top: null }, base.rows)).toBeNull();
    expect(columnPsi({ ...number, histogram: null }, base.rows, number, base.rows)).toBeNull();
  });

  it('lists columns added, removed and retyped, row counts, and shifts largest first', async () => {
    const path = join(dir, 'other.csv');
    writeFileSync(path, 'id,amount,score,new_col\n1,x,5,a\n2,y,,b\n3,z,7,c\n4,,8,d\n');
    const other = await profile(path);
    const d = diffProfiles('t', side(1, base), side(2, other));
    expect(d).toMatchObject({
      name: 't',
      from: 1,
      to: 2,
      rows: { from: 20_000, to: 4 },
      added: [{ name: 'new_col', type: 'VARCHAR' }],
      removed: ['category', 'day', 'flag', 'note'].map((name) => ({ name, type: col(base, name).type })),
      retyped: [{ name: 'amount', from: 'DOUBLE', to: 'VARCHAR' }],
    });
    expect(d.shifts.map((s) => s.name).sort()).toEqual(['amount', 'id', 'score']);
    const score = d.shifts.find((s) => s.name === 'score')!;
    expect(score.nullRate).toEqual({ from: col(base, 'score').nulls / 20_000, to: 0.25 });
    expect(score.mean).toEqual({ from: col(base, 'score').mean, to: 20 / 3 });
    expect(score.std).toEqual({ from: col(base, 'score').std, to: col(other, 'score').std });
    expect(d.shifts.find((s) => s.name === 'amount')!.psi).toBeNull();
    const order = d.shifts.map((s) => s.psi ?? -1);
    expect([...order].sort((a, b) => b - a)).toEqual(order);
  });

  it('compares dates and timestamps on their time axis', () => {
    const dates = (lows: string[], counts: number[]): ColumnProfile => ({
      ...col(base, 'day'),
      histogram: counts.map((count, i) => ({ lower: lows[i]!, upper: lows[i + 1]!, count })),
    });
    const lows = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01'];
    const a = dates(lows, [10, 10, 10]);
    expect(columnPsi(a, 30, a, 30)).toBeCloseTo(0, 12);
    expect(columnPsi(a, 30, dates(lows, [1, 1, 28]), 30)!).toBeGreaterThan(1);
  });
});
