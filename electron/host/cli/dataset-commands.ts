import { resolve } from 'node:path';
import { type Command, CommanderError } from 'commander';
import type { ColumnProfile, DatasetDetail, DatasetDiff, Scalar } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { psiBand } from '../../../shared/stats/psi.js';
import { call, CliFailure, followJob, line, parseRef } from './io.js';
import type { CliContext } from './context.js';

/** The stable JSON of `dataset add` and `dataset show`: one version with its profile. */
export function datasetJson(d: DatasetDetail) {
  const v = d.version;
  return {
    name: d.name,
    version: v.version,
    sha256: v.sha256,
    bytes: v.bytes,
    format: v.format,
    rows: v.rows,
    sourcePath: v.sourcePath,
    snapshot: v.snapshot,
    snapshotNote: v.snapshotNote,
    dialect: v.dialect,
    files: v.files,
    createdAt: v.createdAt,
    createdBy: v.createdBy,
    columns: d.columns.map((c) => ({
      name: c.name,
      type: c.type,
      kind: c.kind,
      nulls: c.nulls,
      distinct: c.distinct,
      min: c.min,
      max: c.max,
      mean: c.mean,
      std: c.std,
      quantiles: c.quantiles,
      histogram: c.histogram,
      top: c.top,
      textLength: c.textLength,
    })),
    datasheet: d.datasheet,
    versions: d.versions.map((x) => ({ version: x.version, sha256: x.sha256, bytes: x.bytes, rows: x.rows, createdAt: x.createdAt })),
  };
}

const versionArg = (v: string) => {
  const n = Number(v.replace(/^v/i, ''));
  if (!Number.isInteger(n) || n < 1) throw new CommanderError(2, 'greenhouse.usage', `A version is a whole number from 1, got ${v}`);
  return n;
};

/** Four significant digits, never exponent notation for everyday magnitudes: 97180.5 → 97181, 0.012345 → 0.01235. */
export function num(n: number | null): string {
  if (n === null) return '';
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1e15 || abs < 1e-4) return n.toExponential(3);
  if (abs < 1) return String(Number(n.toPrecision(4)));
  return String(Number(n.toFixed(Math.max(0, 4 - (Math.floor(Math.log10(abs)) + 1)))));
}
const scalarText = (s: Scalar | null) => (s === null ? '' : typeof s === 'number' ? num(s) : String(s));
const bytesText = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} kB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

function printColumns(io: CliContext['io'], columns: ColumnProfile[]) {
  const rows = [['column', 'type', 'nulls', 'distinct', 'min', 'max', 'mean', 'std']];
  for (const c of columns) {
    rows.push([c.name, c.type, String(c.nulls), String(c.distinct), scalarText(c.min), scalarText(c.max), num(c.mean), num(c.std)]);
  }
  for (const l of table(rows)) line(io.stdout, l);
}

function printDiff(io: CliContext['io'], d: DatasetDiff) {
  line(io.stdout, `${d.name}: version ${d.from} → ${d.to}`);
  line(io.stdout, `Rows       ${d.rows.from} → ${d.rows.to} (${d.rows.to - d.rows.from >= 0 ? '+' : ''}${d.rows.to - d.rows.from})`);
  for (const a of d.added) line(io.stdout, `Added      ${a.name} (${a.type})`);
  for (const r of d.removed) line(io.stdout, `Removed    ${r.name} (${r.type})`);
  for (const r of d.retyped) line(io.stdout, `Retyped    ${r.name}: ${r.from} → ${r.to}`);
  if (d.shifts.length === 0) return;
  line(io.stdout);
  const rows = [['column', 'null rate', 'mean', 'std', 'PSI', '']];
  for (const s of d.shifts) {
    rows.push([
      s.name,
      `${(s.nullRate.from * 100).toFixed(1)}% → ${(s.nullRate.to * 100).toFixed(1)}%`,
      s.mean.from === null && s.mean.to === null ? '' : `${num(s.mean.from)} → ${num(s.mean.to)}`,
      s.std.from === null && s.std.to === null ? '' : `${num(s.std.from)} → ${num(s.std.to)}`,
      s.psi === null ? '' : s.psi.toFixed(3),
      s.psi === null ? '' : psiBand(s.psi),
    ]);
  }
  for (const l of table(rows)) line(io.stdout, l);
}

/** `greenhouse dataset add|list|show|diff`. */
export function addDatasetCommands(program: Command, ctx: CliContext) {
  const { io, backend } = ctx;
  const dataset = program.command('dataset').description('Register data files and folders, and inspect their profiles and versions.');

  dataset
    .command('add')
    .description('Hash and profile a CSV, TSV, JSON Lines or Parquet file (or a folder of them) and record it as a dataset version.')
    .argument('<path>', 'the file or folder')
    .option('--name <name>', 'dataset name (default: the file name without its extension)')
    .option('--no-snapshot', 'keep only the path and hash, do not copy the bytes into the workspace')
    .action(async (path: string, opts: { name?: string; snapshot: boolean }, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const started = await call(backend, 'datasets.register', { path: resolve(io.cwd, path), name: opts.name, snapshot: opts.snapshot });
      const job = await followJob(backend, io, started, Boolean(g.quiet || g.json));
      if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
      const result = job.result as { outcome: 'created' | 'new-version' | 'unchanged'; name: string; version: number; warnings: string[] };
      const detail = await call(backend, 'datasets.get', { name: result.name, version: result.version });
      ctx.out({ outcome: result.outcome, warnings: result.warnings, ...datasetJson(detail) }, () => {
        const v = detail.version;
        if (result.outcome === 'unchanged') line(io.stdout, `Unchanged: ${result.name} version ${v.version} already has these bytes (sha256 ${v.sha256.slice(0, 12)}…); no new version.`);
        else line(io.stdout, `${result.outcome === 'created' ? 'Registered' : 'New version of'} ${result.name}: version ${v.version}, ${v.rows} rows × ${v.columnCount} columns, ${bytesText(v.bytes)}, sha256 ${v.sha256.slice(0, 12)}…`);
        for (const w of result.warnings) line(io.stderr, `warning: ${w}`);
      });
    });

  dataset
    .command('list')
    .description('The registered datasets, most recently changed first.')
    .option('--query <text>', 'only names or paths containing this')
    .action(async (opts: { query?: string }, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const list = await call(backend, 'datasets.list', { query: opts.query });
      ctx.out(list, () => {
        if (list.length === 0) return line(io.stdout, 'No datasets yet: greenhouse dataset add PATH registers one.');
        const rows = [['name', 'version', 'format', 'rows', 'columns', 'size', 'updated']];
        for (const d of list) rows.push([d.name, String(d.latestVersion), d.format, String(d.rows), String(d.columnCount), bytesText(d.bytes), d.updatedAt.slice(0, 19).replace('T', ' ')]);
        for (const l of table(rows)) line(io.stdout, l);
      });
    });

  dataset
    .command('show')
    .description('One dataset version with its profile (the latest unless NAME@VERSION).')
    .argument('<ref>', 'NAME or NAME@VERSION')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const detail = await call(backend, 'datasets.get', parseRef(ref));
      ctx.out(datasetJson(detail), () => {
        const v = detail.version;
        line(io.stdout, `${detail.name} version ${v.version} of ${detail.versions.length}`);
        line(io.stdout, `Source     ${v.sourcePath} (${v.format}, ${bytesText(v.bytes)})`);
        line(io.stdout, `SHA-256    ${v.sha256}`);
        line(io.stdout, `Snapshot   ${v.snapshot === 'copy' ? 'copied into the workspace' : `reference only${v.snapshotNote ? `: ${v.snapshotNote}` : ''}`}`);
        line(io.stdout, `Rows       ${v.rows}`);
        line(io.stdout, `Registered ${v.createdAt.slice(0, 19).replace('T', ' ')} by ${v.createdBy}`);
        line(io.stdout);
        printColumns(io, detail.columns);
      });
    });

  dataset
    .command('diff')
    .description('Compare two versions: schema changes, row counts and per-column shifts with PSI.')
    .argument('<name>', 'the dataset')
    .argument('<v1>', 'the earlier version', versionArg)
    .argument('<v2>', 'the later version', versionArg)
    .action(async (name: string, from: number, to: number, _opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const diff = await call(backend, 'datasets.diff', { name, from, to });
      ctx.out(diff, () => printDiff(io, diff));
    });
}
