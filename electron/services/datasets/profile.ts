import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  QUANTILES,
  type ColumnKind,
  type ColumnProfile,
  type CsvDialect,
  type HistogramBin,
  type Scalar,
} from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { DatasetSource } from './source.js';

export const HISTOGRAM_BINS = 20;
export const TOP_VALUES = 20;
export const SAMPLE_ROWS = 100;
/** DuckDB reads CSV in buffers of 16 lines' worth; 2 MB keeps them at 32 MB. */
export const MAX_LINE_BYTES = 2 * 1024 * 1024;

export interface ProfileResult {
  rows: number;
  columns: ColumnProfile[];
  sample: { columns: string[]; rows: unknown[][] };
  dialect: CsvDialect | null;
}

export interface ProfileOptions {
  encoding: 'utf-8' | 'utf-16';
  signal?: AbortSignal;
  /** 0..1 across the whole profile. */
  onProgress?: (fraction: number) => void;
  tempDir?: string;
  memoryLimit?: string;
  threads?: number;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const list = (xs: string[]) => `[${xs.map(lit).join(', ')}]`;

export function kindOf(type: string): ColumnKind {
  const t = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(t)) return 'integer';
  if (/^(FLOAT|DOUBLE|REAL)$/.test(t) || t.startsWith('DECIMAL')) return 'number';
  if (t === 'VARCHAR') return 'text';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return 'other';
}

/** The DuckDB table expression that reads the source with the sniffed options. */
export function sourceSql(source: DatasetSource, encoding: 'utf-8' | 'utf-16'): string {
  const files = list(source.files.map((f) => f.path));
  switch (source.format) {
    case 'parquet':
      return `read_parquet(${files}, hive_partitioning = ${source.isFolder ? 'true' : 'false'}, union_by_name = false)`;
    case 'jsonl':
      return `read_json(${files}, format = 'newline_delimited', maximum_object_size = 16777216)`;
    case 'csv':
    case 'tsv': {
      const opts = [`encoding = ${lit(encoding)}`, `max_line_size = ${MAX_LINE_BYTES}`, 'sample_size = 20480'];
      if (source.format === 'tsv') opts.push(`delim = '\\t'`);
      return `read_csv(${files}, ${opts.join(', ')})`;
    }
  }
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : Number(v));
const finite = (v: unknown): number | null => {
  const n = num(v);
  return n === null || !Number.isFinite(n) ? null : n;
};

/** Turn DuckDB's error text into one that names the file and says what to do. */
export function explainReadError(e: unknown, source: DatasetSource): AppError {
  if (e instanceof AppError) return e;
  const raw = (e as Error)?.message ?? String(e);
  const first = raw.split('\n').find((l) => l.trim()) ?? raw;
  const where = source.isFolder ? `the folder ${source.root}` : source.root;
  const line = /line[: ]+(\d+)/i.exec(raw)?.[1];
  const at = line ? ` (line ${line})` : '';
  if (/interrupt/i.test(raw)) return new AppError('CANCELLED', 'The profile was cancelled.');
  if (/invalid unicode|utf-?8/i.test(raw)) {
    return new AppError('INVALID_INPUT', `${where} is not valid UTF-8 text${at}.`, {
      remedy: 'Save the file as UTF-8 (most spreadsheet and database tools offer "CSV UTF-8"), then register it again.',
      details: { engine: first },
    });
  }
  if (/maximum line size|line size/i.test(raw)) {
    return new AppError('INVALID_INPUT', `${where} has a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB${at}.`, {
      remedy: 'Check that the file really is delimited text with one record per line (a missing closing quote also causes this).',
      details: { engine: first },
    });
  }
  if (/expected number of columns|too many columns|column count|not enough columns/i.test(raw)) {
    return new AppError('INVALID_INPUT', `${where} has rows with a different number of fields than the header${at}.`, {
      remedy: 'Fix the ragged rows (often an unquoted delimiter inside a value) and register again.',
      details: { engine: first },
    });
  }
  if (/gzip|zlib|inflate|compress/i.test(raw)) {
    return new AppError('INVALID_INPUT', `${where} is a damaged or truncated gzip file.`, {
      remedy: 'Copy or download the file again completely, or register the uncompressed file.',
      details: { engine: first },
    });
  }
  if (/parquet|magic bytes|footer|thrift/i.test(raw)) {
    return new AppError('INVALID_INPUT', `${where} is a damaged or truncated Parquet file.`, {
      remedy: 'Write or copy the Parquet file again completely.',
      details: { engine: first },
    });
  }
  if (/json/i.test(raw)) {
    return new AppError('INVALID_INPUT', `${where} is not valid JSON Lines${at}.`, {
      remedy: 'Each line must be one JSON object; fix the line named, then register again.',
      details: { engine: first },
    });
  }
  if (/schema|union_by_name|mismatch/i.test(raw)) {
    return new AppError('INVALID_INPUT', `The files in ${where} do not share one schema.`, {
      remedy: 'Register files with the same columns together, and the others as separate datasets.',
      details: { engine: first },
    });
  }
  return new AppError('INVALID_INPUT', `Greenhouse could not read ${where}: ${first}`, {
    remedy: 'Check that the file is complete and in the format its name says.',
    details: { engine: first },
  });
}

async function withProgress<T>(
  con: DuckDBConnection,
  run: Promise<T>,
  report: (fraction: number) => void,
): Promise<T> {
  const timer = setInterval(() => {
    const p = con.progress.percentage;
    if (p >= 0) report(Math.min(1, p / 100));
  }, 100);
  try {
    return await run;
  } finally {
    clearInterval(timer);
  }
}

interface ColumnPlan {
  name: string;
  type: string;
  kind: ColumnKind;
}

/**
 * Profile a dataset with DuckDB in two streaming passes (bounded memory, whatever the file size):
 * first counts, nulls, distinct, range, moments, quantiles and frequent values; then histograms
 * over the range found and exact counts of the frequent values.
 */
export async function profileSource(source: DatasetSource, opts: ProfileOptions): Promise<ProfileResult> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(opts.threads ?? 2),
    memory_limit: opts.memoryLimit ?? '256MB',
    preserve_insertion_order: 'false',
    ...(opts.tempDir ? { temp_directory: opts.tempDir } : {}),
  });
  const con = await instance.connect();
  const onAbort = () => con.interrupt();
  opts.signal?.addEventListener('abort', onAbort);
  const report = opts.onProgress ?? (() => undefined);
  try {
    opts.signal?.throwIfAborted();
    const src = sourceSql(source, opts.encoding);

    let dialect: CsvDialect | null = null;
    if (source.format === 'csv' || source.format === 'tsv') {
      const sniff = (
        await con.runAndReadAll(`SELECT Delimiter, Quote, Escape, HasHeader FROM sniff_csv(${lit(source.files[0]!.path)}, encoding = ${lit(opts.encoding)}${source.format === 'tsv' ? `, delim = '\\t'` : ''})`)
      ).getRowObjectsJS()[0] as { Delimiter: string; Quote: string; Escape: string; HasHeader: boolean };
      dialect = {
        delimiter: sniff.Delimiter,
        quote: sniff.Quote,
        escape: sniff.Escape,
        header: sniff.HasHeader,
        encoding: opts.encoding,
        compression: source.compression,
      };
    }

    const described = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJS() as { column_name: string; column_type: string }[];
    const plan: ColumnPlan[] = described.map((d) => ({ name: d.column_name, type: d.column_type, kind: kindOf(d.column_type) }));

    // Pass 1.
    const q = `[${QUANTILES.join(', ')}]`;
    const exprs: string[] = ['count(*)::BIGINT AS "rows"'];
    plan.forEach((c, i) => {
      const col = ident(c.name);
      const p = `c${i}_`;
      exprs.push(`count(${col})::BIGINT AS ${p}n`);
      if (c.kind === 'other') {
        exprs.push(`approx_count_distinct(${col}::VARCHAR)::BIGINT AS ${p}d`);
        return;
      }
      exprs.push(`approx_count_distinct(${col})::BIGINT AS ${p}d`);
      if (c.kind === 'integer' || c.kind === 'number') {
        exprs.push(
          `min(${col})::DOUBLE AS ${p}min`,
          `max(${col})::DOUBLE AS ${p}max`,
          `avg(${col})::DOUBLE AS ${p}mean`,
          `stddev_samp(${col})::DOUBLE AS ${p}std`,
          `approx_quantile(${col}, ${q})::DOUBLE[] AS ${p}q`,
        );
      } else if (c.kind === 'date' || c.kind === 'timestamp') {
        exprs.push(`min(${col})::VARCHAR AS ${p}min`, `max(${col})::VARCHAR AS ${p}max`, `approx_quantile(${col}, ${q})::VARCHAR[] AS ${p}q`);
      } else if (c.kind === 'text') {
        exprs.push(
          `min(${col}) AS ${p}min`,
          `max(${col}) AS ${p}max`,
          `min(length(${col}))::BIGINT AS ${p}lmin`,
          `max(length(${col}))::BIGINT AS ${p}lmax`,
          `approx_top_k(${col}, ${TOP_VALUES}) AS ${p}top`,
        );
      } else if (c.kind === 'boolean') {
        exprs.push(`count_if(${col})::BIGINT AS ${p}true`);
      }
    });
    const pass1 = (
      await withProgress(con, con.runAndReadAll(`SELECT ${exprs.join(', ')} FROM ${src}`), (f) => report(0.05 + 0.65 * f))
    ).getRowObjectsJS()[0] as Record<string, unknown>;
    const rows = num(pass1.rows) ?? 0;
    if (rows === 0) {
      throw new AppError('INVALID_INPUT', `${source.root} has no rows${plan.length ? ' (only a header)' : ''}.`, {
        remedy: 'Register a file that holds data rows below its header.',
      });
    }

    const columns: ColumnProfile[] = plan.map((c, i) => {
      const p = (k: string) => pass1[`c${i}_${k}`];
      const nonNull = num(p('n')) ?? 0;
      const base: ColumnProfile = {
        name: c.name,
        type: c.type,
        kind: c.kind,
        nulls: rows - nonNull,
        distinct: Math.min(num(p('d')) ?? 0, nonNull),
        min: null,
        max: null,
        mean: null,
        std: null,
        quantiles: null,
        histogram: null,
        top: null,
        textLength: null,
      };
      if (c.kind === 'integer' || c.kind === 'number') {
        const qs = p('q') as (number | null)[] | null;
        return {
          ...base,
          min: finite(p('min')),
          max: finite(p('max')),
          mean: finite(p('mean')),
          std: finite(p('std')),
          quantiles: qs ? Object.fromEntries(QUANTILES.map((k, j) => [String(k), finite(qs[j]) ?? 0])) : null,
        };
      }
      if (c.kind === 'date' || c.kind === 'timestamp') {
        const qs = p('q') as string[] | null;
        return {
          ...base,
          min: (p('min') as string | null) ?? null,
          max: (p('max') as string | null) ?? null,
          quantiles: qs ? Object.fromEntries(QUANTILES.map((k, j) => [String(k), qs[j] ?? ''])) : null,
        };
      }
      if (c.kind === 'text') {
        const lmin = num(p('lmin'));
        const lmax = num(p('lmax'));
        return {
          ...base,
          min: (p('min') as string | null) ?? null,
          max: (p('max') as string | null) ?? null,
          textLength: lmin === null || lmax === null ? null : { min: lmin, max: lmax },
          top: ((p('top') as string[] | null) ?? []).map((value) => ({ value, count: 0 })),
        };
      }
      if (c.kind === 'boolean') {
        const t = num(p('true')) ?? 0;
        return {
          ...base,
          min: nonNull > t ? false : nonNull > 0 ? true : null,
          max: t > 0 ? true : nonNull > 0 ? false : null,
          mean: nonNull ? t / nonNull : null,
          top: [
            { value: true, count: t },
            { value: false, count: nonNull - t },
          ].sort((a, b) => b.count - a.count),
        };
      }
      return base;
    });

    // Pass 2: histograms over the ranges found, exact counts of the frequent values.
    const exprs2: string[] = [];
    columns.forEach((c, i) => {
      const col = ident(c.name);
      if ((c.kind === 'integer' || c.kind === 'number') && c.min !== null && c.max !== null) {
        // Integers get whole-number bins; everything numeric is binned in its own type's terms.
        const t = c.kind === 'integer' ? 'BIGINT' : 'DOUBLE';
        const bins = c.min === c.max ? `[${c.max}::${t}]` : `equi_width_bins(${c.min}::${t}, ${c.max}::${t}, ${HISTOGRAM_BINS}, true)`;
        exprs2.push(`list_transform(map_entries(histogram(${col}::${t}, ${bins})), e -> {'k': e.key::VARCHAR, 'n': e.value}) AS h${i}`);
      } else if ((c.kind === 'date' || c.kind === 'timestamp') && c.min !== null && c.max !== null) {
        const t = c.kind === 'date' ? 'DATE' : 'TIMESTAMP';
        const bins = c.min === c.max ? `[${lit(String(c.max))}::${t}]` : `equi_width_bins(${lit(String(c.min))}::${t}, ${lit(String(c.max))}::${t}, ${HISTOGRAM_BINS}, true)`;
        exprs2.push(`list_transform(map_entries(histogram(${col}::${t}, ${bins})), e -> {'k': e.key::VARCHAR, 'n': e.value}) AS h${i}`);
      } else if (c.kind === 'text' && c.top && c.top.length > 0) {
        const values = list(c.top.map((t) => String(t.value)));
        exprs2.push(
          `list_transform(map_entries(histogram(${col}) FILTER (WHERE list_contains(${values}, ${col}))), e -> {'k': e.key::VARCHAR, 'n': e.value}) AS h${i}`,
        );
      }
    });
    if (exprs2.length > 0) {
      const pass2 = (
        await withProgress(con, con.runAndReadAll(`SELECT ${exprs2.join(', ')} FROM ${src}`), (f) => report(0.7 + 0.25 * f))
      ).getRowObjectsJS()[0] as Record<string, { k: string; n: bigint | number }[] | null>;
      columns.forEach((c, i) => {
        const entries = pass2[`h${i}`];
        if (!entries) return;
        if (c.kind === 'text') {
          c.top = entries
            .map((e) => ({ value: e.k as Scalar, count: Number(e.n) }))
            .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
          return;
        }
        const numeric = c.kind === 'integer' || c.kind === 'number';
        const bins: HistogramBin[] = [];
        let lower: Scalar = c.min!;
        for (const e of entries) {
          const upper: Scalar = numeric ? Number(e.k) : e.k;
          bins.push({ lower, upper, count: Number(e.n) });
          lower = upper;
        }
        c.histogram = bins;
      });
    }

    // The first rows, as the reader sees them.
    const reader = await con.runAndReadAll(`SELECT * FROM ${src} LIMIT ${SAMPLE_ROWS}`);
    const sample = { columns: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
    report(1);
    return { rows, columns, sample, dialect };
  } catch (e) {
    if (opts.signal?.aborted) throw new AppError('CANCELLED', 'The registration was cancelled.');
    throw explainReadError(e, source);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    con.closeSync();
    instance.closeSync();
  }
}
