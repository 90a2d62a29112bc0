import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ColumnKind, DatasetVersion } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { explainReadError, sourceSql } from '../datasets/profile.js';
import { formatOf, resolveSource, type DatasetSource } from '../datasets/source.js';

/** What a model registration needs to know about one dataset version, passed into the job. */
export interface DatasetVersionInput {
  name: string;
  version: number;
  format: DatasetVersion['format'];
  snapshot: DatasetVersion['snapshot'];
  sourcePath: string;
  files: DatasetVersion['files'];
  encoding: 'utf-8' | 'utf-16';
  columns: { name: string; kind: ColumnKind; nullable: boolean }[];
  /** Object-store paths of the files, when the bytes were copied. */
  storedPaths: string[] | null;
}

/** The files to read: the snapshot when the bytes were copied (a single file), else the registered path. */
async function sourceOf(d: DatasetVersionInput): Promise<DatasetSource> {
  const fmt = formatOf(basename(d.sourcePath));
  if (d.storedPaths && d.files.length === 1 && fmt) {
    return {
      root: d.storedPaths[0]!,
      isFolder: false,
      format: d.format,
      compression: fmt.compression,
      files: [{ path: d.storedPaths[0]!, rel: d.files[0]!.path, bytes: d.files[0]!.bytes, mtimeMs: 0 }],
      bytes: d.files[0]!.bytes,
    };
  }
  try {
    await stat(d.sourcePath);
  } catch {
    throw new AppError('NOT_FOUND', `Dataset ${d.name}@${d.version} was kept by reference and ${d.sourcePath} is gone.`, {
      remedy: 'Put the file back where it was, or register the data again (with a snapshot) and pick that version.',
    });
  }
  return resolveSource(d.sourcePath);
}

type ColumnView = DatasetVersionInput['columns'][number];

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** pandas.read_csv reads only these as booleans; DuckDB also takes yes/no, y/n, t/f, 1/0. */
const PANDAS_BOOLEAN_LITERALS = "('true', 'false')";

/**
 * A JSON-ready cell. From CSV every field comes as text and is turned into what pandas.read_csv
 * would make of it for the column's kind; from Parquet and JSON Lines values keep their types
 * (integers as numbers, dates and times as ISO text).
 */
function cell(value: unknown, kind: ColumnView['kind'], fromText: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (fromText && typeof value === 'string') {
    if (kind === 'integer' || kind === 'number') {
      const n = Number(value);
      return Number.isFinite(n) ? n : null;
    }
    if (kind === 'boolean') return value.toLowerCase() === 'true';
    return value;
  }
  if (kind === 'integer' && typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/**
 * Rows of one dataset version as the analyst's code saw them, for loading the model in Python:
 * a deterministic sample, and the target's trivial baseline. Reads run on one DuckDB thread, so
 * the same seed gives the same rows.
 */
export class DatasetRows {
  private constructor(
    private readonly d: DatasetVersionInput,
    private readonly source: DatasetSource,
    private readonly instance: DuckDBInstance,
    private readonly con: DuckDBConnection,
    private readonly signal: AbortSignal | undefined,
    /** The columns with the kinds pandas gives them (CSV: dates stay text, yes/no stays text). */
    readonly columns: ColumnView[],
  ) {}

  static async open(d: DatasetVersionInput, signal?: AbortSignal): Promise<DatasetRows> {
    const source = await sourceOf(d);
    const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB' });
    const con = await instance.connect();
    const rows = new DatasetRows(d, source, instance, con, signal, d.columns);
    try {
      return rows.isCsv ? await rows.withPandasKinds() : rows;
    } catch (e) {
      rows.close();
      throw e;
    }
  }

  private get isCsv() {
    return this.d.format === 'csv' || this.d.format === 'tsv';
  }

  /**
   * DuckDB's sniffer types more than pandas.read_csv does: dates stay text in pandas, and only
   * true/false (any case) become booleans. The kinds the model was trained on are pandas' ones.
   */
  private async withPandasKinds(): Promise<DatasetRows> {
    const booleans = this.d.columns.filter((c) => c.kind === 'boolean');
    const textual = new Set<string>();
    if (booleans.length > 0) {
      const checks = booleans.map((c) => `count(*) FILTER (WHERE lower(${quoteIdent(c.name)}) NOT IN ${PANDAS_BOOLEAN_LITERALS})`).join(', ');
      const r = await this.run((src) => `SELECT ${checks} FROM ${src}`);
      booleans.forEach((c, i) => {
        if (Number(r.rows[0]?.[i] ?? 0) > 0) textual.add(c.name);
      });
    }
    const columns = this.d.columns.map((c) => (c.kind === 'date' || c.kind === 'timestamp' || textual.has(c.name) ? { ...c, kind: 'text' as const } : c));
    return new DatasetRows(this.d, this.source, this.instance, this.con, this.signal, columns);
  }

  /** A seeded sample of at most `limit` rows, in the dataset's column order. */
  sample(limit: number, seed: number): Promise<{ columns: string[]; rows: unknown[][] }> {
    return this.run((src) => `SELECT * FROM ${src} USING SAMPLE reservoir(${Math.floor(limit)} ROWS) REPEATABLE (${Math.floor(seed)})`);
  }

  /** The trivial model's answers: the target's most frequent value (ties: the smallest) and its mean when numeric. */
  async baseline(target: string): Promise<{ majority: string | number | boolean | null; mean: number | null }> {
    const kind = this.columns.find((c) => c.name === target)?.kind ?? 'other';
    const col = quoteIdent(target);
    const numeric = kind === 'integer' || kind === 'number' || kind === 'boolean';
    const mean = kind === 'boolean' ? `avg((lower(${col}::VARCHAR) = 'true')::INTEGER)` : `avg(${col}::DOUBLE)`;
    const r = await this.run(
      (src) => `SELECT (SELECT ${col} FROM ${src} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1), ${numeric ? `(SELECT ${mean} FROM ${src})` : 'NULL'}`,
      [target, '_mean'],
    );
    const [majority, avg] = r.rows[0] ?? [null, null];
    return { majority: (majority ?? null) as string | number | boolean | null, mean: avg === null || avg === undefined ? null : Number(avg) };
  }

  close(): void {
    this.con.closeSync();
    this.instance.closeSync();
  }

  /** One query over the files; cells converted by the kinds of `names` (default: the result's own column names). */
  private async run(sql: (source: string) => string, names?: string[]): Promise<{ columns: string[]; rows: unknown[][] }> {
    const onAbort = () => this.con.interrupt();
    this.signal?.addEventListener('abort', onAbort);
    try {
      const reader = await this.con.runAndReadAll(sql(sourceSql(this.source, this.d.encoding, { allVarchar: this.isCsv })));
      this.signal?.throwIfAborted();
      const columns = reader.columnNames();
      const kinds = (names ?? columns).map((c) => this.columns.find((x) => x.name === c)?.kind ?? 'number');
      const rows = (reader.getRowsJson() as unknown[][]).map((r) => r.map((v, i) => cell(v, kinds[i]!, this.isCsv)));
      return { columns, rows };
    } catch (e) {
      if (this.signal?.aborted) throw new AppError('CANCELLED', 'The model registration was cancelled.');
      throw explainReadError(e, this.source);
    } finally {
      this.signal?.removeEventListener('abort', onAbort);
    }
  }
}
