import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Finding, NotebookAnalysis, NotebookDetail, NotebookRun } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { lintNotebook, type NotebookReadOutput } from '../../services/notebooks/notebook-tasks.js';
import type { CliContext } from './context.js';
import { call, CliFailure, followJob, line, parseRef } from './io.js';

/** The stable JSON of `notebook add`, `show` and `lint`. */
export function notebookJson(v: { sha256: string; sourceSha256: string; path: string }, a: NotebookAnalysis) {
  return {
    sha256: v.sha256,
    sourceSha256: v.sourceSha256,
    path: v.path,
    kernel: a.kernel,
    nbformat: a.nbformat,
    cells: a.cells,
    executionCounts: a.executionCounts,
    codeAnalysed: a.codeAnalysed,
    imports: a.imports,
    pipInstalls: a.pipInstalls,
    reads: a.reads,
    writes: a.writes,
    seeds: a.seeds,
    hyperparameters: a.hyperparameters,
    findings: a.findings,
  };
}

const severityOrder = { error: 0, warning: 1, info: 2 } as const;

function printFindings(io: CliContext['io'], findings: Finding[]) {
  if (findings.length === 0) return line(io.stdout, 'No findings.');
  const sorted = [...findings].sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity] || (a.cell ?? -1) - (b.cell ?? -1));
  for (const f of sorted) {
    const where = f.cell === null ? 'notebook' : `cell ${f.cell + 1}${f.line ? `:${f.line}` : ''}`;
    line(io.stdout, `${f.severity.toUpperCase().padEnd(7)} ${where.padEnd(12)} ${f.rule.padEnd(20)} ${f.message}`);
    line(io.stdout, `${' '.repeat(29)}→ ${f.remedy}`);
  }
}

function printAnalysis(io: CliContext['io'], a: NotebookAnalysis) {
  const k = a.kernel;
  line(io.stdout, `Kernel     ${k.displayName ?? k.name ?? 'unknown'}${k.language ? ` (${k.language}${k.languageVersion ? ` ${k.languageVersion}` : ''})` : ''}`);
  line(io.stdout, `Cells      ${a.cells.code} code, ${a.cells.markdown} markdown, ${a.cells.raw} raw`);
  if (!a.codeAnalysed) line(io.stdout, 'Imports    not analysed (not a Python kernel)');
  else {
    const third = [...new Map(a.imports.filter((i) => !i.stdlib).map((i) => [i.module, i])).values()];
    line(io.stdout, `Imports    ${third.map((i) => (i.package && i.package !== i.module ? `${i.module} (${i.package})` : i.module)).join(', ') || 'none outside the standard library'}`);
  }
  for (const r of a.reads) line(io.stdout, `Reads      ${r.path}${r.exists ? '' : ' (missing)'}`);
  for (const w of a.writes) line(io.stdout, `Writes     ${w.path}`);
  line(io.stdout);
  printFindings(io, a.findings);
}

function printRun(io: CliContext['io'], run: NotebookRun | { state: string; failedCell: number | null; error: NotebookRun['error']; cells: NotebookRun['cells']; durationMs: number }) {
  const ok = run.cells.filter((c) => c.status === 'ok').length;
  line(io.stdout, `${run.state === 'passed' ? 'Passed' : 'Failed'}: ${ok} of ${run.cells.length} code cells ran in ${(run.durationMs / 1000).toFixed(1)} s`);
  if (run.failedCell !== null && run.error) {
    line(io.stdout, `Cell ${run.failedCell + 1} raised ${run.error.ename}: ${run.error.evalue}`);
  }
}

/** `greenhouse notebook add|list|show|lint|run`. */
export function addNotebookCommands(program: Command, ctx: CliContext) {
  const { io, backend } = ctx;
  const notebook = program.command('notebook').description('Register Jupyter notebooks, lint them for hygiene, and reproduce their runs.');

  notebook
    .command('add')
    .description('Validate, hash and analyse a .ipynb file and record it as a notebook version (a new version only when the code changed).')
    .argument('<path>', 'the .ipynb file')
    .option('--name <name>', 'notebook name (default: the file name without .ipynb)')
    .action(async (path: string, opts: { name?: string }, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const job = await followJob(backend, io, await call(backend, 'notebooks.register', { path: resolve(io.cwd, path), name: opts.name }), Boolean(g.quiet || g.json));
      if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
      const result = job.result as { outcome: 'created' | 'new-version' | 'unchanged'; name: string; version: number };
      const d = await call(backend, 'notebooks.get', { name: result.name, version: result.version });
      ctx.out({ outcome: result.outcome, name: d.name, version: d.version.version, ...notebookJson(d.version, d.analysis), links: d.links }, () => {
        if (result.outcome === 'unchanged') line(io.stdout, `Unchanged: ${d.name} version ${d.version.version} has the same code (outputs and execution counts are not compared).`);
        else line(io.stdout, `${result.outcome === 'created' ? 'Registered' : 'New version of'} ${d.name}: version ${d.version.version}`);
        printAnalysis(io, d.analysis);
      });
    });

  notebook
    .command('list')
    .description('The registered notebooks.')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const list = await call(backend, 'notebooks.list', {});
      ctx.out(list, () => {
        if (list.length === 0) return line(io.stdout, 'No notebooks yet: greenhouse notebook add PATH registers one.');
        for (const n of list) {
          line(io.stdout, `${n.name.padEnd(24)} v${String(n.latestVersion).padEnd(4)} ${String(n.findings.error).padStart(3)} errors ${String(n.findings.warning).padStart(3)} warnings  ${n.lastRun ?? 'not run'}  ${n.path}`);
        }
      });
    });

  notebook
    .command('show')
    .description('One notebook version: kernel, imports, files, findings, lineage and the last reproduce run.')
    .argument('<ref>', 'NAME or NAME@VERSION')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const d: NotebookDetail = await call(backend, 'notebooks.get', parseRef(ref));
      ctx.out({ name: d.name, version: d.version.version, versions: d.versions, ...notebookJson(d.version, d.analysis), links: d.links, runs: d.runs }, () => {
        line(io.stdout, `${d.name} version ${d.version.version} of ${d.versions.length} (${d.version.path})`);
        printAnalysis(io, d.analysis);
        for (const l of d.links) line(io.stdout, `Lineage    ${l.relation} ${l.kind} ${l.name}${l.version ? `@${l.version}` : ''} (matched by ${l.matchedBy})`);
        if (d.runs[0]) printRun(io, d.runs[0]);
      });
    });

  notebook
    .command('lint')
    .description('Check a .ipynb file for hygiene problems without registering it; exits 1 when a finding of error severity exists.')
    .argument('<path>', 'the .ipynb file')
    .action(async (path: string, _opts: unknown, cmd: Command) => {
      ctx.begin(cmd);
      // In-process: lint needs no workspace (CI runs it on any checkout).
      const abort = new AbortController();
      const out: NotebookReadOutput = await lintNotebook(
        { path: resolve(io.cwd, path) },
        { signal: abort.signal, progress: () => undefined, workspaceRoot: io.cwd },
      );
      const errors = out.analysis.findings.filter((f) => f.severity === 'error').length;
      ctx.out(notebookJson(out, out.analysis), () => printAnalysis(io, out.analysis));
      if (errors > 0) {
        throw new CliFailure(
          new AppError('INVALID_INPUT', `${path}: ${errors} finding${errors === 1 ? '' : 's'} of error severity.`, {
            remedy: 'Fix the findings marked ERROR (each names its cell and what to do), then lint again.',
          }).toData(),
          true,
        );
      }
    });

  notebook
    .command('run')
    .description('Reproduce: run a copy of the registered notebook top to bottom, headless, and record which cells pass.')
    .argument('<ref>', 'NAME or NAME@VERSION')
    .option('--python <path>', 'the Python to run it with (needs nbclient and ipykernel)', 'python3')
    .option('--timeout <seconds>', 'per-cell timeout', (v) => Number(v), 600)
    .action(async (ref: string, opts: { python: string; timeout: number }, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const started = await call(backend, 'notebooks.run', {
        ...parseRef(ref),
        python: opts.python,
        timeoutSeconds: opts.timeout,
      });
      const job = await followJob(backend, io, started, Boolean(g.quiet || g.json));
      if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
      const run = job.result as NotebookRun;
      ctx.out(run, () => printRun(io, run));
      if (run.state === 'failed') {
        throw new CliFailure(
          new AppError('INVALID_INPUT', `The notebook failed at cell ${(run.failedCell ?? 0) + 1}: ${run.error?.ename}: ${run.error?.evalue}`, {
            remedy: `Open the executed copy (${run.executedPath}) to see the full traceback, fix the notebook, register it again and rerun.`,
          }).toData(),
          true,
        );
      }
    });
}
