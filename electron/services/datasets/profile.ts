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
import { MAX_JSON_LINE_BYTES, MAX_LINE_BYTES, scanHead, SNIFF_ROWS, type DatasetSource, type SourceFile } from './source.js';

export { MAX_JSON_LINE_BYTES, MAX_LINE_BYTES, SNIFF_ROWS };

export const HISTOGRAM_BINS = 20;
export const TOP_VALUES = 20;
export const SAMPLE_ROWS = 100;
/**
 * Quantiles come from a uniform reservoir sample of this many values per column (DuckDB's
 * reservoir_quantile): a rank error around 0.1%, exact below that many rows, at a third of the
 * cost of t-digest (approx_quantile), which was the most expensive part of the profile.
 */
export const QUANTILE_SAMPLE = 262_144;

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

/**
 * Distinct values are counted by linear counting over 2^20 bits set by the values' hashes (one
 * 128 KB bitmap per column, whatever the data size): within about 1% up to ~8 million distinct
 * values. Past that the bitmap is nearly full, and the second pass counts again over a 1-in-256
 * sample of the hashes. (DuckDB's approx_count_distinct, a small HyperLogLog, is off by 10-30%
 * below a million values and by about 10% above.)
 */
export const DISTINCT_BITS_LOG2 = 20;
export const DISTINCT_BITS = 2 ** DISTINCT_BITS_LOG2;
export const DISTINCT_SAMPLE = 256;

const linearCount = (bitsSet: number) => DISTINCT_BITS * Math.log(DISTINCT_BITS / Math.max(1, DISTINCT_BITS - bitsSet));

/** Past about 8 values per bit the bitmap is too full to count by. */
export const estimateSaturated = (bitsSet: number | null) => (DISTINCT_BITS - (bitsSet ?? 0)) / DISTINCT_BITS < Math.exp(-8);

/** Distinct values from the bits the values set, and (when those saturate) the bits a 1-in-256 sample set. */
export function estimateDistinct(bitsSet: number | null, sampledBitsSet: number | null): number {
  if (!bitsSet) return 0;
  if (!estimateSaturated(bitsSet) || sampledBitsSet === null) return Math.round(linearCount(bitsSet));
  return Math.max(Math.round(DISTINCT_SAMPLE * linearCount(sampledBitsSet)), Math.round(linearCount(bitsSet)));
}

const distinctBits = (col: string, sampled: boolean) =>
  `bit_count(bitstring_agg((hash(${col}) >> ${64 - DISTINCT_BITS_LOG2})::BIGINT, 0, ${DISTINCT_BITS - 1}) FILTER (WHERE ${col} IS NOT NULL${
    sampled ? ` AND (hash(${col}) & ${DISTINCT_SAMPLE - 1}) = 0` : ''
  }))::BIGINT`;

// Round bin widths: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten.
const ROUND_STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * Upper bin edges for a numeric histogram from min to max: the smallest round width that needs at
 * most HISTOGRAM_BINS bins, so 15 to 21 of them with the first edge rounded down (DuckDB's own
 * "nice" bins range from 13 to 30); whole-number widths for integers (13 or more bins for a narrow
 * range), and one bin per value for an integer range of up to 25 values. A value falls in the
 * first bin whose upper edge is not below it: bins are (lower, upper], the first one [min, upper].
 */
export function binEdges(min: number, max: number, integer: boolean): number[] {
  if (!(max > min)) return [max];
  if (integer && max - min + 1 <= HISTOGRAM_BINS * 1.25) return Array.from({ length: max - min + 1 }, (_, i) => min + i);
  const raw = (max - min) / HISTOGRAM_BINS;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = (ROUND_STEPS.find((k) => k * magnitude >= raw * (1 - 1e-12)) ?? 10) * magnitude;
  if (integer) step = Math.ceil(step);
  const start = Math.floor(min / step) * step;
  const edges: number[] = [];
  for (let i = 1; edges.length === 0 || edges.at(-1)! < max; i++) edges.push(Number((start + i * step).toPrecision(12)));
  return edges;
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
export function sourceSql(source: DatasetSource, encoding: 'utf-8' | 'utf-16', opts: { allVarchar?: boolean; options?: string[] } = {}): string {
  const files = list(source.files.map((f) => f.path));
  const gz = source.compression === 'gzip' ? `, compression = 'gzip'` : '';
  // More reader options, e.g. the drift check's `ignore_errors = true, columns = {…}` for JSON Lines.
  const more = opts.options?.length ? `, ${opts.options.join(', ')}` : '';
  switch (source.format) {
    case 'parquet':
      return `read_parquet(${files}, hive_partitioning = ${source.isFolder ? 'true' : 'false'}, union_by_name = false${more})`;
    case 'jsonl':
      return `read_json(${files}, format = 'newline_delimited', maximum_object_size = ${MAX_JSON_LINE_BYTES}${gz}${more})`;
    case 'csv':
    case 'tsv': {
      const options = [`encoding = ${lit(encoding)}`, `max_line_size = ${MAX_LINE_BYTES}`, `sample_size = ${SNIFF_ROWS}`];
      // Stated, not guessed from the extension: snapshots in the object store have none.
      if (source.compression === 'gzip') options.push(`compression = 'gzip'`);
      // Every field as the text it is (for readers that must see what pandas.read_csv sees).
      if (opts.allVarchar) options.push('all_varchar = true');
      if (source.format === 'tsv') options.push(`delim = '\\t'`);
      options.push(...(opts.options ?? []));
      return `read_csv(${files}, ${options.join(', ')})`;
    }
  }
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : Number(v));
const finite = (v: unknown): number | null => {
  const n = num(v);
  return n === null || !Number.isFinite(n) ? null : n;
};

/**
 * What DuckDB says happened, without the hints it appends (its "Possible fixes", the options it
 * used, the SQL), which mention encodings, compression and line sizes whatever the problem, and
 * without the offending line and file names, which are data, not diagnosis.
 */
function engineSaid(raw: string, source: DatasetSource): string {
  let said = raw.split(/\n(?:Possible fixes:|Possible Solution:|The search space used was:|\s+file = |LINE \d+:)/)[0] ?? raw;
  said = said.replace(/^Original Line:.*$/gm, '');
  for (const p of [...source.files.map((f) => f.path), source.root].sort((a, b) => b.length - a.length)) said = said.split(p).join('<file>');
  return said;
}

/** Turn DuckDB's error text into one that names the file and says what to do. */
export function explainReadError(e: unknown, source: DatasetSource): AppError {
  if (e instanceof AppError) return e;
  const raw = (e as Error)?.message ?? String(e);
  const first = raw.split('\n').find((l) => l.trim()) ?? raw;
  const said = engineSaid(raw, source);
  // In a folder, name the file DuckDB names.
  const named = source.isFolder ? source.files.find((f) => raw.includes(f.path)) : undefined;
  const where = named ? named.path : source.isFolder ? `the folder ${source.root}` : source.root;
  const line = /\b(?:on|in) line:? *(\d+)/i.exec(said)?.[1];
  const at = line ? ` (line ${line})` : '';
  const details = { engine: first };
  if (/interrupt/i.test(said)) return new AppError('CANCELLED', 'The profile was cancelled.');
  if (/invalid unicode|not utf-?8 encoded/i.test(said)) {
    return new AppError('INVALID_INPUT', `${where} is not valid UTF-8 text${at}.`, {
      remedy: 'Save the file as UTF-8 (most spreadsheet and database tools offer "CSV UTF-8"), then register it again.',
      details,
    });
  }
  if (/maximum_object_size/i.test(said)) {
    return new AppError('INVALID_INPUT', `${where} has a line longer than ${MAX_JSON_LINE_BYTES / 1024 / 1024} MB${at}.`, {
      remedy: 'Each line of JSON Lines holds one record; split very large objects, or check that this is JSON Lines.',
      details,
    });
  }
  if (/maximum line size|line size/i.test(said)) {
    return new AppError('INVALID_INPUT', `${where} has a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB${at}.`, {
      remedy: 'Check that the file really is delimited text with one record per line (a missing closing quote also causes this).',
      details,
    });
  }
  if (/expected number of columns|too many columns|column count|not enough columns/i.test(said)) {
    return new AppError('INVALID_INPUT', `${where} has rows with a different number of fields than the header${at}.`, {
      remedy: 'Fix the ragged rows (often an unquoted delimiter inside a value) and register again.',
      details,
    });
  }
  if (/schema mismatch|union_by_name|mismatch/i.test(said)) {
    return new AppError('INVALID_INPUT', `The files in ${source.isFolder ? `the folder ${source.root}` : where} do not share one schema.`, {
      remedy: 'Register files with the same columns together, and the others as separate datasets.',
      details,
    });
  }
  if (source.compression === 'gzip' && /gzip|zlib|inflate|compress/i.test(said)) {
    return new AppError('INVALID_INPUT', `${where} is a damaged or truncated gzip file.`, {
      remedy: 'Copy or download the file again completely, or register the uncompressed file.',
      details,
    });
  }
  if (source.format === 'parquet' && /parquet|magic bytes|footer|thrift|compress|corrupt|invalid|out of range/i.test(said)) {
    return new AppError('INVALID_INPUT', `${where} is a damaged or truncated Parquet file.`, {
      remedy: 'Write or copy the Parquet file again completely.',
      details,
    });
  }
  if (source.format === 'jsonl' && /json/i.test(said)) {
    return new AppError('INVALID_INPUT', `${where} is not valid JSON Lines${at}.`, {
      remedy: 'Each line must be one JSON object; fix the line named, then register again.',
      details,
    });
  }
  if (/error when sniffing|not possible to automatically detect/i.test(said)) {
    return new AppError('INVALID_INPUT', `Greenhouse could not work out how ${where} is delimited and quoted.`, {
      remedy: 'Check that it is comma-, semicolon-, tab- or pipe-separated text with the same number of fields on every line.',
      details,
    });
  }
  if (/does not support a full read/i.test(said)) {
    return new AppError('INVALID_INPUT', `Greenhouse could not split ${where} into records: a line is probably longer than ${MAX_LINE_BYTES / 1024 / 1024} MB, or a quote is never closed.`, {
      remedy: 'Check that the file really is delimited text with one record per line, and that every quoted value is closed.',
      details,
    });
  }
  return new AppError('INVALID_INPUT', `Greenhouse could not read ${where}: ${first}`, {
    remedy: 'Check that the file is complete and in the format its name says.',
    details,
  });
}

const DELIMITERS = [',', ';', '\t', '|'];

/** Fields of a CSV line, honouring double quotes. */
export function splitCsvLine(line: string, delim: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The delimiter that splits a header line into the most fields (tab for TSV). */
export function guessDelimiter(header: string, format: DatasetSource['format']): string {
  if (format === 'tsv') return '\t';
  let best = ',';
  let most = 1;
  for (const d of DELIMITERS) {
    const n = splitCsvLine(header, d).length;
    if (n > most) {
      best = d;
      most = n;
    }
  }
  return best;
}

/**
 * When the sniffer gives up (or settles for one column although the header has delimiters), read
 * the file strictly with the header's delimiter: DuckDB then names the ragged line. Resolves with
 * the explained error, or null when the strict read finds nothing wrong.
 */
export async function diagnoseCsv(con: DuckDBConnection, source: DatasetSource, file: SourceFile, encoding: 'utf-8' | 'utf-16'): Promise<AppError | null> {
  const header = await scanHead(file, source.compression, { maxLineBytes: MAX_LINE_BYTES, lines: 1, encoding });
  const delim = guessDelimiter(header, source.format);
  const columns = splitCsvLine(header, delim).map((_, i) => `${lit(`c${i}`)}: 'VARCHAR'`);
  const sql = `SELECT count(*) FROM read_csv(${lit(file.path)}, auto_detect = false, header = true, delim = ${lit(delim)}, quote = '"', escape = '"',
    columns = {${columns.join(', ')}}, encoding = ${lit(encoding)}, max_line_size = ${MAX_LINE_BYTES}, strict_mode = true)`;
  try {
    await con.runAndReadAll(sql);
    return null;
  } catch (e) {
    const why = explainReadError(e, { ...source, files: [file], root: source.isFolder ? source.root : file.path });
    return why.code === 'CANCELLED' ? null : why;
  }
}

const isSniffFailure = (e: unknown) => /error when sniffing|not possible to automatically detect/i.test((e as Error)?.message ?? '');

export async function withProgress<T>(
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

/**
 * The dialect of a CSV/TSV source as DuckDB's sniffer finds it. With ragged rows in its sample the
 * sniffer may settle for one column holding whole lines, or for the ragged row's width without a
 * header: when the first line's field count differs from the sniffed width, the file is read
 * strictly with the header's delimiter, so the error names the ragged line.
 */
export async function sniffCsv(con: DuckDBConnection, source: DatasetSource, encoding: 'utf-8' | 'utf-16'): Promise<CsvDialect> {
  const sniff = (
    await con.runAndReadAll(
      `SELECT Delimiter, Quote, Escape, HasHeader, len(Columns)::INTEGER AS Width FROM sniff_csv(${lit(source.files[0]!.path)}, encoding = ${lit(encoding)}, max_line_size = ${MAX_LINE_BYTES}, sample_size = ${SNIFF_ROWS}${source.format === 'tsv' ? `, delim = '\\t'` : ''})`,
    )
  ).getRowObjectsJS()[0] as { Delimiter: string; Quote: string; Escape: string; HasHeader: boolean; Width: number };
  // The first line names as many columns as the sniffer found, or a ragged row misled it.
  const header = await scanHead(source.files[0]!, source.compression, { maxLineBytes: MAX_LINE_BYTES, lines: 1, encoding });
  if (splitCsvLine(header, guessDelimiter(header, source.format)).length !== sniff.Width) {
    const why = await diagnoseCsv(con, source, source.files[0]!, encoding);
    if (why) throw why;
  }
  return {
    delimiter: sniff.Delimiter,
    quote: sniff.Quote,
    escape: sniff.Escape,
    header: sniff.HasHeader,
    encoding,
    compression: source.compression,
  };
}

/** What a failed read of a source means, in words: a sniffer failure is diagnosed by a strict read first. */
export async function explainSourceError(con: DuckDBConnection, source: DatasetSource, encoding: 'utf-8' | 'utf-16', e: unknown): Promise<AppError> {
  if ((source.format === 'csv' || source.format === 'tsv') && isSniffFailure(e)) {
    const raw = (e as Error).message;
    const file = source.files.find((f) => raw.includes(f.path)) ?? source.files[0]!;
    const why = await diagnoseCsv(con, source, file, encoding).catch(() => null);
    if (why) return why;
  }
  return explainReadError(e, source);
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
/**
 * An in-memory DuckDB for one read of files: bounded threads and memory, query progress tracked
 * (never printed), interrupted when `signal` aborts. Close it when done.
 */
export async function openDuckDb(opts: { threads?: number; memoryLimit?: string; tempDir?: string; signal?: AbortSignal }): Promise<{ con: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(opts.threads ?? 2),
    memory_limit: opts.memoryLimit ?? '256MB',
    preserve_insertion_order: 'false',
    ...(opts.tempDir ? { temp_directory: opts.tempDir } : {}),
  });
  const con = await instance.connect();
  // Query progress (con.progress) is only tracked with the progress bar on; it is never printed.
  await con.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false;');
  const onAbort = () => con.interrupt();
  opts.signal?.addEventListener('abort', onAbort);
  return {
    con,
    close: () => {
      opts.signal?.removeEventListener('abort', onAbort);
      con.closeSync();
      instance.closeSync();
    },
  };
}

export async function profileSource(source: DatasetSource, opts: ProfileOptions): Promise<ProfileResult> {
  const { con, close } = await openDuckDb(opts);
  const report = opts.onProgress ?? (() => undefined);
  try {
    opts.signal?.throwIfAborted();
    const src = sourceSql(source, opts.encoding);

    const dialect = source.format === 'csv' || source.format === 'tsv' ? await sniffCsv(con, source, opts.encoding) : null;

    // An interrupt that falls between two queries is lost: check before each.
    const step = () => opts.signal?.throwIfAborted();
    step();
    const described = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${src}`)).getRowObjectsJS() as { column_name: string; column_type: string }[];
    const plan: ColumnPlan[] = described.map((d) => ({ name: d.column_name, type: d.column_type, kind: kindOf(d.column_type) }));

    // Pass 1.
    const q = `[${QUANTILES.join(', ')}]`;
    const exprs: string[] = ['count(*)::BIGINT AS "rows"'];
    plan.forEach((c, i) => {
      const col = ident(c.name);
      const p = `c${i}_`;
      exprs.push(`count(${col})::BIGINT AS ${p}n`);
      exprs.push(`${distinctBits(col, false)} AS ${p}bits`);
      if (c.kind === 'other') return;
      if (c.kind === 'integer' || c.kind === 'number') {
        exprs.push(
          `min(${col})::DOUBLE AS ${p}min`,
          `max(${col})::DOUBLE AS ${p}max`,
          `avg(${col})::DOUBLE AS ${p}mean`,
          `stddev_samp(${col})::DOUBLE AS ${p}std`,
          `reservoir_quantile(${col}::DOUBLE, ${q}, ${QUANTILE_SAMPLE})::DOUBLE[] AS ${p}q`,
        );
      } else if (c.kind === 'date' || c.kind === 'timestamp') {
        exprs.push(`min(${col})::VARCHAR AS ${p}min`, `max(${col})::VARCHAR AS ${p}max`, `list_transform(reservoir_quantile(epoch_us(${col}), ${q}, ${QUANTILE_SAMPLE}), x -> make_timestamp(x)${c.kind === 'date' ? '::DATE' : ''}::VARCHAR) AS ${p}q`);
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
    step();
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
        distinct: Math.min(estimateDistinct(num(p('bits')), null), nonNull),
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
        const bins = `[${binEdges(c.min as number, c.max as number, c.kind === 'integer').map((e) => `${e}::${t}`).join(', ')}]`;
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
    // Past ~8 million distinct values the bitmap is full: count again over a sample of the hashes.
    const saturated = plan.map((_, i) => estimateSaturated(num(pass1[`c${i}_bits`])));
    plan.forEach((c, i) => {
      if (saturated[i]) exprs2.push(`${distinctBits(ident(c.name), true)} AS d${i}`);
    });
    if (exprs2.length > 0) {
      step();
      const pass2 = (
        await withProgress(con, con.runAndReadAll(`SELECT ${exprs2.join(', ')} FROM ${src}`), (f) => report(0.7 + 0.25 * f))
      ).getRowObjectsJS()[0] as Record<string, unknown>;
      columns.forEach((c, i) => {
        if (saturated[i]) c.distinct = Math.min(estimateDistinct(num(pass1[`c${i}_bits`]), num(pass2[`d${i}`])), rows - c.nulls);
        const entries = pass2[`h${i}`] as { k: string; n: bigint | number }[] | null | undefined;
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
    step();
    const reader = await con.runAndReadAll(`SELECT * FROM ${src} LIMIT ${SAMPLE_ROWS}`);
    const sample = { columns: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
    report(1);
    return { rows, columns, sample, dialect };
  } catch (e) {
    if (opts.signal?.aborted) throw new AppError('CANCELLED', 'The registration was cancelled.');
    throw await explainSourceError(con, source, opts.encoding, e);
  } finally {
    close();
  }
}
