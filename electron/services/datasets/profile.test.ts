// The profile against statistics computed independently with pandas (Debian's Python), on a
// deterministic table; the formats and dialects the reader must handle; and the error texts.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUANTILES, type ColumnProfile } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { CATEGORY_COUNTS, makeTable, python, rng, TABLE_HEADER, taskContext, toCsv, writeTable } from '../../test-support/datasets.js';
import { tempDir } from '../../test-support/temp.js';
import { binEdges, DISTINCT_BITS, DISTINCT_SAMPLE, estimateDistinct, estimateSaturated, explainReadError, guessDelimiter, HISTOGRAM_BINS, kindOf, profileSource, SAMPLE_ROWS, splitCsvLine, TOP_VALUES, type ProfileResult } from './profile.js';
import { registerDataset, type RegisterTaskOutput } from './register-task.js';
import { resolveSource, type DatasetSource } from './source.js';

interface NumericExpect {
  nulls: number;
  distinct: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  std_pop: number;
  quantiles: Record<string, number>;
}
interface TextExpect {
  nulls: number;
  distinct: number;
  min: string;
  max: string;
  lmin: number;
  lmax: number;
  top: [string, number][];
  next: number | null;
}
interface Expected {
  rows: number;
  numeric: Record<'id' | 'amount' | 'score', NumericExpect>;
  text: Record<'category' | 'note', TextExpect>;
  day: { nulls: number; distinct: number; min: string; max: string };
  flag: { nulls: number; true: number; false: number };
  head: { id: number[]; amount: (number | null)[] };
}

/** Everything the profile reports, computed by pandas from the CSV alone. */
const PANDAS_STATS = `
import json, sys
import pandas as pd
path, sep = sys.argv[1], sys.argv[2]
df = pd.read_csv(path, sep=sep, dtype={'category': str, 'note': str, 'flag': str, 'day': str}, keep_default_na=False, na_values=[''])
qs = ${JSON.stringify(QUANTILES)}
out = {'rows': len(df), 'numeric': {}, 'text': {}}
for name in ['id', 'amount', 'score']:
    s = df[name]
    v = s.dropna().astype(float)
    out['numeric'][name] = {
        'nulls': int(s.isna().sum()), 'distinct': int(v.nunique()), 'min': float(v.min()), 'max': float(v.max()),
        'mean': float(v.mean()), 'std': float(v.std(ddof=1)), 'std_pop': float(v.std(ddof=0)),
        'quantiles': {str(q): float(v.quantile(q)) for q in qs},
    }
for name in ['category', 'note']:
    s = df[name]
    v = s.dropna()
    vc = v.value_counts()
    out['text'][name] = {
        'nulls': int(s.isna().sum()), 'distinct': int(v.nunique()), 'min': min(v), 'max': max(v),
        'lmin': int(v.str.len().min()), 'lmax': int(v.str.len().max()),
        'top': [[k, int(c)] for k, c in vc.head(20).items()], 'next': int(vc.iloc[20]) if len(vc) > 20 else None,
    }
day = pd.to_datetime(df['day'], format='%Y-%m-%d')
out['day'] = {'nulls': int(day.isna().sum()), 'distinct': int(day.nunique()),
              'min': day.min().strftime('%Y-%m-%d'), 'max': day.max().strftime('%Y-%m-%d')}
out['flag'] = {'nulls': int(df['flag'].isna().sum()), 'true': int((df['flag'] == 'true').sum()), 'false': int((df['flag'] == 'false').sum())}
out['head'] = {'id': [int(x) for x in df['id'].head(${SAMPLE_ROWS})],
               'amount': [None if pd.isna(x) else float(x) for x in df['amount'].head(${SAMPLE_ROWS})]}
print(json.dumps(out))
`;

/**
 * Given the profile's quantiles and histogram edges, pandas/numpy say where each quantile falls
 * in the sorted data (as a rank interval) and how many values fall in each bin (lower, upper].
 */
const PANDAS_CHECKS = `
import json, sys
import numpy as np, pandas as pd
req = json.load(sys.stdin)
df = pd.read_csv(req['path'], sep=req['sep'], dtype={'category': str, 'note': str, 'flag': str, 'day': str}, keep_default_na=False, na_values=[''])
out = {}
for name, spec in req['columns'].items():
    if spec['kind'] == 'date':
        v = np.sort(pd.to_datetime(df[name].dropna(), format='%Y-%m-%d').values.astype('datetime64[s]').astype(np.int64))
        conv = lambda x: np.int64(pd.Timestamp(x).value // 10**9)
    else:
        v = np.sort(df[name].dropna().astype(float).values)
        conv = float
    n = len(v)
    ranks = {q: [int(np.searchsorted(v, conv(x), 'left')) / n, int(np.searchsorted(v, conv(x), 'right')) / n] for q, x in spec['quantiles'].items()}
    uppers = np.array([conv(u) for u in spec['uppers']])
    idx = np.searchsorted(uppers, v, 'left')
    counts = np.bincount(idx, minlength=len(uppers) + 1)
    out[name] = {'ranks': ranks, 'bins': [int(c) for c in counts[:len(uppers)]], 'beyond': int(counts[len(uppers)])}
print(json.dumps(out))
`;

const col = (p: { columns: ColumnProfile[] }, name: string) => {
  const c = p.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name} in ${p.columns.map((x) => x.name).join(', ')}`);
  return c;
};

async function profileOf(path: string, encoding: 'utf-8' | 'utf-16' = 'utf-8'): Promise<ProfileResult> {
  return profileSource(await resolveSource(path), { encoding });
}

async function register(path: string): Promise<Extract<RegisterTaskOutput, { unchanged: false }>> {
  const out = await registerDataset({ path, snapshot: false, snapshotLimitBytes: 0, knownSha256: [] }, taskContext().ctx);
  if (out.unchanged) throw new Error('unexpectedly unchanged');
  return out;
}

/** Check a profile of the standard table against pandas' figures for the CSV it came from. */
function checkAgainstPandas(profile: { rows: number; columns: ColumnProfile[] }, csv: string, sep: string, expected: Expected) {
  expect(profile.rows).toBe(expected.rows);

  for (const name of ['id', 'amount', 'score'] as const) {
    const c = col(profile, name);
    const e = expected.numeric[name];
    expect(c.kind, name).toBe(name === 'amount' ? 'number' : 'integer');
    expect(c.nulls, name).toBe(e.nulls);
    expect(c.min, name).toBe(e.min);
    expect(c.max, name).toBe(e.max);
    expect(c.mean!, name).toBeCloseTo(e.mean, 9);
    // The profile's std is the sample standard deviation (n − 1), as pandas' std() is.
    expect(Math.abs(c.std! - e.std) / e.std, name).toBeLessThan(1e-9);
    expect(Math.abs(c.std! - e.std_pop) / e.std, name).toBeGreaterThan(1e-6);
    // HyperLogLog: within 5% of the exact count.
    expect(Math.abs(c.distinct - e.distinct) / e.distinct, `${name} distinct ${c.distinct} vs ${e.distinct}`).toBeLessThan(0.05);
    expect(Object.keys(c.quantiles!)).toEqual(QUANTILES.map(String));
    const qs = QUANTILES.map((q) => c.quantiles![String(q)] as number);
    expect([...qs].sort((a, b) => a - b), `${name} quantiles are ordered`).toEqual(qs);
    for (const q of QUANTILES) {
      // quantiles from a sample are accurate in rank, not in value: compared below; here only a loose sanity bound.
      expect(Math.abs((c.quantiles![String(q)] as number) - e.quantiles[String(q)]!), `${name} q${q}`).toBeLessThanOrEqual(0.05 * (e.max - e.min));
    }
    // About 20 bins.
    expect(c.histogram!.length, name).toBeGreaterThanOrEqual(15);
    expect(c.histogram!.length, name).toBeLessThanOrEqual(HISTOGRAM_BINS + 1);
    expect(c.histogram![0]!.lower).toBe(e.min);
    expect(c.histogram!.at(-1)!.upper as number).toBeGreaterThanOrEqual(e.max);
    expect(c.histogram!.reduce((s, b) => s + b.count, 0), `${name} histogram total`).toBe(expected.rows - e.nulls);
    for (let i = 1; i < c.histogram!.length; i++) expect(c.histogram![i]!.lower).toBe(c.histogram![i - 1]!.upper);
    expect(c.top).toBeNull();
    expect(c.textLength).toBeNull();
  }

  for (const name of ['category', 'note'] as const) {
    const c = col(profile, name);
    const e = expected.text[name];
    expect(c.kind, name).toBe('text');
    expect(c.nulls, name).toBe(e.nulls);
    expect(Math.abs(c.distinct - e.distinct) / e.distinct, `${name} distinct`).toBeLessThan(0.05);
    expect(c.min, name).toBe(e.min);
    expect(c.max, name).toBe(e.max);
    expect(c.textLength, name).toEqual({ min: e.lmin, max: e.lmax });
    expect(c.histogram).toBeNull();
  }
  // The 20 most frequent categories with exact counts, most frequent first (no ties by design).
  const category = col(profile, 'category');
  const e = expected.text.category;
  expect(e.next!).toBeLessThan(e.top.at(-1)![1]);
  expect(category.top).toHaveLength(TOP_VALUES);
  expect(category.top!.map((t) => [t.value, t.count])).toEqual(e.top);

  const day = col(profile, 'day');
  expect(day).toMatchObject({ kind: 'date', type: 'DATE', nulls: expected.day.nulls, min: expected.day.min, max: expected.day.max });
  expect(Math.abs(day.distinct - expected.day.distinct) / expected.day.distinct).toBeLessThan(0.05);
  expect(day.histogram!.reduce((s, b) => s + b.count, 0)).toBe(expected.rows - expected.day.nulls);
  expect(day.histogram![0]!.lower).toBe(expected.day.min);

  const flag = col(profile, 'flag');
  expect(flag).toMatchObject({ kind: 'boolean', nulls: expected.flag.nulls, min: false, max: true });
  expect(flag.top).toEqual([
    { value: false, count: expected.flag.false },
    { value: true, count: expected.flag.true },
  ]);
  expect(flag.mean!).toBeCloseTo(expected.flag.true / (expected.flag.true + expected.flag.false), 12);

  // Quantiles within 1% in rank (a sample's guarantee is in rank) and exact histogram counts
  // under the (lower, upper] reading of the bins, both by numpy.
  const columns = Object.fromEntries(
    ['id', 'amount', 'score', 'day'].map((name) => {
      const c = col(profile, name);
      return [name, { kind: c.kind, quantiles: c.quantiles, uppers: c.histogram!.map((b) => b.upper) }];
    }),
  );
  const checks = python<Record<string, { ranks: Record<string, [number, number]>; bins: number[]; beyond: number }>>(
    PANDAS_CHECKS,
    [],
    JSON.stringify({ path: csv, sep, columns }),
  );
  for (const [name, got] of Object.entries(checks)) {
    const c = col(profile, name);
    for (const [q, [lo, hi]] of Object.entries(got.ranks)) {
      const target = Number(q);
      const miss = target < lo ? lo - target : target > hi ? target - hi : 0;
      expect(miss, `${name} quantile ${q} = ${c.quantiles![q]} covers ranks ${lo}..${hi}`).toBeLessThanOrEqual(0.01);
    }
    expect(got.beyond, `${name}: values above the last bin`).toBe(0);
    expect(c.histogram!.map((b) => b.count), `${name} histogram counts`).toEqual(got.bins);
  }
}

describe('profile against pandas', () => {
  let dir: string;
  let csv: string;
  let expected: Expected;
  beforeAll(() => {
    // One table for the whole block (tempDir() would remove it after the first test).
    dir = mkdtempSync(join(tmpdir(), 'gh-profile-'));
    csv = writeTable(join(dir, 'table.csv'), 42);
    expected = python<Expected>(PANDAS_STATS, [csv, ',']);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('computes every statistic of a CSV as pandas does (within the sketches\' tolerances)', async () => {
    const p = await profileOf(csv);
    expect(p.columns.map((c) => c.name)).toEqual(TABLE_HEADER);
    expect(p.dialect).toMatchObject({ delimiter: ',', quote: '"', header: true, encoding: 'utf-8', compression: 'none' });
    checkAgainstPandas(p, csv, ',', expected);
    // The sample is the first 100 rows, in file order.
    expect(p.sample.columns).toEqual(TABLE_HEADER);
    expect(p.sample.rows).toHaveLength(SAMPLE_ROWS);
    expect(p.sample.rows.map((r) => Number(r[0]))).toEqual(expected.head.id);
    expect(p.sample.rows.map((r) => (r[1] === null ? null : Number(r[1])))).toEqual(expected.head.amount);
  });

  it('profiles the same table as TSV and gzip-compressed CSV identically', async () => {
    const tsv = writeTable(join(dir, 'table.tsv'), 42, {}, '\t');
    const gz = join(dir, 'table.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(csv)));
    const [p, t, g] = [await profileOf(csv), await profileOf(tsv), await profileOf(gz)];
    expect(t.dialect).toMatchObject({ delimiter: '\t', compression: 'none' });
    expect(g.dialect).toMatchObject({ delimiter: ',', compression: 'gzip' });
    checkAgainstPandas(t, tsv, '\t', expected);
    // Deterministic parts are equal; the sketches may differ with the reading order.
    const exact = (x: ProfileResult) => ({ rows: x.rows, columns: x.columns.map((c) => ({ ...c, distinct: 0, quantiles: null })) });
    expect(exact(g)).toEqual(exact(p));
    expect(exact(t)).toEqual(exact(p));
  });

  it('profiles a partitioned Parquet folder (DuckDB COPY … PARTITION_BY) as one dataset with the same figures', async () => {
    const folder = join(dir, 'parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    await con.run(
      `COPY (SELECT *, id % 4 AS part FROM read_csv('${csv}', header = true, types = {'flag': 'BOOLEAN', 'day': 'DATE'})) TO '${folder}' (FORMAT parquet, PARTITION_BY (part))`,
    );
    con.closeSync();
    instance.closeSync();
    const source = await resolveSource(folder);
    expect(source).toMatchObject({ isFolder: true, format: 'parquet' });
    expect(source.files.map((f) => f.rel.split('/')[0])).toEqual(['part=0', 'part=1', 'part=2', 'part=3']);
    const out = await register(folder);
    expect(out.format).toBe('parquet');
    expect(out.files).toHaveLength(4);
    expect(out.columns.map((c) => c.name)).toEqual([...TABLE_HEADER, 'part']);
    // Parquet has no CSV dialect; the figures are the CSV's (pandas' on the CSV).
    expect(out.dialect).toBeNull();
    checkAgainstPandas(out, csv, ',', expected);
    expect(col(out, 'part')).toMatchObject({ nulls: 0, min: 0, max: 3 });
  });

  it('profiles a folder of same-schema CSV files as one dataset', async () => {
    const folder = join(dir, 'parts');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    const rows = makeTable(42);
    writeFileSync(join(folder, 'a.csv'), toCsv(TABLE_HEADER, rows.slice(0, 7000)));
    writeFileSync(join(folder, 'b.csv'), toCsv(TABLE_HEADER, rows.slice(7000, 12000)));
    writeFileSync(join(folder, 'sub', 'c.csv'), toCsv(TABLE_HEADER, rows.slice(12000)));
    writeFileSync(join(folder, '_SUCCESS'), '');
    writeFileSync(join(folder, '.hidden.csv'), 'not,part\nof,it\n');
    const out = await register(folder);
    expect(out.files.map((f) => f.path)).toEqual(['a.csv', 'b.csv', 'sub/c.csv']);
    expect(out.bytes).toBe(out.files.reduce((s, f) => s + f.bytes, 0));
    checkAgainstPandas(out, csv, ',', expected);
  });
});

describe('profile: readers and dialects', () => {
  it('uses the sample standard deviation (n − 1), as documented in the contract', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 's.csv'), 'v\n1\n2\n3\n4\n');
    const v = col(await profileOf(join(dir, 's.csv')), 'v');
    // Independently: numpy's std with ddof=1.
    const std = python<number>('import numpy as np, json; print(json.dumps(float(np.std([1, 2, 3, 4], ddof=1))))');
    expect(v.std).toBeCloseTo(std, 12);
    expect(v.std).not.toBeCloseTo(python<number>('import numpy as np, json; print(json.dumps(float(np.std([1, 2, 3, 4]))))'), 3);
    expect(v).toMatchObject({ min: 1, max: 4, mean: 2.5, nulls: 0 });
    const contract = readFileSync(new URL('../../../shared/contract/datasets.ts', import.meta.url), 'utf8');
    expect(contract).toMatch(/sample standard deviation[^\n]*\n\s*std:/i);
  });

  it('sniffs delimiter, quoting, header, BOM and quoted line breaks', async () => {
    const dir = tempDir();
    const path = join(dir, 'semi.csv');
    writeFileSync(path, '\ufeffid;text;price\n1;"line one\nline two";"1,5"\n2;"say ""hi""; bye";2\n3;plain;3\n');
    const p = await profileOf(path);
    expect(p.dialect).toMatchObject({ delimiter: ';', quote: '"', escape: '"', header: true, encoding: 'utf-8' });
    expect(p.rows).toBe(3);
    expect(p.columns.map((c) => c.name)).toEqual(['id', 'text', 'price']);
    expect(p.sample.rows.map((r) => r[1])).toEqual(['line one\nline two', 'say "hi"; bye', 'plain']);
    expect(col(p, 'text').textLength).toEqual({ min: 5, max: 17 });
  });

  it('sniffs a file without a header, and copes with odd column names and quotes in the path', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'noheader.csv'), '1,2.5,x\n2,3.5,y\n3,4.5,z\n');
    const p = await profileOf(join(dir, 'noheader.csv'));
    expect(p.dialect!.header).toBe(false);
    expect(p.rows).toBe(3);
    expect(p.columns.map((c) => c.kind)).toEqual(['integer', 'number', 'text']);

    // Names that need quoting in SQL (JSON keys can hold anything), in a path with quotes.
    const odd = join(dir, "o'brien \"data\".jsonl");
    const rows = [
      { 'we"ird': 1, select: 'a', 'x\') FROM t; --': '2024-01-02', 'ünï cödé': true },
      { 'we"ird': 2, select: 'b', 'x\') FROM t; --': '2024-01-03', 'ünï cödé': false },
    ];
    writeFileSync(odd, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const q = await profileOf(odd);
    expect(q.columns.map((c) => [c.name, c.kind])).toEqual([
      ['we"ird', 'integer'],
      ['select', 'text'],
      ["x') FROM t; --", 'date'],
      ['ünï cödé', 'boolean'],
    ]);
    expect(q.columns[0]).toMatchObject({ min: 1, max: 2, mean: 1.5, histogram: [{ lower: 1, upper: 1, count: 1 }, { lower: 1, upper: 2, count: 1 }] });
    expect(q.columns[2]).toMatchObject({ min: '2024-01-02', max: '2024-01-03' });
    expect(q.columns[1]!.top).toEqual([
      { value: 'a', count: 1 },
      { value: 'b', count: 1 },
    ]);
  });

  it('reads UTF-16 (little-endian, with BOM) text', async () => {
    const dir = tempDir();
    const path = join(dir, 'u16.csv');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,n\nÅse,1\nZoë,2\n', 'utf16le')]));
    const out = await register(path);
    expect(out.dialect).toMatchObject({ encoding: 'utf-16' });
    expect(out.rows).toBe(2);
    expect(out.sample.rows).toEqual([
      ['Åse', '1'],
      ['Zoë', '2'],
    ]);
  });

  it('reads JSON Lines, plain and gzip-compressed, with nested values as "other"', async () => {
    const dir = tempDir();
    const lines = Array.from({ length: 300 }, (_, i) =>
      JSON.stringify({ id: i, v: i % 7 === 0 ? null : i / 4, tag: ['a', 'b', 'c'][i % 3], at: `2024-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00`, meta: { k: i % 5 } }),
    );
    writeFileSync(join(dir, 'e.jsonl'), lines.join('\n') + '\n');
    writeFileSync(join(dir, 'e.ndjson.gz'), gzipSync(lines.join('\n') + '\n'));
    for (const name of ['e.jsonl', 'e.ndjson.gz']) {
      const out = await register(join(dir, name));
      expect(out.format).toBe('jsonl');
      expect(out.rows).toBe(300);
      const v = col(out, 'v');
      const values = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 7 !== 0).map((i) => i / 4);
      expect(v).toMatchObject({ kind: 'number', nulls: 300 - values.length, min: 0.25, max: 74.75 });
      expect(v.mean).toBeCloseTo(values.reduce((s, x) => s + x, 0) / values.length, 9);
      expect(col(out, 'tag').top).toEqual([
        { value: 'a', count: 100 },
        { value: 'b', count: 100 },
        { value: 'c', count: 100 },
      ]);
      expect(col(out, 'at')).toMatchObject({ kind: 'timestamp', min: '2024-03-01 10:00:00', max: '2024-03-28 10:00:00' });
      expect(col(out, 'at').histogram!.reduce((s, b) => s + b.count, 0)).toBe(300);
      expect(col(out, 'meta')).toMatchObject({ kind: 'other', nulls: 0, distinct: 5 });
    }
  });

  it('profiles a single Parquet file, and a column with a single value', async () => {
    const dir = tempDir();
    const path = join(dir, 'one.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    await con.run(`COPY (SELECT range AS id, 7 AS seven, 'k' || (range % 3) AS k FROM range(1000)) TO '${path}' (FORMAT parquet)`);
    con.closeSync();
    instance.closeSync();
    const out = await register(path);
    expect(out.rows).toBe(1000);
    expect(col(out, 'seven')).toMatchObject({ min: 7, max: 7, std: 0, histogram: [{ lower: 7, upper: 7, count: 1000 }] });
    expect(col(out, 'id')).toMatchObject({ min: 0, max: 999, mean: 499.5 });
    expect(col(out, 'k').top).toEqual([
      { value: 'k0', count: 334 },
      { value: 'k1', count: 333 },
      { value: 'k2', count: 333 },
    ]);
  });

  it('counts distinct values past the bitmap\'s range (10 million) over a sample of the hashes', async () => {
    const dir = tempDir();
    const path = join(dir, 'wide.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    await con.run(`COPY (SELECT range AS id, range * 7 % 3_000_000 AS k FROM range(10_000_000)) TO '${path}' (FORMAT parquet)`);
    con.closeSync();
    instance.closeSync();
    const progress: number[] = [];
    const p = await profileSource(await resolveSource(path), { encoding: 'utf-8', onProgress: (f) => progress.push(f) });
    expect(p.rows).toBe(10_000_000);
    // DuckDB's query progress comes through, in order, ending at 1.
    expect(progress.length).toBeGreaterThan(3);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(progress.at(-1)).toBe(1);
    expect(Math.abs(col(p, 'id').distinct - 10_000_000) / 10_000_000).toBeLessThan(0.02);
    expect(Math.abs(col(p, 'k').distinct - 3_000_000) / 3_000_000).toBeLessThan(0.01);
  }, 30_000);

  it('stops DuckDB promptly when cancelled mid-query', async () => {
    const dir = tempDir();
    const path = join(dir, 'many.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    await con.run(`COPY (SELECT range AS id, range % 1000 AS k, 'v' || (range % 100000) AS s FROM range(5_000_000)) TO '${path}' (FORMAT parquet)`);
    con.closeSync();
    instance.closeSync();
    const controller = new AbortController();
    let abortedAt = 0;
    const run = profileSource(await resolveSource(path), {
      encoding: 'utf-8',
      signal: controller.signal,
      onProgress: (f) => {
        if (f > 0.1 && !abortedAt) {
          abortedAt = Date.now();
          controller.abort();
        }
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(abortedAt).toBeGreaterThan(0);
    // The interrupt lands within milliseconds; the rest of the first pass would take ~0.6 s.
    expect(Date.now() - abortedAt).toBeLessThan(400);
  }, 30_000);

  it('maps engine types to kinds', () => {
    expect(['BIGINT', 'INTEGER', 'UBIGINT', 'HUGEINT'].map(kindOf)).toEqual(['integer', 'integer', 'integer', 'integer']);
    expect(['DOUBLE', 'FLOAT', 'DECIMAL(18,3)'].map(kindOf)).toEqual(['number', 'number', 'number']);
    expect(['VARCHAR', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE'].map(kindOf)).toEqual(['text', 'boolean', 'date', 'timestamp', 'timestamp']);
    expect(['TIME', 'STRUCT(k BIGINT)', 'VARCHAR[]', 'BLOB'].map(kindOf)).toEqual(['other', 'other', 'other', 'other']);
  });

  it('bins numbers in about 20 round-width bins covering min..max', () => {
    const r = rng(3);
    for (let i = 0; i < 2000; i++) {
      const integer = i % 2 === 0;
      const scale = 10 ** r.int(-6, 9);
      let min = (r.next() - 0.5) * scale;
      let max = min + r.next() * scale * 3;
      if (integer) [min, max] = [Math.round(min), Math.round(max)];
      if (max <= min || (integer && max - min + 1 <= 25)) continue;
      const edges = binEdges(min, max, integer);
      // Whole-number widths cannot always give 15 bins for a narrow range (26 values: 13 bins of 2).
      expect(edges.length, `${min}..${max}`).toBeGreaterThanOrEqual(integer && max - min < 60 ? 13 : 15);
      expect(edges.length, `${min}..${max}`).toBeLessThanOrEqual(HISTOGRAM_BINS + 1);
      expect(edges[0]!).toBeGreaterThanOrEqual(min);
      expect(edges.at(-1)!).toBeGreaterThanOrEqual(max);
      expect(edges.at(-2)!).toBeLessThan(max);
      const widths = edges.slice(1).map((e, j) => e - edges[j]!);
      for (const w of widths) expect(Math.abs(w - widths[0]!) / widths[0]!).toBeLessThan(1e-6);
      if (integer) for (const e of edges) expect(Number.isInteger(e)).toBe(true);
    }
    expect(binEdges(0, 3, true)).toEqual([0, 1, 2, 3]);
    expect(binEdges(5, 5, false)).toEqual([5]);
    expect(binEdges(0, 100, false)).toEqual(Array.from({ length: 20 }, (_, i) => 5 * (i + 1)));
  });

  it('estimates distinct counts by linear counting, over a sample of the hashes once the bitmap fills', () => {
    expect(estimateDistinct(null, null)).toBe(0);
    expect(estimateDistinct(0, null)).toBe(0);
    expect(estimateDistinct(1, null)).toBe(1);
    // n values set about m(1 − e^(−n/m)) of the m bits.
    const bitsFor = (n: number) => Math.round(DISTINCT_BITS * (1 - Math.exp(-n / DISTINCT_BITS)));
    for (const n of [10, 1000, 100_000, 5_000_000]) {
      expect(estimateSaturated(bitsFor(n))).toBe(false);
      expect(Math.abs(estimateDistinct(bitsFor(n), null) - n) / n).toBeLessThan(0.01);
    }
    for (const n of [20_000_000, 1_000_000_000]) {
      expect(estimateSaturated(bitsFor(n))).toBe(true);
      expect(Math.abs(estimateDistinct(bitsFor(n), bitsFor(n / DISTINCT_SAMPLE)) - n) / n).toBeLessThan(0.01);
    }
  });

  it('splits CSV lines with quotes and picks the header\'s delimiter', () => {
    expect(splitCsvLine('a,"b,c",d', ',')).toEqual(['a', 'b,c', 'd']);
    expect(splitCsvLine('"say ""hi""";x', ';')).toEqual(['say "hi"', 'x']);
    expect(guessDelimiter('a;b;c', 'csv')).toBe(';');
    expect(guessDelimiter('a|b', 'csv')).toBe('|');
    expect(guessDelimiter('"x,y";z', 'csv')).toBe(';');
    expect(guessDelimiter('a,b', 'tsv')).toBe('\t');
  });
});

describe('explainReadError', () => {
  const file = (path: string) => ({ path, rel: path.split('/').pop()!, bytes: 1, mtimeMs: 0 });
  const csv: DatasetSource = { root: '/d/x.csv', isFolder: false, format: 'csv', compression: 'none', files: [file('/d/x.csv')], bytes: 1 };
  const hints = `\nPossible fixes:\n* Make sure you are using the correct file encoding. If not, set it (e.g., encoding = 'utf-16').\n* Check you are using the correct file compression\n* Be sure that the maximum line size is set to an appropriate value\n\n  file = /d/x.csv\n  delimiter = , (Auto-Detected)\n  encoding = utf-8\n`;

  it('reads what the engine says happened, not the hints it appends', () => {
    const ragged = explainReadError(new Error(`Invalid Input Error: CSV Error on Line: 12\nOriginal Line: 1,2,3,4\nExpected Number of Columns: 3 Found: 4${hints}`), csv);
    expect(ragged.message).toBe('/d/x.csv has rows with a different number of fields than the header (line 12).');
    const sniff = explainReadError(new Error(`Invalid Input Error: Error when sniffing file "/d/x.csv".\nIt was not possible to automatically detect the CSV parsing dialect\nThe search space used was:\nEncoding: utf-8${hints}`), csv);
    expect(sniff.message).toMatch(/could not work out how \/d\/x\.csv is delimited/);
    expect(sniff.message).not.toMatch(/UTF-8/);
    const utf8 = explainReadError(new Error(`Invalid Input Error: CSV Error on Line: 2\nOriginal Line: a,b\nInvalid unicode (byte sequence mismatch) detected. This file is not utf-8 encoded.${hints}`), csv);
    expect(utf8.message).toBe('/d/x.csv is not valid UTF-8 text (line 2).');
    // The offending line is data: a line mentioning JSON or Parquet is no diagnosis.
    const other = explainReadError(new Error('Invalid Input Error: CSV Error on Line: 5\nOriginal Line: parquet,json,gzip\nSomething new went wrong\n\nLINE 1: SELECT …'), csv);
    expect(other.message).toMatch(/^Greenhouse could not read \/d\/x\.csv: Invalid Input Error: CSV Error on Line: 5/);
    for (const e of [ragged, sniff, utf8, other]) {
      expect(e).toBeInstanceOf(AppError);
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.remedy.length).toBeGreaterThan(20);
    }
  });

  it('does not take a file name for a diagnosis, and names the file of a folder the engine names', () => {
    const folder: DatasetSource = {
      root: '/d/parquet-gzip-json',
      isFolder: true,
      format: 'parquet',
      compression: 'none',
      files: [file('/d/parquet-gzip-json/a.parquet'), file('/d/parquet-gzip-json/b.parquet')],
      bytes: 2,
    };
    const snappy = explainReadError(new Error('Invalid Input Error: Failed to read file "/d/parquet-gzip-json/b.parquet": Snappy decompression failure'), folder);
    expect(snappy.message).toBe('/d/parquet-gzip-json/b.parquet is a damaged or truncated Parquet file.');
    const mismatch = explainReadError(
      new Error('Invalid Input Error: Failed to read file "/d/parquet-gzip-json/b.parquet": schema mismatch in glob: column "x" was read from the original file "/d/parquet-gzip-json/a.parquet"'),
      folder,
    );
    expect(mismatch.message).toBe('The files in the folder /d/parquet-gzip-json do not share one schema.');
    const json: DatasetSource = { ...csv, root: '/d/x.jsonl', format: 'jsonl', files: [file('/d/x.jsonl')] };
    expect(explainReadError(new Error('Invalid Input Error: "maximum_object_size" of 16777216 bytes exceeded while reading file "/d/x.jsonl"'), json).message).toBe(
      '/d/x.jsonl has a line longer than 16 MB.',
    );
    expect(explainReadError(new Error('INTERRUPT Error: Interrupted!'), csv).code).toBe('CANCELLED');
    const same = new AppError('IO_ERROR', 'kept');
    expect(explainReadError(same, csv)).toBe(same);
  });
});

it('keeps the category counts of the generated table as designed', () => {
  // Guards the table generator the tests above rely on: 30 distinct counts, no tie at the top 20.
  expect(new Set(CATEGORY_COUNTS).size).toBe(30);
  expect(CATEGORY_COUNTS.reduce((s, c) => s + c, 0)).toBe(19_500);
});

// A registration through the task also checks the profile it returns.
it('returns the profile through the registration task with progress up to 1', async () => {
  const dir = tempDir();
  const path = writeTable(join(dir, 't.csv'), 7);
  const { ctx, messages } = taskContext();
  const out = await registerDataset({ path, snapshot: false, snapshotLimitBytes: 0, knownSha256: [] }, ctx);
  expect(out.unchanged).toBe(false);
  const fractions = messages.map((m) => m.progress!);
  expect(fractions[0]).toBe(0);
  expect(fractions.at(-1)).toBe(1);
  expect(messages.some((m) => /Hashing and profiling/.test(m.message))).toBe(true);
});
