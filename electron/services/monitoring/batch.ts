// How the drift check reads a batch, with the dataset profiler's readers (profile.ts: sourceSql,
// the CSV sniffer and its diagnosis, the error explanations) and source checks (source.ts). CSV and
// TSV are read as text (all_varchar), so a value of the wrong type is counted, not fatal, and
// numbers convert as pandas' float() would in app/drift.py. JSON Lines are read with malformed
// lines skipped and counted; a line whose record sits under "inputs" makes the file a prediction
// log of the serving app (resources/serving/server.py, PredictionLog).

import { open } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnKind } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { fsErrorToAppError } from '../errors.js';
import { explainSourceError, kindOf, MAX_JSON_LINE_BYTES, SNIFF_ROWS, sniffCsv, sourceSql } from '../datasets/profile.js';
import { openSource, type DatasetSource } from '../datasets/source.js';

export type BatchFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet' | 'prediction-log';

export interface BatchColumn {
  name: string;
  /** The engine's type as read (VARCHAR for CSV and JSON). */
  type: string;
  kind: ColumnKind;
  /** SQL for the column's value in a row of `from`. */
  sql: string;
}

export interface OpenedBatch {
  source: DatasetSource;
  encoding: 'utf-8' | 'utf-16';
  format: BatchFormat;
  /** The records' columns (for a prediction log, the fields of "inputs"). */
  columns: BatchColumn[];
  /** A prediction log's "prediction" field. */
  prediction: BatchColumn | null;
  /** The table expression to read. */
  from: string;
  /** SQL true for a line that was skipped (malformed, not an object, no "inputs"); null when nothing is skipped. */
  bad: string | null;
  /** Text files that do not end with a line break (a truncated last line?). */
  unterminated: string[];
}

export const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
export const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The dataset helpers' remedies speak of registering; a drift check is run again instead. One
 * place rewords them, so the errors keep naming the file and the fix.
 */
export function asDriftError(e: unknown): unknown {
  if (!(e instanceof AppError)) return e;
  const remedy = e.remedy
    .replace(/\bthen register (it )?again\b/gi, 'then run the check again')
    .replace(/\band register again\b/gi, 'and run the check again')
    .replace(/\bregister it again\b/gi, 'run the check again')
    .replace(/\bor register the uncompressed file\b/gi, 'or check the uncompressed file')
    .replace(/^Register (a|files)\b/, (_, w: string) => `Check ${w}`);
  const message = e.message.replace(/^The profile was cancelled\.$/, 'The drift check was cancelled.');
  return remedy === e.remedy && message === e.message ? e : new AppError(e.code, message, { remedy, details: e.details, cause: e });
}

/** Check the batch's files as a registration does (empty, binary, encoding, truncated Parquet, a huge line). */
export const inspectBatch = (path: string) => openSource(path, { message: `The batch ${path} is empty.`, remedy: 'Give a batch with a header and rows (or a prediction log with lines).' });

/** Uncompressed text files whose last byte is not a line break. */
export async function unterminatedFiles(source: DatasetSource): Promise<string[]> {
  if (source.format === 'parquet' || source.compression !== 'none') return [];
  const out: string[] = [];
  for (const f of source.files) {
    const fh = await open(f.path, 'r').catch((e: unknown) => {
      throw fsErrorToAppError(e, f.path);
    });
    try {
      // UTF-16 text ends in "\n\0"; UTF-8 in "\n".
      const tail = Buffer.alloc(2);
      const { bytesRead } = await fh.read(tail, 0, 2, Math.max(0, f.bytes - 2));
      const last = tail.subarray(0, bytesRead);
      if (!(last.at(-1) === 0x0a || (last.at(-1) === 0 && last.at(-2) === 0x0a))) out.push(f.path);
    } finally {
      await fh.close();
    }
  }
  return out;
}

const describe = async (con: DuckDBConnection, sql: string) =>
  (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${sql}`)).getRowObjectsJS().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));

/** Work out how to read the batch: its format, its columns and the SQL that reads them. */
export async function openBatch(con: DuckDBConnection, source: DatasetSource, encoding: 'utf-8' | 'utf-16'): Promise<OpenedBatch> {
  const unterminated = await unterminatedFiles(source);
  try {
    if (source.format === 'csv' || source.format === 'tsv') {
      // sniffCsv refuses a ragged file, naming the line.
      await sniffCsv(con, source, encoding);
      const from = sourceSql(source, encoding, { allVarchar: true });
      const columns = (await describe(con, from)).map((c) => ({ name: c.name, type: c.type, kind: kindOf(c.type), sql: ident(c.name) }));
      return { source, encoding, format: source.format, columns, prediction: null, from, bad: null, unterminated };
    }
    if (source.format === 'parquet') {
      const from = sourceSql(source, encoding);
      const columns = (await describe(con, from)).map((c) => ({ name: c.name, type: c.type, kind: kindOf(c.type), sql: ident(c.name) }));
      return { source, encoding, format: 'parquet', columns, prediction: null, from, bad: null, unterminated };
    }
    // JSON Lines: the keys of the objects among the first lines (malformed lines and lines that
    // are not objects are passed over here, and read as skipped rows below), then every field
    // read as text.
    const objects = `read_json_objects([${source.files.map((f) => lit(f.path)).join(', ')}], format = 'newline_delimited', ignore_errors = true, maximum_object_size = ${MAX_JSON_LINE_BYTES}${source.compression === 'gzip' ? `, compression = 'gzip'` : ''})`;
    const keysOf = async (expr: string) =>
      (
        await con.runAndReadAll(`WITH l AS (SELECT ${expr} AS j, row_number() OVER () AS n FROM (SELECT json FROM ${objects} WHERE json_type(${expr}) = 'OBJECT' LIMIT ${SNIFF_ROWS})),
          k AS (SELECT unnest(json_keys(j)) AS key, unnest(range(len(json_keys(j)))) AS pos, n FROM l)
          SELECT key, min(n) AS seen, arg_min(pos, n) AS place FROM k GROUP BY key ORDER BY seen, place`)
      )
        .getRowObjectsJS()
        .map((r) => String(r.key));
    const top = await keysOf('json');
    const fields = top.includes('inputs') ? await keysOf(`json->'inputs'`) : [];
    if (fields.length > 0) {
      const hasPrediction = top.includes('prediction');
      const struct = `STRUCT(${fields.map((f) => `${ident(f)} VARCHAR`).join(', ')})`;
      const spec = [`${lit('inputs')}: ${lit(struct)}`, ...(hasPrediction ? [`${lit('prediction')}: 'VARCHAR'`] : [])];
      const from = sourceSql(source, encoding, { options: ['ignore_errors = true', `columns = {${spec.join(', ')}}`] });
      const columns = fields.map((f) => ({ name: f, type: 'VARCHAR', kind: 'text' as const, sql: `struct_extract("inputs", ${lit(f)})` }));
      const prediction = hasPrediction ? { name: 'prediction', type: 'VARCHAR', kind: 'text' as const, sql: '"prediction"' } : null;
      return { source, encoding, format: 'prediction-log', columns, prediction, from, bad: '"inputs" IS NULL', unterminated };
    }
    if (top.length === 0) return { source, encoding, format: 'jsonl', columns: [], prediction: null, from: '', bad: null, unterminated };
    const from = sourceSql(source, encoding, { options: ['ignore_errors = true', `columns = {${top.map((k) => `${lit(k)}: 'VARCHAR'`).join(', ')}}`] });
    const columns = top.map((k) => ({ name: k, type: 'VARCHAR', kind: 'text' as const, sql: ident(k) }));
    // A malformed line (or one that is not an object) reads as a row of nulls.
    return { source, encoding, format: 'jsonl', columns, prediction: null, from, bad: `(${columns.map((c) => `${c.sql} IS NULL`).join(' AND ')})`, unterminated };
  } catch (e) {
    throw asDriftError(await explainSourceError(con, source, encoding, e));
  }
}
