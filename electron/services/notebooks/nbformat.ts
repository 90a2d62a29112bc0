// Reading a .ipynb file: JSON, nbformat 4.x checked with a schema, into cells whose sources are
// joined strings and whose outputs stay the raw objects (nothing dropped). Errors name the file,
// the line (bad JSON) or the cell and field (bad structure), and say what to do.

import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { KernelInfo } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';

export type CellType = 'code' | 'markdown' | 'raw';

/** An output as stored in the file (stream, display_data, execute_result, error); unknown fields kept. */
export type RawOutput = Record<string, unknown> & { output_type: 'stream' | 'display_data' | 'execute_result' | 'error' };

export interface Cell {
  /** Index among all cells (0-based). */
  index: number;
  type: CellType;
  /** The source, joined. */
  source: string;
  /** Code cells only; null = never run (and always null for markdown and raw cells). */
  executionCount: number | null;
  /** Code cells only; the raw output objects. */
  outputs: RawOutput[];
}

export interface ParsedNotebook {
  /** "4.5" */
  nbformat: string;
  kernel: KernelInfo;
  cells: Cell[];
  /** The notebook's metadata, as stored. */
  metadata: Record<string, unknown>;
}

const multiline = z.union([z.string(), z.array(z.string())]);
const mimeBundle = z.record(z.string(), z.unknown());
const executionCount = z.number().int().min(0).nullable();

const outputSchema = z.discriminatedUnion('output_type', [
  z.looseObject({ output_type: z.literal('stream'), name: z.string(), text: multiline }),
  z.looseObject({ output_type: z.literal('display_data'), data: mimeBundle, metadata: mimeBundle.optional() }),
  z.looseObject({ output_type: z.literal('execute_result'), data: mimeBundle, metadata: mimeBundle.optional(), execution_count: executionCount.optional() }),
  z.looseObject({ output_type: z.literal('error'), ename: z.string(), evalue: z.string(), traceback: z.array(z.string()) }),
]);

const cellSchema = z.discriminatedUnion('cell_type', [
  z.looseObject({
    cell_type: z.literal('code'),
    source: multiline,
    metadata: mimeBundle.optional(),
    execution_count: executionCount,
    outputs: z.array(outputSchema),
  }),
  z.looseObject({ cell_type: z.literal('markdown'), source: multiline, metadata: mimeBundle.optional() }),
  z.looseObject({ cell_type: z.literal('raw'), source: multiline, metadata: mimeBundle.optional() }),
]);

/** The nbformat 4 structure Greenhouse relies on; extra fields anywhere are tolerated. */
export const notebookSchema = z.looseObject({
  nbformat: z.literal(4),
  nbformat_minor: z.number().int().min(0),
  metadata: mimeBundle.optional(),
  cells: z.array(cellSchema),
});

const CONVERT = (path: string) => `Convert it with: jupyter nbconvert --to notebook --nbformat 4 --output converted.ipynb "${path}" (or open and save it in a current Jupyter), then register the converted file.`;

/** Find where a text stops being valid JSON (linear, iterative; only used when JSON.parse failed). */
export function jsonErrorOffset(text: string): number | null {
  const n = text.length;
  let i = 0;
  const stack: string[] = [];
  let state: 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'after' = 'value';
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const scanString = (): boolean => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i++;
            return false;
          }
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          i++;
          return false;
        }
        i += 2;
        continue;
      }
      i++;
    }
    return false;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  for (;;) {
    ws();
    if (state === 'after') {
      if (stack.length === 0) return i >= n ? null : i;
      if (i >= n) return n;
      const c = text[i];
      const top = stack[stack.length - 1];
      if (c === ',') {
        state = top === '{' ? 'key' : 'value';
        i++;
      } else if ((c === ']' && top === '[') || (c === '}' && top === '{')) {
        stack.pop();
        i++;
      } else return i;
      continue;
    }
    if (i >= n) return n;
    const c = text[i]!;
    if (state === 'colon') {
      if (c !== ':') return i;
      i++;
      state = 'value';
      continue;
    }
    if (state === 'key' || state === 'key-or-close') {
      if (c === '}' && state === 'key-or-close') {
        stack.pop();
        i++;
        state = 'after';
      } else if (c === '"') {
        if (!scanString()) return i;
        state = 'colon';
      } else return i;
      continue;
    }
    // value
    if (c === ']' && state === 'value-or-close') {
      stack.pop();
      i++;
      state = 'after';
    } else if (c === '{') {
      stack.push('{');
      i++;
      state = 'key-or-close';
    } else if (c === '[') {
      stack.push('[');
      i++;
      state = 'value-or-close';
    } else if (c === '"') {
      if (!scanString()) return i;
      state = 'after';
    } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
      i += 4;
      state = 'after';
    } else if (text.startsWith('false', i)) {
      i += 5;
      state = 'after';
    } else {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m || m[0] === '' || m[0] === '-') return i;
      i += m[0].length;
      state = 'after';
    }
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lastNl = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lastNl = i;
  }
  return { line, column: offset - lastNl };
}

function invalidJson(text: string, path: string, e: unknown): AppError {
  const raw = e instanceof Error ? e.message : String(e);
  // V8: 'Unexpected token }, "…" is not valid JSON' / '… in JSON at position 12 (line 2 column 3)'
  let reason = raw
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '')
    .trim();
  if (reason.length > 120) reason = `${reason.slice(0, 120)}…`;
  const offset = jsonErrorOffset(text);
  const where = offset === null ? '' : (() => {
    const { line, column } = lineAndColumn(text, offset);
    return ` (line ${line}, column ${column})`;
  })();
  return new AppError('INVALID_INPUT', `${path} is not valid JSON: ${reason || 'syntax error'}${where}.`, {
    remedy: 'The file is damaged or is not a notebook. Open it in Jupyter (which can often repair it) or restore it from version control, then register it again.',
    cause: e,
  });
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let cur: unknown = root;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || !(k in (cur as object))) return { found: false, value: undefined };
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return { found: true, value: cur };
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : typeof v === 'string' ? 'a string' : typeof v);

const EXPECTED: Record<string, string> = {
  source: 'a string or a list of strings',
  text: 'a string or a list of strings',
  execution_count: 'a whole number or null',
  outputs: 'a list of outputs',
  cells: 'a list of cells',
  traceback: 'a list of strings',
  data: 'an object of MIME types',
  metadata: 'an object',
  nbformat_minor: 'a whole number',
};

function pathText(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`)).join('');
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown): string {
  const path = issue.path;
  const field = String(path[path.length - 1] ?? '');
  const at = pathText(path);
  let where = '';
  if (path[0] === 'cells' && typeof path[1] === 'number') {
    const cellType = valueAt(root, ['cells', path[1], 'cell_type']).value;
    where = `cell ${path[1]}${typeof cellType === 'string' && ['code', 'markdown', 'raw'].includes(cellType) ? ` (${cellType})` : ''}`;
    if (path[2] === 'outputs' && typeof path[3] === 'number') where += `, output ${path[3]}`;
    where += ': ';
  }
  const { found, value } = valueAt(root, path);
  if (issue.code === 'invalid_union' && (field === 'cell_type' || field === 'output_type')) {
    const options = field === 'cell_type' ? 'code, markdown or raw' : 'stream, display_data, execute_result or error';
    if (!found) return `${where}"${field}" is missing (${at}); expected ${options}`;
    return `${where}unknown ${field} ${JSON.stringify(value)?.slice(0, 60)} (${at}); expected ${options}`;
  }
  if (!found) return `${where}required field "${field}" is missing (${at})`;
  const expected = EXPECTED[field] ?? (issue.code === 'invalid_type' ? `${issue.expected}` : 'a valid value');
  return `${where}"${field}" should be ${expected}, not ${typeName(value)} (${at})`;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : Array.isArray(v) ? v.join('') : '');
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function kernelOf(metadata: Record<string, unknown>): KernelInfo {
  const ks = obj(metadata.kernelspec);
  const li = obj(metadata.language_info);
  const name = str(ks.name);
  let language = str(li.name) ?? str(ks.language);
  // Old notebooks name only the kernel: python3, ir, julia-1.9 …
  if (!language && name) {
    if (/^python/i.test(name)) language = 'python';
    else if (/^ir$/i.test(name)) language = 'R';
    else if (/^julia/i.test(name)) language = 'julia';
  }
  return { name, displayName: str(ks.display_name), language, languageVersion: str(li.version) };
}

/**
 * Parse and check a notebook. Throws AppError INVALID_INPUT for bad JSON (with the line), for
 * nbformat < 4 (with the conversion command) and for structure that is not nbformat 4.
 */
export function parseNotebook(raw: string, path: string): ParsedNotebook {
  const body = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (body.trim() === '') {
    throw new AppError('INVALID_INPUT', `${path} is empty.`, { remedy: 'Pick the .ipynb file the model was trained in; an empty file is not a notebook.' });
  }
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    throw invalidJson(body, path, e);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new AppError('INVALID_INPUT', `${path} is JSON but not a Jupyter notebook (it is ${typeName(data)}, not an object with "nbformat" and "cells").`, {
      remedy: 'Pick a .ipynb file saved by Jupyter.',
    });
  }
  const top = data as Record<string, unknown>;
  const major = top.nbformat;
  if (major === undefined) {
    if (Array.isArray(top.worksheets)) {
      throw new AppError('INVALID_INPUT', `${path} is an old (nbformat 3 or earlier) notebook without a version field; Greenhouse reads nbformat 4.`, { remedy: CONVERT(path) });
    }
    throw new AppError('INVALID_INPUT', `${path} is JSON but not a Jupyter notebook: it has no "nbformat" field.`, {
      remedy: 'Pick a .ipynb file saved by Jupyter.',
    });
  }
  if (typeof major !== 'number' || !Number.isInteger(major)) {
    throw new AppError('INVALID_INPUT', `${path} has an invalid "nbformat" ${JSON.stringify(major)?.slice(0, 40)}; expected 4.`, { remedy: 'Pick a .ipynb file saved by Jupyter.' });
  }
  const minor = typeof top.nbformat_minor === 'number' ? top.nbformat_minor : null;
  const version = `${major}${minor === null ? '' : `.${minor}`}`;
  if (major < 4) {
    throw new AppError('INVALID_INPUT', `${path} is nbformat ${version}; Greenhouse reads nbformat 4 notebooks.`, { remedy: CONVERT(path) });
  }
  if (major > 4) {
    throw new AppError('INVALID_INPUT', `${path} is nbformat ${version}, newer than the nbformat 4 Greenhouse reads.`, {
      remedy: 'Save it as nbformat 4 (jupyter nbconvert --to notebook --nbformat 4), or update Greenhouse.',
    });
  }
  const checked = notebookSchema.safeParse(data);
  if (!checked.success) {
    const issues = checked.error.issues.slice(0, 3).map((i) => describeIssue(i, data));
    const more = checked.error.issues.length > 3 ? ` (and ${checked.error.issues.length - 3} more problems)` : '';
    throw new AppError('INVALID_INPUT', `${path} is not a valid nbformat 4 notebook: ${issues.join('; ')}${more}.`, {
      remedy: 'Open the notebook in Jupyter and save it again (Jupyter fills in missing fields), or fix the named field, then register it again.',
      details: { issues: checked.error.issues.slice(0, 20).map((i) => ({ path: pathText(i.path), message: i.message })) },
    });
  }
  // Build from the original objects, so unknown fields and outputs stay exactly as stored.
  const metadata = obj(top.metadata);
  const cells = (top.cells as Record<string, unknown>[]).map((c, index): Cell => {
    const type = c.cell_type as CellType;
    if (type !== 'code') return { index, type, source: text(c.source), executionCount: null, outputs: [] };
    return { index, type, source: text(c.source), executionCount: (c.execution_count as number | null) ?? null, outputs: c.outputs as RawOutput[] };
  });
  return { nbformat: `4.${minor ?? 0}`, kernel: kernelOf(metadata), cells, metadata };
}

/**
 * SHA-256 of the code cells' sources only: JSON of the array of code sources, in order, with
 * line endings normalised to \n and whitespace-only code cells left out. Outputs, execution
 * counts, metadata, cell ids, markdown and raw cells do not count, so re-running the notebook or
 * editing its prose keeps the hash; any edit to code (or reordering code cells) changes it.
 */
export function sourceSha256(nb: ParsedNotebook): string {
  const sources = nb.cells.filter((c) => c.type === 'code' && c.source.trim() !== '').map((c) => c.source.replace(/\r\n?/g, '\n'));
  return createHash('sha256').update(JSON.stringify(sources)).digest('hex');
}
