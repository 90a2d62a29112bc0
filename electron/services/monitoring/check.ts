// The drift check of one batch against a model version's training reference, in DuckDB: one
// streaming pass over the batch counts every feature in the reference's buckets (the same
// buckets as the bundle's app/drift.py, so both give the same PSI and Jensen-Shannon distance),
// the schema violations, the values the statistical tests need and the model's own outputs. A
// second pass runs only when needed: the values that break the schema (new categories, values of
// the wrong type) with exact counts, and the exact KS test of a feature whose training data has
// more distinct values than fit in the one pass.

import { DOUBLE, LIST, listValue, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { openDuckDb } from '../datasets/profile.js';
import type {
  ColumnProfile,
  DriftBucket,
  DriftFeature,
  DriftResult,
  DriftThresholds,
  PredictionDrift,
  SchemaViolation,
  SignatureInput,
} from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { psi } from '../../../shared/stats/psi.js';
import { binEdges, explainSourceError, kindOf, sourceSql, withProgress } from '../datasets/profile.js';
import type { DatasetSource } from '../datasets/source.js';
import { asDriftError, ident, lit, openBatch, unterminatedFiles, type BatchColumn, type OpenedBatch } from './batch.js';
import type { DriftReference, ReferenceSnapshot } from './reference.js';
import { chiSquareHomogeneity, jsDistance, ksBoundaries, ksFromBoundaryCounts, ksPValue, nextDown, type ValueCount } from './stats.js';

/** Values on each side below this: no statistical test (it would have almost no power). */
export const MIN_TEST_VALUES = 20;
/** Reference values up to this many distinct: the exact KS counts fit in the one pass over the batch. */
export const KS_ONE_PASS_VALUES = 5_000;
/** Unlisted values shown per feature. */
const UNLISTED_SHOWN = 20;

export interface CheckOptions {
  signal?: AbortSignal;
  /** 0..1 across the check. */
  onProgress?: (fraction: number, message: string) => void;
  tempDir?: string;
  memoryLimit?: string;
  threads?: number;
}

/** What the check found, before the batch's hash and the timing are added. */
export type CheckOutcome = Omit<DriftResult, 'batch' | 'checkedAt' | 'durationMs'> & {
  batch: Omit<DriftResult['batch'], 'sha256' | 'bytes'>;
};

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Microseconds since 1970 of an ISO date or timestamp as the profile writes them ("2024-01-31", "2024-01-31 10:00:00.5"). */
export function epochMicros(s: string): number | null {
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?/.exec(s);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return ms * 1000 + Number((m[7] ?? '').padEnd(6, '0') || 0);
}
const isoOfMicros = (us: number) => new Date(Math.round(us / 1000)).toISOString();

/** A category's key, as app/drift.py's category_key makes it. */
export function categoryKey(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return String(v);
}

const fmt = (x: number | null, digits = 3) => (x === null ? 'n/a' : x !== 0 && Math.abs(x) < 10 ** -digits ? x.toExponential(1) : x.toFixed(digits));
const pFmt = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

type Numeric = 'numeric' | 'date';

interface NumericPlan {
  type: Numeric;
  /** Bin edges as numbers (dates in epoch microseconds): [lower of the first, upper of each]. */
  edges: number[];
  /** The reference histogram's counts. */
  counts: number[];
  /** The training range. */
  min: number | null;
  max: number | null;
  /** Exact KS from the reference's values in the one pass, approximate from its CDF points, or in the second pass. */
  ks: { kind: 'exact'; values: ValueCount[] } | { kind: 'second-pass'; distinct: number } | { kind: 'approximate'; points: number[]; fRef: number[]; n: number } | null;
}

interface CategoryPlan {
  keys: string[];
  /** The reference counts of the listed values, then "other/new". */
  counts: number[];
  labels: { label: string; value: ColumnProfile['min'] }[];
  complete: boolean;
  boolean: boolean;
}

interface FeaturePlan {
  i: number;
  input: SignatureInput;
  profile: ColumnProfile;
  column: BatchColumn | null;
  numeric: NumericPlan | null;
  category: CategoryPlan | null;
  skipped: string | null;
}

interface PredictionPlan {
  column: BatchColumn;
  numeric: NumericPlan | null;
  category: CategoryPlan | null;
  /** Golden predictions: the reference sample. */
  reference: number;
  /** For numeric classes: SQL mapping the batch's text to the class key. */
  keySql: string;
}

/** The numeric (or date, in epoch microseconds) SQL value of a batch column; NULL for a value of another type. */
function numericSql(c: BatchColumn, type: Numeric): string {
  const base =
    type === 'numeric'
      ? c.kind === 'integer' || c.kind === 'number'
        ? `${c.sql}::DOUBLE`
        : c.kind === 'text'
          ? `TRY_CAST(${c.sql} AS DOUBLE)`
          : 'NULL::DOUBLE'
      : c.kind === 'date' || c.kind === 'timestamp'
        ? `epoch_us(${c.sql}::TIMESTAMP)::DOUBLE`
        : c.kind === 'text'
          ? `epoch_us(TRY_CAST(${c.sql} AS TIMESTAMP))::DOUBLE`
          : 'NULL::DOUBLE';
  return base;
}

/** The category key of a batch column's value (booleans as 'true'/'false', as app/drift.py does). */
function categorySql(c: BatchColumn, boolean: boolean): string {
  if (boolean) {
    if (c.kind === 'boolean') return `CASE WHEN ${c.sql} THEN 'true' WHEN NOT ${c.sql} THEN 'false' END`;
    if (c.kind === 'text') return `CASE WHEN lower(trim(${c.sql})) IN ('true', 'false') THEN lower(trim(${c.sql})) ELSE ${c.sql} END`;
  }
  return c.kind === 'text' ? c.sql : `TRY_CAST(${c.sql} AS VARCHAR)`;
}

/** Bins as app/drift.py labels them: the first closed, the others open below. */
const binLabel = (lower: unknown, upper: unknown, first: boolean) => `${first ? '[' : '('}${String(lower)}, ${String(upper)}]`;

function numericPlanOf(profile: ColumnProfile, type: Numeric): NumericPlan | null {
  const hist = profile.histogram;
  if (!hist || hist.length === 0) return null;
  const toNum = (v: unknown) => (type === 'date' ? epochMicros(String(v)) : Number(v));
  const edges = [toNum(hist[0]!.lower), ...hist.map((b) => toNum(b.upper))];
  if (edges.some((e) => e === null || !Number.isFinite(e))) return null;
  return {
    type,
    edges: edges as number[],
    counts: hist.map((b) => b.count),
    min: profile.min === null ? null : toNum(profile.min),
    max: profile.max === null ? null : toNum(profile.max),
    ks: null,
  };
}

/**
 * KS against the reference profile alone: its CDF is known exactly at the histogram's edges (and,
 * for numbers, nearly at its quantiles), so the statistic is the largest gap at those points.
 */
function approximateKs(plan: NumericPlan, profile: ColumnProfile): NumericPlan['ks'] {
  const n = plan.counts.reduce((s, c) => s + c, 0);
  if (n === 0) return null;
  const known: { x: number; f: number }[] = [{ x: nextDown(plan.edges[0]!), f: 0 }];
  let cum = 0;
  plan.counts.forEach((c, j) => {
    cum += c;
    known.push({ x: plan.edges[j + 1]!, f: cum / n });
  });
  const points = [...known];
  // Quantiles of a continuous column are nearly where F reaches p; an integer's carry its whole tie.
  if (profile.kind === 'number') {
    for (const [p, v] of Object.entries(profile.quantiles ?? {})) {
      const x = Number(v);
      if (!Number.isFinite(x) || x <= plan.edges[0]! || x >= plan.edges.at(-1)!) continue;
      const hi = known.findIndex((k) => k.x >= x);
      if (hi <= 0 || known[hi]!.x === x) continue;
      // Between the edges around it, F lies between theirs.
      points.push({ x, f: Math.min(Math.max(Number(p), known[hi - 1]!.f), known[hi]!.f) });
    }
  }
  points.sort((a, b) => a.x - b.x);
  const dedup = points.filter((p, i) => i === 0 || p.x > points[i - 1]!.x);
  return { kind: 'approximate', points: dedup.map((p) => p.x), fRef: dedup.map((p) => p.f), n };
}

function categoryPlanOf(profile: ColumnProfile, referenceRows: number): CategoryPlan | null {
  const top = profile.top;
  if (!top || top.length === 0) return null;
  const listed = top.reduce((s, t) => s + t.count, 0);
  const complete = profile.distinct <= top.length;
  const other = complete ? 0 : Math.max(0, referenceRows - profile.nulls - listed);
  return {
    keys: top.map((t) => categoryKey(t.value)),
    counts: [...top.map((t) => t.count), other],
    labels: [...top.map((t) => ({ label: JSON.stringify(t.value), value: t.value })), { label: 'other/new', value: null }],
    complete,
    boolean: profile.kind === 'boolean',
  };
}

/** The golden predictions as a reference: class counts, or a value histogram with the profile's bins. */
function predictionPlanOf(ref: DriftReference, column: BatchColumn): PredictionPlan | null {
  const golden = ref.golden;
  if (!golden || golden.predictions.length === 0) return null;
  const preds = golden.predictions.filter((p) => p !== null);
  if (ref.model.task === 'classification') {
    const classes = golden.classes && golden.classes.length > 0 ? golden.classes : [...new Set(preds)];
    const keys = classes.map(categoryKey);
    const counts = keys.map((k) => preds.filter((p) => categoryKey(p) === k).length);
    const numericClasses = classes.every((c) => typeof c === 'number');
    const booleanClasses = classes.every((c) => typeof c === 'boolean');
    const raw = column.kind === 'text' ? column.sql : `TRY_CAST(${column.sql} AS VARCHAR)`;
    const keySql = numericClasses
      ? `CASE ${classes.map((c) => `WHEN TRY_CAST(${raw} AS DOUBLE) = ${Number(c)} THEN ${lit(categoryKey(c))}`).join(' ')} ELSE ${raw} END`
      : booleanClasses
        ? `CASE WHEN lower(trim(${raw})) IN ('true', 'false') THEN lower(trim(${raw})) ELSE ${raw} END`
        : raw;
    return {
      column,
      numeric: null,
      category: { keys, counts: [...counts, 0], labels: [...classes.map((c) => ({ label: JSON.stringify(c), value: c })), { label: 'other/new', value: null }], complete: true, boolean: false },
      reference: preds.length,
      keySql,
    };
  }
  if (ref.model.task !== 'regression') return null;
  const values = preds.map(Number).filter(Number.isFinite).sort((a, b) => a - b);
  if (values.length === 0) return null;
  const uppers = binEdges(values[0]!, values.at(-1)!, false);
  const counts = uppers.map(() => 0);
  // (lower, upper], the first closed: the first upper not below the value.
  for (const v of values) counts[Math.max(0, uppers.findIndex((u) => v <= u))]! += 1;
  const byValue = new Map<number, number>();
  for (const v of values) byValue.set(v, (byValue.get(v) ?? 0) + 1);
  return {
    column,
    numeric: {
      type: 'numeric',
      edges: [values[0]!, ...uppers],
      counts,
      min: values[0]!,
      max: values.at(-1)!,
      ks: { kind: 'exact', values: [...byValue].sort((a, b) => a[0] - b[0]).map(([value, count]) => ({ value, count })) },
    },
    category: null,
    reference: values.length,
    keySql: '',
  };
}

/** The prediction column of a batch: the log's "prediction", else a column named "prediction" or after the label/value output. */
function predictionColumnOf(ref: DriftReference, batch: OpenedBatch): BatchColumn | null {
  if (batch.prediction) return batch.prediction;
  const inputs = new Set(ref.inputs.map((i) => i.name));
  const names = ['prediction', ...ref.outputs.filter((o) => o.kind === 'label' || o.kind === 'value').map((o) => o.name)].filter((n) => !inputs.has(n) && n !== ref.target);
  for (const n of names) {
    const c = batch.columns.find((x) => x.name === n);
    if (c) return c;
  }
  return null;
}

interface Aggregates {
  [key: string]: unknown;
}

type MapEntries = { key: unknown; value: unknown }[] | null | undefined;
const countsByKey = (entries: MapEntries) => {
  const m = new Map<string, number>();
  for (const e of entries ?? []) m.set(String(e.key), num(e.value));
  return m;
};
const countsByNumber = (entries: MapEntries) => {
  const m = new Map<number, number>();
  for (const e of entries ?? []) m.set(Number(e.key), num(e.value));
  return m;
};

/** DOUBLE and DOUBLE[] parameters, bound in order ($1… in the SQL): exact binary values, whatever their text. */
class Params {
  readonly values: (number | number[])[] = [];
  add(value: number | number[]): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  bind(p: DuckDBPreparedStatement) {
    this.values.forEach((v, i) => (Array.isArray(v) ? p.bindList(i + 1, listValue(v), LIST(DOUBLE)) : p.bindDouble(i + 1, v)));
  }
}

async function run(con: DuckDBConnection, sql: string, params: Params | null, report: (f: number) => void): Promise<Aggregates[]> {
  if (!params || params.values.length === 0) return (await withProgress(con, con.runAndReadAll(sql), report)).getRowObjectsJS() as Aggregates[];
  const prepared = await con.prepare(sql);
  params.bind(prepared);
  return (await withProgress(con, prepared.runAndReadAll(), report)).getRowObjectsJS() as Aggregates[];
}

/** A DatasetSource over the snapshot's stored files (no extensions there: the format is stated). */
const snapshotSource = (s: ReferenceSnapshot): DatasetSource => ({
  root: s.files[0]!,
  isFolder: s.files.length > 1,
  format: s.format,
  compression: s.compression,
  files: s.files.map((path) => ({ path, rel: path, bytes: 0, mtimeMs: 0 })),
  bytes: 0,
});

/** The training values of the numeric features from the snapshot, into a table refvals(g, v, c); how many distinct per feature. */
async function loadSnapshotValues(con: DuckDBConnection, snapshot: ReferenceSnapshot, features: FeaturePlan[], report: (f: number) => void): Promise<Map<number, number>> {
  const src = sourceSql(snapshotSource(snapshot), snapshot.encoding);
  const described = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJS() as { column_name: string; column_type: string }[];
  const byName = new Map(described.map((d) => [d.column_name, d]));
  const usable = features.filter((f) => byName.has(f.input.name));
  if (usable.length === 0) return new Map();
  const cols = usable.map((f) => {
    const d = byName.get(f.input.name)!;
    const c: BatchColumn = { name: d.column_name, type: d.column_type, kind: kindOf(d.column_type), sql: ident(d.column_name) };
    const x = numericSql(c, f.numeric!.type);
    return `CASE WHEN isfinite(${x}) THEN ${x} END AS v${f.i}`;
  });
  await run(con, `CREATE OR REPLACE TEMP TABLE refvals AS
    SELECT coalesce(${usable.map((f) => `CASE WHEN grouping(v${f.i}) = 0 THEN ${f.i} END`).join(', ')}) AS g,
           coalesce(${usable.map((f) => `v${f.i}`).join(', ')}) AS v, count(*)::BIGINT AS c
    FROM (SELECT ${cols.join(', ')} FROM ${src})
    GROUP BY GROUPING SETS (${usable.map((f) => `(v${f.i})`).join(', ')})
    HAVING coalesce(${usable.map((f) => `v${f.i}`).join(', ')}) IS NOT NULL`, null, report);
  const rows = (await con.runAndReadAll('SELECT g, count(*)::BIGINT AS n FROM refvals GROUP BY g')).getRowObjectsJS() as { g: number; n: bigint }[];
  return new Map(rows.map((r) => [Number(r.g), Number(r.n)]));
}

/** Per feature: PSI, JS, the test and the verdict, from the bucket counts. */
function judge(
  base: { name: string; kind: DriftFeature['kind'] },
  buckets: DriftBucket[],
  test: { test: 'ks' | 'chi2'; statistic: number; pValue: number; basis: 'exact' | 'approximate'; note: string } | { none: string },
  t: DriftThresholds,
): Pick<DriftFeature, 'psi' | 'psiBand' | 'js' | 'test' | 'statistic' | 'pValue' | 'testBasis' | 'testNote' | 'drifted' | 'reason' | 'psiNoise' | 'skipped'> {
  const expected = buckets.map((b) => b.reference);
  const actual = buckets.map((b) => b.current);
  const p = psi(expected, actual);
  const j = jsDistance(expected, actual);
  const used = buckets.filter((b) => b.reference > 0 || b.current > 0).length;
  const n = actual.reduce((s, x) => s + x, 0);
  const bigN = expected.reduce((s, x) => s + x, 0);
  const psiNoise = n > 0 && bigN > 0 ? Math.max(used - 1, 0) * (1 / n + 1 / bigN) : null;
  const ran = 'test' in test ? test : null;
  const common = {
    psi: p,
    js: j,
    test: ran?.test ?? null,
    statistic: ran?.statistic ?? null,
    pValue: ran?.pValue ?? null,
    testBasis: ran?.basis ?? null,
    testNote: ran ? ran.note : (test as { none: string }).none,
    psiNoise,
  };
  if (p === null) {
    const skipped = n === 0 ? 'the batch has no values for this column' : 'the reference has no counts for this column';
    return { ...common, psiBand: null, drifted: false, reason: `Not compared: ${skipped}.`, skipped };
  }
  const band = p < t.psiModerate ? 'stable' : p < t.psiSignificant ? 'moderate' : 'significant';
  const magnitude = p >= t.psiSignificant || (p >= t.psiModerate && j !== null && j >= t.js);
  const chance = ran !== null && ran.pValue >= t.pValue;
  const drifted = magnitude && !chance;
  const testText = ran ? `${ran.test === 'ks' ? 'KS' : 'chi-square'} p = ${pFmt(ran.pValue)}` : 'no test';
  let reason: string;
  if (drifted) reason = `PSI ${fmt(p)} is ${band}${band === 'moderate' ? ` and JS ${fmt(j)} ≥ ${t.js}` : ''}; ${testText}${ran ? ` < ${t.pValue}` : ''}.`;
  else if (magnitude) reason = `PSI ${fmt(p)} is ${band}, but ${testText} ≥ ${t.pValue}: a difference this size is what chance gives at ${n} values.`;
  else if (band === 'moderate') reason = `PSI ${fmt(p)} is moderate, but JS ${fmt(j)} < ${t.js}.`;
  else reason = `PSI ${fmt(p)} is stable (< ${t.psiModerate}).`;
  return { ...common, psiBand: band, drifted, reason, skipped: null };
}

const shareOf = (buckets: Omit<DriftBucket, 'referenceShare' | 'currentShare'>[]): DriftBucket[] => {
  const r = buckets.reduce((s, b) => s + b.reference, 0);
  const c = buckets.reduce((s, b) => s + b.current, 0);
  return buckets.map((b) => ({ ...b, referenceShare: r ? b.reference / r : 0, currentShare: c ? b.current / c : 0 }));
};

/** Run the check. Errors are AppErrors that name the batch and what to do. */
export async function checkBatch(ref: DriftReference, opened: { source: DatasetSource; encoding: 'utf-8' | 'utf-16' }, thresholds: DriftThresholds, opts: CheckOptions = {}): Promise<CheckOutcome> {
  const { con, close } = await openDuckDb(opts);
  const progress = opts.onProgress ?? (() => undefined);
  const step = () => opts.signal?.throwIfAborted();
  let batch: OpenedBatch | null = null;
  try {
    step();
    batch = await openBatch(con, opened.source, opened.encoding);
    const where = opened.source.root;
    if (batch.columns.length === 0) {
      throw new AppError('INVALID_INPUT', `No line of ${where} is a JSON object.`, { remedy: 'Give JSON Lines with one record (an object of column: value) per line, or the serving app\'s prediction log.' });
    }
    const byName = new Map(batch.columns.map((c) => [c.name, c]));
    const refColumns = new Map(ref.columns.map((c) => [c.name, c]));
    // The model's inputs the reference profiles (app/drift.py checks the same ones).
    const inputs = ref.inputs.filter((i) => refColumns.has(i.name));
    if (inputs.length === 0) throw new AppError('INVALID_INPUT', `The reference profile of ${ref.model.name}@${ref.model.version} has none of the model's inputs.`, { remedy: 'Register the model with its training dataset, and package it again.' });
    const present = inputs.filter((i) => byName.has(i.name));
    if (present.length === 0) {
      const seen = batch.columns.map((c) => c.name);
      throw new AppError('INVALID_INPUT', `${where} has none of the columns ${ref.model.name}@${ref.model.version} takes (${inputs.map((i) => i.name).join(', ')}); its columns are ${seen.slice(0, 20).join(', ')}${seen.length > 20 ? ', …' : ''}.`, {
        remedy: 'Give a batch of the model\'s inputs: a CSV, JSON Lines or Parquet file with those column names, or the serving container\'s prediction log.',
      });
    }

    const features: FeaturePlan[] = inputs.map((input, i) => {
      const profile = refColumns.get(input.name)!;
      const column = byName.get(input.name) ?? null;
      const type: Numeric | null = profile.kind === 'integer' || profile.kind === 'number' ? 'numeric' : profile.kind === 'date' || profile.kind === 'timestamp' ? 'date' : null;
      const numeric = type ? numericPlanOf(profile, type) : null;
      const category = profile.kind === 'text' || profile.kind === 'boolean' ? categoryPlanOf(profile, ref.dataset.rows) : null;
      const skipped = column === null ? 'the batch has no such column' : numeric || category ? null : `no histogram or frequent values in the reference for a ${profile.kind} column`;
      return { i, input, profile, column, numeric, category, skipped };
    });

    // Exact KS from the training values when the workspace holds them; else from the profile.
    const warnings: string[] = [];
    const numericFeatures = features.filter((f) => f.numeric && f.column);
    let distinct = new Map<number, number>();
    let snapshotNote: string | null = null;
    if (ref.snapshot && numericFeatures.length > 0) {
      progress(0.01, 'Reading the training data…');
      try {
        distinct = await loadSnapshotValues(con, ref.snapshot, numericFeatures, (f) => progress(0.01 + 0.09 * f, 'Reading the training data…'));
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        snapshotNote = `the training data's snapshot could not be read (${(e as Error).message.split('\n')[0]})`;
        warnings.push(`KS tests approximated from the reference profile: ${snapshotNote}.`);
      }
      step();
    }
    for (const f of numericFeatures) {
      const n = distinct.get(f.i);
      if (n === undefined) f.numeric!.ks = approximateKs(f.numeric!, f.profile);
      else if (n <= KS_ONE_PASS_VALUES) {
        const rows = (await con.runAndReadAll(`SELECT v, c FROM refvals WHERE g = ${f.i} ORDER BY v`)).getRowObjectsJS() as { v: number; c: bigint }[];
        f.numeric!.ks = { kind: 'exact', values: rows.map((r) => ({ value: Number(r.v), count: Number(r.c) })) };
      } else f.numeric!.ks = { kind: 'second-pass', distinct: n };
    }
    if (!ref.snapshot && numericFeatures.length > 0) snapshotNote = 'the training data has no snapshot in the workspace (registered with --no-snapshot, larger than the snapshot limit, or checked from a bundle folder alone)';

    const predictionColumn = predictionColumnOf(ref, batch);
    const prediction = predictionColumn ? predictionPlanOf(ref, predictionColumn) : null;
    const known = new Set([...ref.inputs.map((i) => i.name), ...(ref.target ? [ref.target] : []), ...(predictionColumn && !batch.prediction ? [predictionColumn.name] : [])]);
    const unknown = batch.columns.filter((c) => !known.has(c.name));

    // ---------------------------------------------------------------- pass 1
    const params = new Params();
    const inner: string[] = [batch.bad ? `${batch.bad} AS _bad` : 'false AS _bad'];
    const aggs: string[] = ['count(*) FILTER (WHERE NOT _bad)::BIGINT AS "rows"', 'count(*) FILTER (WHERE _bad)::BIGINT AS skipped'];
    const numericAggs = (p: string, plan: NumericPlan) => {
      const v = `${p}v`;
      aggs.push(
        `count(${p}r)::BIGINT AS ${p}n`,
        `count(${v})::BIGINT AS ${p}valid`,
        `min(${v}) AS ${p}min`,
        `max(${v}) AS ${p}max`,
        `avg(${v}) AS ${p}mean`,
      );
      if (plan.min !== null) aggs.push(`count_if(${v} < ${params.add(plan.min)})::BIGINT AS ${p}below`);
      if (plan.max !== null) aggs.push(`count_if(${v} > ${params.add(plan.max)})::BIGINT AS ${p}above`);
      // The reference's bins: a value goes to the first inner edge not below it, past the last to the last bin.
      if (plan.edges.length > 2) aggs.push(`map_entries(histogram(${v}, ${params.add(plan.edges.slice(1, -1))})) AS ${p}h`);
      const ks = plan.ks;
      if (ks?.kind === 'exact') aggs.push(`map_entries(histogram(${v}, ${params.add(ksBoundaries(ks.values))})) AS ${p}ks`);
      if (ks?.kind === 'approximate') aggs.push(`map_entries(histogram(${v}, ${params.add(ks.points)})) AS ${p}ks`);
    };
    const categoryAggs = (p: string, plan: CategoryPlan) => {
      const k = `${p}k`;
      const listed = `list_contains([${plan.keys.map(lit).join(', ')}]::VARCHAR[], ${k})`;
      aggs.push(
        `count(${p}r)::BIGINT AS ${p}n`,
        `count(${k})::BIGINT AS ${p}valid`,
        `map_entries(histogram(${k}) FILTER (WHERE ${listed})) AS ${p}h`,
        `count_if(${k} IS NOT NULL AND NOT ${listed})::BIGINT AS ${p}unlisted`,
      );
      if (plan.boolean) aggs.push(`count_if(${k} NOT IN ('true', 'false'))::BIGINT AS ${p}badbool`);
    };
    for (const f of features) {
      if (!f.column) continue;
      const p = `f${f.i}_`;
      inner.push(`${f.column.sql} AS ${p}r`);
      if (f.numeric) {
        const x = numericSql(f.column, f.numeric.type);
        inner.push(`${x} AS ${p}x`);
        numericAggs(p, f.numeric);
      } else if (f.category) {
        inner.push(`${categorySql(f.column, f.category.boolean)} AS ${p}k`);
        categoryAggs(p, f.category);
      } else aggs.push(`count(${p}r)::BIGINT AS ${p}n`);
    }
    if (prediction) {
      inner.push(`${prediction.column.sql} AS pr_r`);
      if (prediction.numeric) {
        inner.push(`${numericSql(prediction.column, 'numeric')} AS pr_x`);
        numericAggs('pr_', prediction.numeric);
      } else {
        inner.push(`${prediction.keySql} AS pr_k`);
        categoryAggs('pr_', prediction.category!);
      }
    }
    unknown.forEach((c, j) => {
      inner.push(`${c.sql} AS u${j}`);
      aggs.push(`count(u${j})::BIGINT AS u${j}_n`);
    });
    // Finite numbers only (drift.py counts NaN and infinities as invalid).
    const finite = (p: string) => `CASE WHEN isfinite(${p}x) THEN ${p}x END AS ${p}v`;
    const middle = ['*', ...features.filter((f) => f.column && f.numeric).map((f) => finite(`f${f.i}_`)), ...(prediction?.numeric ? [finite('pr_')] : [])];
    const body = `(SELECT ${middle.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${batch.from}))`;
    progress(0.1, 'Reading the batch…');
    step();
    const a = (await run(con, `SELECT ${aggs.join(',\n  ')} FROM ${body}`, params, (f) => progress(0.1 + 0.8 * f, 'Reading the batch…')))[0]!;
    const rows = num(a.rows);
    const skipped = num(a.skipped);
    if (rows === 0) {
      throw new AppError('INVALID_INPUT', skipped > 0 ? `None of the ${skipped} lines of ${where} is a valid record.` : `${where} has no rows${batch.format === 'csv' || batch.format === 'tsv' ? ' (only a header)' : ''}.`, {
        remedy: skipped > 0 ? 'Each line must be one JSON object (a prediction log line carries it under "inputs"); check that the file is complete.' : 'Give a batch that holds data rows.',
      });
    }

    // ---------------------------------------------------------------- pass 2 (only when needed)
    // Exact counts of the values that break the schema (categories training never saw, values of
    // the wrong type: rare, so not worth their cost in every check's one pass), and the batch's
    // values of the features whose exact KS did not fit in it.
    const listedOf = (plan: CategoryPlan) => `list_contains([${plan.keys.map(lit).join(', ')}]::VARCHAR[], `;
    const categoryPlans: [string, CategoryPlan][] = [...features.filter((f) => f.category && f.column).map((f) => [`f${f.i}_`, f.category!] as [string, CategoryPlan]), ...(prediction?.category ? [['pr_', prediction.category] as [string, CategoryPlan]] : [])];
    const numericPlans: [string, NumericPlan][] = [...features.filter((f) => f.numeric && f.column).map((f) => [`f${f.i}_`, f.numeric!] as [string, NumericPlan]), ...(prediction?.numeric ? [['pr_', prediction.numeric] as [string, NumericPlan]] : [])];
    const exampleSets = [
      // Only where unlisted values mean something: new categories, or not true/false.
      ...categoryPlans.filter(([p, plan]) => (plan.complete || plan.boolean) && num(a[`${p}unlisted`]) > 0).map(([p, plan]) => ({ p, col: `${p}k2`, sql: `CASE WHEN ${p}k IS NOT NULL AND NOT ${listedOf(plan)}${p}k) THEN ${p}k END` })),
      ...numericPlans.filter(([p]) => num(a[`${p}n`]) > num(a[`${p}valid`])).map(([p]) => ({ p, col: `${p}bad2`, sql: `CASE WHEN ${p}r IS NOT NULL AND ${p}v IS NULL THEN TRY_CAST(${p}r AS VARCHAR) END` })),
    ];
    const secondPassKs = features.filter((f) => f.numeric?.ks?.kind === 'second-pass' && f.column);
    const examples = new Map<string, { value: string; count: number }[]>();
    const ksSecond = new Map<number, { d: number; n: number }>();
    if (secondPassKs.length > 0 || exampleSets.length > 0) {
      step();
      progress(0.9, 'Counting unexpected values and exact test statistics…');
      const sets = [...exampleSets.map((x) => x.col), ...secondPassKs.map((f) => `f${f.i}_v`)];
      const cols = [...exampleSets.map((x) => `${x.sql} AS ${x.col}`), ...secondPassKs.map((f) => `f${f.i}_v`)];
      await run(
        con,
        `CREATE OR REPLACE TEMP TABLE batchvals AS SELECT grouping(${sets.join(', ')})::BIGINT AS g, ${sets.join(', ')}, count(*)::BIGINT AS c
         FROM (SELECT ${cols.join(', ')} FROM ${body}) GROUP BY GROUPING SETS (${sets.map((x) => `(${x})`).join(', ')})`,
        null,
        (f) => progress(0.9 + 0.08 * f, 'Counting unexpected values and exact test statistics…'),
      );
      // grouping(a, b, c) has a bit set for each column not grouped: the set of column s is all ones but its own bit.
      const all = 2 ** sets.length - 1;
      const gid = (idx: number) => all - 2 ** (sets.length - 1 - idx);
      for (const [idx, x] of exampleSets.entries()) {
        const got = (await con.runAndReadAll(`SELECT ${x.col} AS k, c FROM batchvals WHERE g = ${gid(idx)} AND ${x.col} IS NOT NULL ORDER BY c DESC, k LIMIT ${UNLISTED_SHOWN}`)).getRowObjectsJS() as { k: string; c: bigint }[];
        examples.set(x.col, got.map((r) => ({ value: String(r.k), count: Number(r.c) })));
      }
      for (const [j, f] of secondPassKs.entries()) {
        const idx = exampleSets.length + j;
        const n = num((await con.runAndReadAll(`SELECT sum(c)::BIGINT AS n FROM refvals WHERE g = ${f.i}`)).getRowObjectsJS()[0]!.n);
        const m = num(a[`f${f.i}_valid`]);
        if (n === 0 || m === 0) continue;
        const d = (
          await con.runAndReadAll(`WITH r AS (SELECT v, c FROM refvals WHERE g = ${f.i}),
            b AS (SELECT f${f.i}_v AS v, c FROM batchvals WHERE g = ${gid(idx)} AND f${f.i}_v IS NOT NULL),
            j AS (SELECT coalesce(r.v, b.v) AS v, coalesce(r.c, 0) AS rc, coalesce(b.c, 0) AS bc FROM r FULL OUTER JOIN b ON r.v = b.v),
            cum AS (SELECT sum(rc) OVER (ORDER BY v) AS cr, sum(bc) OVER (ORDER BY v) AS cb FROM j)
            SELECT max(abs(cr / ${n} - cb / ${m}))::DOUBLE AS d FROM cum`)
        ).getRowObjectsJS()[0]!.d;
        ksSecond.set(f.i, { d: Number(d), n });
      }
    }
    step();
    progress(0.98, 'Comparing…');

    // ---------------------------------------------------------------- per feature
    const schemaViolations: SchemaViolation[] = [];
    const numericFeature = (p: string, plan: NumericPlan, name: string, kind: DriftFeature['kind'], refNulls: number, nulls: number, f: FeaturePlan | null) => {
      const h = countsByNumber(a[`${p}h`] as MapEntries);
      const inner = plan.edges.slice(1, -1);
      const current = plan.counts.map((_, j) => (plan.edges.length > 2 ? (j < inner.length ? (h.get(inner[j]!) ?? 0) : (h.get(Infinity) ?? 0)) : num(a[`${p}valid`])));
      const buckets = shareOf([
        ...plan.counts.map((c, j) => {
          const lower = f ? f.profile.histogram![j]!.lower : plan.edges[j]!;
          const upper = f ? f.profile.histogram![j]!.upper : plan.edges[j + 1]!;
          return { label: binLabel(lower, upper, j === 0), kind: 'bin' as const, lower, upper, value: null, reference: c, current: current[j]! };
        }),
        ...(f ? [{ label: 'null', kind: 'null' as const, lower: null, upper: null, value: null, reference: refNulls, current: nulls }] : []),
      ]);
      const m = num(a[`${p}valid`]);
      const n = plan.counts.reduce((s, c) => s + c, 0);
      let test: Parameters<typeof judge>[2];
      const ks = plan.ks;
      if (!ks) test = { none: 'No KS test: the reference has no values.' };
      else if (m < MIN_TEST_VALUES || n < MIN_TEST_VALUES) test = { none: `No KS test: it needs at least ${MIN_TEST_VALUES} values on each side (batch ${m}, reference ${n}).` };
      else if (ks.kind === 'exact') {
        const counts = countsByNumber(a[`${p}ks`] as MapEntries);
        const r = ksFromBoundaryCounts(ks.values, (b) => counts.get(b) ?? 0, counts.get(Infinity) ?? 0);
        if (!r) test = { none: 'No KS test: no values.' };
        else {
          const pv = ksPValue(r.statistic, r.n, r.m);
          test = { test: 'ks', statistic: r.statistic, pValue: pv.pValue, basis: 'exact', note: `Exact two-sample KS over every ${f ? 'training value' : 'golden prediction'} (${r.n}) and batch value (${r.m}); p-value ${pv.method === 'exact' ? 'exact' : 'from the asymptotic Kolmogorov distribution'}.` };
        }
      } else if (ks.kind === 'second-pass') {
        const got = f ? (ksSecond.get(f.i) ?? null) : null;
        if (got === null) test = { none: 'No KS test: no values.' };
        else {
          const pv = ksPValue(got.d, got.n, m);
          test = { test: 'ks', statistic: got.d, pValue: pv.pValue, basis: 'exact', note: `Exact two-sample KS over every training value and batch value (${m}), joined in DuckDB; p-value ${pv.method === 'exact' ? 'exact' : 'from the asymptotic Kolmogorov distribution'}.` };
        }
      } else {
        const counts = countsByNumber(a[`${p}ks`] as MapEntries);
        let cum = 0;
        let d = 0;
        ks.points.forEach((x, j) => {
          cum += counts.get(x) ?? 0;
          d = Math.max(d, Math.abs(ks.fRef[j]! - cum / m));
        });
        const pv = ksPValue(d, ks.n, m);
        test = {
          test: 'ks',
          statistic: d,
          pValue: pv.pValue,
          basis: 'approximate',
          note: `Approximate KS: the reference's CDF at ${ks.points.length} points (its histogram edges${kind === 'number' ? ' and quantiles' : ''}) against the batch's; it can miss the largest gap between them, so the statistic may be lower and the p-value higher than the exact test's${snapshotNote ? `. Not exact because ${snapshotNote}` : ''}.`,
        };
      }
      const fmtValue = (x: number | null) => (x === null ? null : plan.type === 'date' ? isoOfMicros(x) : x);
      const below = num(a[`${p}below`]);
      const above = num(a[`${p}above`]);
      const invalid = num(a[`${p}n`]) - m;
      const bad = (examples.get(`${p}bad2`) ?? []).map((x) => x.value).slice(0, 5);
      const judged = judge({ name, kind }, buckets, test, thresholds);
      if (f) {
        const what = plan.type === 'date' ? 'dates' : 'numbers';
        if (invalid > 0) schemaViolations.push({ kind: 'wrong-type', column: name, count: invalid, message: `${invalid} value${invalid > 1 ? 's' : ''} of ${name} ${invalid > 1 ? 'are' : 'is'} not ${what}${bad.length ? ` (e.g. ${bad.slice(0, 3).map((x) => JSON.stringify(x)).join(', ')})` : ''}.`, examples: bad });
        if (below + above > 0) {
          const range = `[${String(f.profile.min)}, ${String(f.profile.max)}]`;
          schemaViolations.push({
            kind: 'out-of-range',
            column: name,
            count: below + above,
            message: `${below + above} value${below + above > 1 ? 's' : ''} of ${name} ${below + above > 1 ? 'are' : 'is'} outside the training range ${range} (${below} below, ${above} above).`,
            examples: [fmtValue(numOrNull(a[`${p}min`])), fmtValue(numOrNull(a[`${p}max`]))].filter((x) => x !== null).map(String),
          });
        }
      }
      return {
        name,
        kind,
        ...judged,
        values: m,
        nulls,
        invalid,
        belowRange: below,
        aboveRange: above,
        current: { min: fmtValue(numOrNull(a[`${p}min`])), max: fmtValue(numOrNull(a[`${p}max`])), mean: plan.type === 'date' ? null : numOrNull(a[`${p}mean`]) },
        unlisted: [],
        unlistedAreNew: false,
        buckets,
      };
    };
    const categoryFeature = (p: string, plan: CategoryPlan, name: string, kind: DriftFeature['kind'], refNulls: number, nulls: number, f: FeaturePlan | null) => {
      const h = countsByKey(a[`${p}h`] as MapEntries);
      const unlistedCount = num(a[`${p}unlisted`]);
      const unlisted = examples.get(`${p}k2`) ?? [];
      const buckets = shareOf([
        ...plan.keys.map((k, j) => ({ label: plan.labels[j]!.label, kind: 'value' as const, lower: null, upper: null, value: plan.labels[j]!.value, reference: plan.counts[j]!, current: h.get(k) ?? 0 })),
        { label: 'other/new', kind: 'other' as const, lower: null, upper: null, value: null, reference: plan.counts.at(-1)!, current: unlistedCount },
        ...(f ? [{ label: 'null', kind: 'null' as const, lower: null, upper: null, value: null, reference: refNulls, current: nulls }] : []),
      ]);
      const chi = chiSquareHomogeneity(
        buckets.map((b) => b.reference),
        buckets.map((b) => b.current),
      );
      const m = buckets.reduce((s, b) => s + b.current, 0);
      const n = buckets.reduce((s, b) => s + b.reference, 0);
      const test: Parameters<typeof judge>[2] =
        m < MIN_TEST_VALUES || n < MIN_TEST_VALUES
          ? { none: `No chi-square test: it needs at least ${MIN_TEST_VALUES} values on each side (batch ${m}, reference ${n}).` }
          : !chi
            ? { none: 'No chi-square test: fewer than two buckets with enough values.' }
            : { test: 'chi2', statistic: chi.statistic, pValue: chi.pValue, basis: 'exact', note: `Pearson's chi-square test of homogeneity over the same buckets as PSI, ${chi.df} degree${chi.df > 1 ? 's' : ''} of freedom${chi.pooled ? ` (${chi.pooled} buckets with expected counts below 5 pooled)` : ''}.` };
      const badBool = plan.boolean ? num(a[`${p}badbool`]) : 0;
      if (f && badBool > 0) {
        const examples = unlisted.filter((u) => u.value !== 'true' && u.value !== 'false').map((u) => u.value);
        schemaViolations.push({ kind: 'wrong-type', column: name, count: badBool, message: `${badBool} value${badBool > 1 ? 's' : ''} of ${name} ${badBool > 1 ? 'are' : 'is'} not true or false${examples.length ? ` (e.g. ${examples.slice(0, 3).map((x) => JSON.stringify(x)).join(', ')})` : ''}.`, examples: examples.slice(0, 5) });
      }
      if (f && plan.complete && !plan.boolean && unlistedCount > 0) {
        schemaViolations.push({
          kind: 'new-category',
          column: name,
          count: unlistedCount,
          message: `${unlistedCount} value${unlistedCount > 1 ? 's' : ''} of ${name} ${unlistedCount > 1 ? 'are' : 'is'} a category training never saw: ${unlisted.slice(0, 5).map((u) => `${JSON.stringify(u.value)} (${u.count})`).join(', ')}${unlisted.length > 5 ? ', …' : ''}.`,
          examples: unlisted.map((u) => u.value),
        });
      }
      return {
        name,
        kind,
        ...judge({ name, kind }, buckets, test, thresholds),
        values: num(a[`${p}valid`]) - (plan.boolean ? badBool : 0),
        nulls,
        invalid: plan.boolean ? badBool : 0,
        belowRange: 0,
        aboveRange: 0,
        current: { min: null, max: null, mean: null },
        unlisted,
        unlistedAreNew: plan.complete,
        buckets,
      };
    };

    const results: DriftFeature[] = [];
    for (const f of features) {
      const name = f.input.name;
      if (!f.column || f.skipped) {
        results.push({
          name,
          kind: f.profile.kind,
          psi: null,
          psiBand: null,
          js: null,
          test: null,
          statistic: null,
          pValue: null,
          testBasis: null,
          testNote: null,
          drifted: false,
          reason: `Not compared: ${f.skipped ?? 'the batch has no such column'}.`,
          values: 0,
          nulls: f.column ? rows - num(a[`f${f.i}_n`]) : 0,
          invalid: 0,
          belowRange: 0,
          aboveRange: 0,
          current: { min: null, max: null, mean: null },
          unlisted: [],
          unlistedAreNew: false,
          buckets: [],
          psiNoise: null,
          skipped: f.skipped ?? 'the batch has no such column',
        });
        continue;
      }
      const p = `f${f.i}_`;
      const nulls = rows - num(a[`${p}n`]);
      const result = f.numeric ? numericFeature(p, f.numeric, name, f.profile.kind, f.profile.nulls, nulls, f) : categoryFeature(p, f.category!, name, f.profile.kind, f.profile.nulls, nulls, f);
      results.push(result);
      if (nulls > 0 && !f.input.nullable) {
        schemaViolations.push({ kind: 'unexpected-null', column: name, count: nulls, message: `${nulls} row${nulls > 1 ? 's have' : ' has'} no value for ${name}, which has none missing in the training data.`, examples: [] });
      }
    }
    for (const f of features.filter((x) => !x.column)) {
      schemaViolations.unshift({ kind: 'missing-column', column: f.input.name, count: rows, message: `The batch has no column ${f.input.name}, an input of the model.`, examples: [] });
    }
    unknown.forEach((c, j) => {
      const n = num(a[`u${j}_n`]);
      schemaViolations.push({ kind: 'unknown-column', column: c.name, count: n, message: `The batch has a column ${c.name} the model does not take (${n} value${n === 1 ? '' : 's'}); it is not checked.`, examples: [] });
    });
    const order: Record<SchemaViolation['kind'], number> = { 'missing-column': 0, 'wrong-type': 1, 'unexpected-null': 2, 'new-category': 3, 'out-of-range': 4, 'unknown-column': 5 };
    schemaViolations.sort((x, y) => order[x.kind] - order[y.kind]);

    let predictionDrift: PredictionDrift | null = null;
    if (prediction) {
      const p = 'pr_';
      const nulls = rows - num(a[`${p}n`]);
      const base = prediction.numeric ? numericFeature(p, prediction.numeric, prediction.column.name, 'number', 0, nulls, null) : categoryFeature(p, prediction.category!, prediction.column.name, 'text', 0, nulls, null);
      predictionDrift = { ...base, column: prediction.column.name, reference: { source: 'golden', rows: prediction.reference } };
      if (prediction.reference < 100) warnings.push(`Prediction drift is compared with only ${prediction.reference} golden predictions; register the model with a larger --sample-size for a steadier reference.`);
    }

    // Most severe first: drifted, then by PSI; skipped last.
    results.sort((x, y) => Number(y.drifted) - Number(x.drifted) || Number(x.skipped !== null) - Number(y.skipped !== null) || (y.psi ?? -1) - (x.psi ?? -1));
    const checked = results.filter((f) => f.skipped === null);
    const drifted = checked.filter((f) => f.drifted).map((f) => f.name);
    const share = checked.length ? drifted.length / checked.length : null;

    const missing = features.filter((f) => !f.column).map((f) => f.input.name);
    if (missing.length) warnings.push(`The batch lacks ${missing.join(', ')}: not checked.`);
    if (skipped > 0) warnings.push(`${skipped} line${skipped > 1 ? 's' : ''} of ${where} ${skipped > 1 ? 'were' : 'was'} not a valid record${batch.format === 'prediction-log' ? ' (malformed JSON, or no "inputs" object)' : ' (malformed JSON, or not an object)'}: counted and skipped.`);
    for (const u of batch.unterminated) warnings.push(`${u} does not end with a line break: its last line may be incomplete (was the file cut off?).`);
    if (rows < 100) warnings.push(`Only ${rows} rows: PSI and JS vary by chance at this size (see psiNoise per feature).`);
    if (snapshotNote && numericFeatures.length > 0 && !warnings.some((w) => w.startsWith('KS tests approximated'))) warnings.push(`KS tests approximated from the reference profile: ${snapshotNote}.`);

    progress(1, 'Checked');
    return {
      drift: checked.length > 0 && share! >= thresholds.datasetShare,
      checked: checked.length,
      drifted,
      share,
      features: results,
      schemaViolations,
      predictionDrift,
      rows,
      skipped,
      batch: { path: where, format: batch.format, files: opened.source.files.length, hasTarget: ref.target !== null && byName.has(ref.target) },
      reference: { source: ref.source, model: { name: ref.model.name, version: ref.model.version }, bundle: ref.bundle, dataset: ref.dataset, target: ref.target, snapshot: ref.snapshot !== null && (numericFeatures.length === 0 || distinct.size > 0) },
      thresholds,
      warnings,
    };
  } catch (e) {
    if (opts.signal?.aborted) throw new AppError('CANCELLED', 'The drift check was cancelled.');
    const why = e instanceof AppError ? e : await explainSourceError(con, opened.source, opened.encoding, e);
    // A text file cut off in the middle of a line: its last row comes out short.
    if (why.message.includes('different number of fields')) {
      const cut = batch?.unterminated ?? (await unterminatedFiles(opened.source).catch(() => []));
      if (cut.length > 0) {
        throw new AppError('INVALID_INPUT', `${cut[0]} ends in the middle of a line: it looks truncated (${why.message.replace(/^.* has rows/, 'rows')})`, {
          remedy: 'Copy the file again completely (or remove its incomplete last line), then run the check again.',
          details: why.details,
        });
      }
    }
    throw asDriftError(why);
  } finally {
    close();
  }
}
