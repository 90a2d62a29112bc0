// Data for the dataset tests: deterministic tables written as CSV, and the independent checks
// (pandas in Debian's Python, sha256sum) their profiles and hashes are compared with.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskContext } from '../services/jobs/task.js';
import { tempDir } from './temp.js';

/** Debian's Python, which has pandas and numpy (the pyenv python3 on PATH may not). */
export const PYTHON = '/usr/bin/python3';

/** A small seeded PRNG (mulberry32): the same seed gives the same data on every machine. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  function shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
  return { next, normal, int, shuffle };
}

/** CSV quoting: quote a field that holds the delimiter, a quote or a line break. */
export const csvField = (v: string | number | null, delim = ',') =>
  v === null ? '' : /["\r\n]/.test(String(v)) || String(v).includes(delim) ? `"${String(v).replace(/"/g, '""')}"` : String(v);

export const toCsv = (header: string[], rows: (string | number | null)[][], delim = ',') =>
  [header, ...rows].map((r) => r.map((v) => csvField(v, delim)).join(delim)).join('\n') + '\n';

/** Thirty categories with distinct counts (1085, 1055, … 215), so the top 20 has no ties. */
export const CATEGORY_COUNTS = Array.from({ length: 30 }, (_, k) => 1085 - 30 * k);
const categoryName = (k: number) => (k === 3 ? 'café, "au lait"' : k === 7 ? 'line\nbreak' : `zone ${String(k).padStart(2, '0')}`);

export interface TableOptions {
  /** Added to every amount (a shifted distribution for diffs). */
  amountShift?: number;
  /** Category counts reversed: the rare ones become frequent. */
  reverseCategories?: boolean;
  /** Fraction of amounts left empty. */
  amountNulls?: number;
  /** Rows (default 20 000); categories keep their proportions, rounded. */
  rows?: number;
}

export const TABLE_HEADER = ['id', 'amount', 'score', 'category', 'day', 'flag', 'note'];

/**
 * 20 000 rows (by default) of mixed columns: id (1..n), amount (log-normal, 2 decimals, some empty), score
 * (integer, some empty), category (30 values with fixed counts, some empty; one holds a comma
 * and quotes, one a line break), day (dates over two years, some empty), flag (true/false) and
 * note (free text of 1..60 characters, some non-ASCII, some with quoted line breaks).
 */
export function makeTable(seed: number, opts: TableOptions = {}): (string | number | null)[][] {
  const r = rng(seed);
  const n = opts.rows ?? 20_000;
  const counts = (opts.reverseCategories ? [...CATEGORY_COUNTS].reverse() : CATEGORY_COUNTS).map((c) => Math.round((c * n) / 20_000));
  const categories: (string | null)[] = counts.flatMap((c, k) => Array<string>(c).fill(categoryName(k)));
  while (categories.length < n) categories.push(null);
  r.shuffle(categories);
  const words = ['alpha', 'beta', 'gamma', 'delta', 'épsilon', 'zeta', 'ηta', 'theta', 'iota', 'kappa'];
  const rows: (string | number | null)[][] = [];
  for (let i = 1; i <= n; i++) {
    const amount = r.next() < (opts.amountNulls ?? 0.03) ? null : Math.round(Math.exp(3 + 0.8 * r.normal()) * 100) / 100 + (opts.amountShift ?? 0);
    const score = r.next() < 0.05 ? null : r.int(0, 99) + r.int(0, 99) + r.int(0, 99);
    const day = r.next() < 0.02 ? null : new Date(Date.UTC(2023, 0, 1) + r.int(0, 729) * 86_400_000).toISOString().slice(0, 10);
    const flag = r.next() < 0.3 ? 'true' : 'false';
    let note = '';
    const len = r.int(1, 60);
    while (note.length < len) note += (note ? ' ' : '') + words[r.int(0, words.length - 1)];
    note = note.slice(0, len).trimEnd() || 'x';
    if (r.next() < 0.01) note = `${note}\nsecond line, with comma`;
    rows.push([i, amount === null ? null : Number(amount.toFixed(2)), score, categories[i - 1]!, day, flag, note]);
  }
  return rows;
}

export function writeTable(path: string, seed: number, opts: TableOptions = {}, delim = ','): string {
  writeFileSync(path, toCsv(TABLE_HEADER, makeTable(seed, opts), delim));
  return path;
}

/** Run a Python script with Debian's Python; it prints one JSON document. */
export function python<T>(script: string, args: string[] = [], input?: string): T {
  const out = execFileSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 26 });
  return JSON.parse(out) as T;
}

/** `sha256sum FILE`, computed outside Node. */
export const sha256sum = (path: string) => execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]!;

/** A task context for running the registration task in-process. */
export function taskContext(opts: { signal?: AbortSignal; onProgress?: (p: number | null, m: string) => void; workspaceRoot?: string } = {}) {
  const messages: { progress: number | null; message: string }[] = [];
  const workspaceRoot = opts.workspaceRoot ?? tempDir('gh-ws-');
  mkdirSync(join(workspaceRoot, '.greenhouse', 'tmp'), { recursive: true });
  const ctx: TaskContext = {
    signal: opts.signal ?? new AbortController().signal,
    workspaceRoot,
    progress: (progress, message) => {
      messages.push({ progress, message });
      opts.onProgress?.(progress, message);
    },
  };
  return { ctx, messages };
}
