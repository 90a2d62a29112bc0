import { DuckDBInstance } from '@duckdb/node-api';
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

/** A JSON-ready cell: integers as numbers, dates and times as ISO text, everything else as DuckDB gives it. */
function cell(value: unknown, kind: ColumnKind): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'integer' && typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** The trivial model's answers: the target's most frequent value (ties: the smallest) and its mean when numeric. */
export async function targetBaseline(d: DatasetVersionInput, target: string, signal?: AbortSignal): Promise<{ majority: string | number | boolean | null; mean: number | null }> {
  const kind = d.columns.find((c) => c.name === target)?.kind;
  const col = `"${target.replace(/"/g, '""')}"`;
  const numeric = kind === 'integer' || kind === 'number' || kind === 'boolean';
  const rows = await query(d, signal, (src) =>
    `SELECT (SELECT ${col} FROM ${src} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) AS majority,
            ${numeric ? `(SELECT avg(${col}::DOUBLE) FROM ${src})` : 'NULL'} AS mean`,
  );
  const r = rows.rows[0] ?? [null, null];
  return { majority: (cell(r[0], kind ?? 'other') as string | number | boolean | null) ?? null, mean: r[1] === null ? null : Number(r[1]) };
}

/**
 * A deterministic sample of a dataset version's rows (reservoir sampling with a fixed seed, on one
 * thread so the same seed gives the same rows), as JSON-ready arrays in column order.
 */
export async function sampleRows(d: DatasetVersionInput, opts: { limit: number; seed: number; signal?: AbortSignal }): Promise<{ columns: string[]; rows: unknown[][] }> {
  return query(d, opts.signal, (src) => `SELECT * FROM ${src} USING SAMPLE reservoir(${Math.floor(opts.limit)} ROWS) REPEATABLE (${Math.floor(opts.seed)})`);
}

/** Run one query over the dataset version's files on one thread (deterministic), as JSON-ready rows. */
async function query(d: DatasetVersionInput, signal: AbortSignal | undefined, sql: (source: string) => string): Promise<{ columns: string[]; rows: unknown[][] }> {
  const source = await sourceOf(d);
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB' });
  const con = await instance.connect();
  const onAbort = () => con.interrupt();
  signal?.addEventListener('abort', onAbort);
  try {
    const reader = await con.runAndReadAll(sql(sourceSql(source, d.encoding)));
    signal?.throwIfAborted();
    const columns = reader.columnNames();
    const kinds = columns.map((c) => d.columns.find((x) => x.name === c)?.kind ?? 'other');
    const rows = (reader.getRowsJson() as unknown[][]).map((r) => r.map((v, i) => cell(v, kinds[i]!)));
    return { columns, rows };
  } catch (e) {
    if (signal?.aborted) throw new AppError('CANCELLED', 'The model registration was cancelled.');
    throw explainReadError(e, source);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    con.closeSync();
    instance.closeSync();
  }
}
