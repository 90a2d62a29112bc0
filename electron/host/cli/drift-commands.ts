// greenhouse drift: check a batch of production inputs against a model version's training
// reference (stored in the workspace's history), or against a bundle folder or archive alone (in
// process, nothing stored); list the history, hand a checked batch back for retraining, and show or
// change the thresholds per model.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Command } from 'commander';
import {
  DEFAULT_DRIFT_THRESHOLDS,
  driftThresholds,
  driftThresholdsPatch,
  type DriftCheck,
  type DriftFeature,
  type DriftHandBackResult,
  type DriftResult,
  type DriftThresholds,
  type DriftThresholdsPatch,
} from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { BUNDLE_FILES, type ServingMetadata } from '../../services/bundles/layout.js';
import { removeExtracted, verifyBundle } from '../../services/bundles/verify.js';
import { bundleFolderName } from '../../services/bundles/write-bundle.js';
import { driftCheckTask } from '../../services/monitoring/drift-task.js';
import { bundleFolderReference } from '../../services/monitoring/reference.js';
import type { CliContext, GlobalOptions } from './context.js';
import { num } from './dataset-commands.js';
import { call, CliFailure, followJob, line, parseRef } from './io.js';

const THRESHOLD_KEYS = Object.keys(driftThresholds.shape) as (keyof DriftThresholds)[];

/** KEY=VALUE pairs (psiModerate=0.1 …) as a thresholds patch; a usage error names a bad one. */
function thresholdPairs(pairs: string[], fail: (message: string) => never): DriftThresholdsPatch {
  const patch: Record<string, number> = {};
  for (const p of pairs) {
    const at = p.indexOf('=');
    const key = at > 0 ? p.slice(0, at).trim() : '';
    const value = Number(p.slice(at + 1));
    if (!THRESHOLD_KEYS.includes(key as keyof DriftThresholds)) fail(`${p}: the thresholds are ${THRESHOLD_KEYS.map((k) => `${k}=${DEFAULT_DRIFT_THRESHOLDS[k]}`).join(', ')}.`);
    if (at < 0 || !Number.isFinite(value)) fail(`${p}: ${key} needs a number, e.g. ${key}=${DEFAULT_DRIFT_THRESHOLDS[key as keyof DriftThresholds]}.`);
    patch[key] = value;
  }
  const parsed = driftThresholdsPatch.safeParse(patch);
  if (!parsed.success) fail(`Threshold out of range: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}.`);
  return parsed.data!;
}

/** The nearest folder upwards holding .greenhouse/ (a bundle folder lives in the workspace's bundles/). */
function findUp(dir: string): string | undefined {
  for (let d = dir; ; d = resolve(d, '..')) {
    if (existsSync(join(d, '.greenhouse'))) return d;
    if (resolve(d, '..') === d) return undefined;
  }
}

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`);
const pText = (p: number | null) => (p === null ? '–' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));
const fixed = (x: number | null, d = 3) => (x === null ? '–' : x.toFixed(d));

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

const featureRow = (f: DriftFeature) => [
  f.name,
  f.kind,
  f.skipped ? 'skipped' : fixed(f.psi),
  f.psiBand ?? '',
  fixed(f.js),
  f.test === 'ks' ? `KS${f.testBasis === 'approximate' ? '~' : ''}` : f.test === 'chi2' ? 'chi2' : '–',
  f.statistic === null ? '–' : num(f.statistic),
  pText(f.pValue),
  f.skipped ? f.skipped : f.drifted ? 'DRIFT' : 'no',
];

function printResult(ctx: CliContext, r: DriftResult & { id: number | null }) {
  const out = ctx.io.stdout;
  const ds = r.reference.dataset;
  line(out, `Drift check of ${r.reference.model.name}@${r.reference.model.version}${r.reference.source === 'bundle' ? ' (bundle)' : ''}: ${r.batch.path} (${r.rows} rows, ${r.batch.format}) against ${ds.name}@${ds.version} (${ds.rows} rows)`);
  line(out);
  for (const l of table([['feature', 'kind', 'PSI', 'band', 'JS', 'test', 'statistic', 'p-value', 'drift'], ...r.features.map(featureRow)])) line(out, l);
  if (r.features.some((f) => f.testBasis === 'approximate')) line(out, 'KS~: approximated from the reference profile (the training data\'s snapshot is not at hand).');
  const p = r.predictionDrift;
  if (p) {
    line(out);
    line(out, `Predictions (${p.column}, against ${p.reference.rows} golden predictions): PSI ${fixed(p.psi)}, JS ${fixed(p.js)}, ${p.test ?? 'no test'} p ${pText(p.pValue)}: ${p.drifted ? 'DRIFT' : 'no drift'}`);
  }
  if (r.schemaViolations.length) {
    line(out);
    line(out, 'Schema violations:');
    for (const v of r.schemaViolations) line(out, `  ${v.kind.padEnd(15)} ${v.message}`);
  }
  for (const w of r.warnings) line(ctx.io.stderr, `warning: ${w}`);
  line(out);
  line(out, `${r.drift ? 'DRIFT' : 'No drift'}: ${r.drifted.length} of ${r.checked} features drifted${r.drifted.length ? ` (${r.drifted.join(', ')})` : ''}; the batch drifts at ${pct(r.thresholds.datasetShare)} or more.`);
  if (r.id !== null) line(out, `Stored as check ${r.id}.${r.drift ? ` Hand the batch back for retraining: greenhouse drift handback ${r.id} --name DATASET` : ''}`);
  else line(out, 'Checked from the bundle\'s files alone: nothing was stored.');
}

type Target = { kind: 'workspace'; model: string; version?: number; bundle: boolean } | { kind: 'folder'; dir: string; cleanup: () => Promise<void> };

export function addDriftCommands(program: Command, ctx: CliContext) {
  const { io, backend } = ctx;
  const usage = (cmd: Command) => (message: string): never => cmd.error(`error: ${message}`, { exitCode: 2, code: 'greenhouse.usage' });

  /** MODEL[@V] of the workspace; a bundle folder of the workspace (stored), or any other bundle folder or archive (in process). */
  const target = async (g: GlobalOptions, arg: string, cmd: Command): Promise<Target> => {
    const abs = resolve(io.cwd, arg);
    if (existsSync(abs)) {
      if (statSync(abs).isDirectory()) {
        if (!existsSync(join(abs, BUNDLE_FILES.reference))) {
          throw new AppError('NOT_FOUND', `${abs} has no ${BUNDLE_FILES.reference}: it is not a bundle folder.`, { remedy: 'Give a bundle folder (bundles/NAME-VERSION), its .tar.gz, or MODEL[@VERSION] in a workspace.' });
        }
        const wsDir = g.workspace ? resolve(io.cwd, g.workspace) : findUp(abs);
        if (wsDir) {
          let meta: ServingMetadata | null = null;
          try {
            meta = JSON.parse(readFileSync(join(abs, BUNDLE_FILES.metadata), 'utf8')) as ServingMetadata;
          } catch {
            meta = null;
          }
          // The workspace's own bundle: checked there, and kept in the model's history.
          if (meta && resolve(wsDir, 'bundles', bundleFolderName(meta.name, meta.version)) === abs) {
            await ctx.withWorkspace({ ...g, workspace: wsDir }, true);
            return { kind: 'workspace', model: meta.name, version: meta.version, bundle: true };
          }
        }
        return { kind: 'folder', dir: abs, cleanup: async () => undefined };
      }
      if (/\.(tar\.gz|tgz)$/i.test(abs)) {
        const report = await verifyBundle(abs, { keepExtracted: true });
        if (!report.ok || !report.bundleDir) {
          await removeExtracted(report);
          const failed = report.checks.filter((c) => !c.ok).map((c) => c.message);
          throw new AppError('INVALID_INPUT', `${abs} does not verify, so its reference cannot be trusted: ${failed.join('; ')}`, { remedy: 'Get the bundle again from its author (greenhouse verify shows every problem).' });
        }
        return { kind: 'folder', dir: report.bundleDir, cleanup: () => removeExtracted(report) };
      }
      usage(cmd)(`${arg} is a file: give MODEL[@VERSION], a bundle folder or a bundle's .tar.gz (the batch goes after --data).`);
    }
    if (/[\\/]/.test(arg)) throw new AppError('NOT_FOUND', `${abs} does not exist.`, { remedy: 'Give MODEL[@VERSION] in a workspace, or the path of a bundle folder or archive.' });
    await ctx.withWorkspace(g, true);
    const { name, version } = parseRef(arg);
    return { kind: 'workspace', model: name, version, bundle: false };
  };

  const drift = program
    .command('drift')
    .description(
      'Compare a batch of production inputs (CSV/TSV, JSON Lines, Parquet, or the serving container\'s prediction log) with a model version\'s training reference: per feature PSI, ' +
        'Jensen-Shannon distance and a KS or chi-square test, schema violations, and drift of the predictions when the batch has them. In a workspace the check is a job and is stored ' +
        'in the model\'s history; a bundle folder or archive outside one is checked from its own reference-profile.json and metadata.json, and nothing is stored. ' +
        'Exit 0 when the check ran (with --fail-on-drift: and found no dataset-level drift), 1 when --fail-on-drift and the batch drifts, or on an error, 2 on a usage error.',
    )
    .argument('<target>', 'MODEL[@VERSION] (default: the latest version), a bundle folder (bundles/NAME-VERSION) or an exported NAME-VERSION.tar.gz')
    .option('--data <file>', 'the batch: .csv/.tsv (optionally .gz), .jsonl/.ndjson (records, or the prediction log), .parquet, or a folder of such files')
    .option('--bundle', 'check MODEL[@VERSION] against its workspace bundle\'s reference-profile.json rather than the catalog (same data, the bundle\'s copy)')
    .option('--fail-on-drift', 'exit 1 when the batch drifts (for CI)')
    .option('--threshold <key=value>', `override a threshold for this check (repeatable): ${THRESHOLD_KEYS.map((k) => `${k} (${DEFAULT_DRIFT_THRESHOLDS[k]})`).join(', ')}`, (v: string, all: string[] | undefined) => [...(all ?? []), v])
    .addHelpText(
      'after',
      `
A feature drifts when its PSI is significant (>= psiSignificant), or moderate (>= psiModerate) with a Jensen-Shannon
distance >= js, and, where a test ran, p < pValue. The batch drifts when at least datasetShare of the features
checked drift. Examples:
  greenhouse drift churn@3 --data logs/predictions.jsonl --fail-on-drift
  greenhouse drift bundles/churn-3 --data batch.parquet --json
  greenhouse drift history churn
  greenhouse drift handback 12 --name customers-2026-11
  greenhouse drift settings churn psiSignificant=0.2 datasetShare=0.3`,
    )
    .action(async (arg: string, opts: { data?: string; bundle?: boolean; failOnDrift?: boolean; threshold?: string[] }, cmd: Command) => {
      const g = ctx.begin(cmd);
      if (!opts.data) usage(cmd)('drift needs --data FILE: the batch to check.');
      const patch = thresholdPairs(opts.threshold ?? [], usage(cmd));
      const data = resolve(io.cwd, opts.data!);
      const t = await target(g, arg, cmd);
      let result: DriftResult & { id: number | null; checkedBy: string | null; handBacks: DriftCheck['handBacks'] };
      if (t.kind === 'workspace') {
        const job = await followJob(backend, io, await call(backend, 'drift.check', { model: t.model, version: t.version, bundle: t.bundle || Boolean(opts.bundle), data, thresholds: patch }), Boolean(g.quiet || g.json));
        if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
        result = job.result as DriftCheck;
      } else {
        if (opts.bundle) usage(cmd)('--bundle is for MODEL[@VERSION] in a workspace; a bundle path is checked against that bundle already.');
        try {
          const reference = await bundleFolderReference(t.dir);
          const thresholds = driftThresholds.parse({ ...DEFAULT_DRIFT_THRESHOLDS, ...patch });
          if (thresholds.psiModerate > thresholds.psiSignificant) usage(cmd)('psiModerate must not be above psiSignificant.');
          const abort = new AbortController();
          const stop = () => abort.abort();
          process.once('SIGINT', stop);
          const quiet = Boolean(g.quiet || g.json) || !io.stderr.isTTY;
          try {
            const out = await driftCheckTask(
              { batchPath: data, reference, thresholds, tempDir: tmpdir() },
              { signal: abort.signal, workspaceRoot: tmpdir(), progress: (p, m) => (quiet ? undefined : io.stderr.write(`\r\x1b[2K${p === null ? '' : `${Math.round(p * 100)}% `}${m}`)) },
            );
            if (!quiet) io.stderr.write('\r\x1b[2K');
            result = { ...out, id: null, checkedBy: null, handBacks: [] };
          } finally {
            process.off('SIGINT', stop);
          }
        } finally {
          await t.cleanup();
        }
      }
      ctx.out(result, () => printResult(ctx, result));
      if (opts.failOnDrift && result.drift) {
        throw new CliFailure(
          new AppError('GATE_FAILED', `${result.reference.model.name}@${result.reference.model.version}: the batch drifted (${result.drifted.join(', ')}: ${result.drifted.length} of ${result.checked} features).`, {
            remedy: result.id !== null ? `See what moved (greenhouse drift history ${result.reference.model.name}), and hand the batch back for retraining: greenhouse drift handback ${result.id} --name DATASET.` : 'See what moved in the report above; check the batch in the workspace to hand it back for retraining.',
          }).toData(),
          true,
        );
      }
    });

  drift
    .command('history')
    .description('The stored drift checks of a model (or of one version), newest first; without a model, the newest check of every model.')
    .argument('[model]', 'MODEL or MODEL@VERSION')
    .option('--limit <n>', 'how many checks', '50')
    .action(async (ref: string | undefined, opts: { limit: string }, cmd: Command) => {
      const g = ctx.begin(cmd);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) usage(cmd)(`--limit must be a whole number from 1 to 1000, got ${opts.limit}`);
      await ctx.withWorkspace(g, true);
      const target = ref ? parseRef(ref) : null;
      const list = target ? await call(backend, 'drift.history', { model: target.name, version: target.version, limit }) : await call(backend, 'drift.latest', {});
      ctx.out(list, () => {
        if (list.length === 0) return line(io.stdout, ref ? `No drift checks of ${ref} yet: greenhouse drift ${ref} --data FILE runs one.` : 'No drift checks yet: greenhouse drift MODEL --data FILE runs one.');
        const rows = [['id', 'checked', 'model', 'rows', 'drift', 'drifted', 'violations', 'batch', 'handed back']];
        for (const c of list) {
          rows.push([
            String(c.id),
            c.checkedAt.slice(0, 19).replace('T', ' '),
            `${c.model.name}@${c.model.version}${c.bundle ? ' (bundle)' : ''}`,
            String(c.rows),
            c.drift ? 'DRIFT' : 'no',
            c.drifted.length ? `${c.drifted.length}/${c.checked}: ${c.drifted.join(', ')}` : `0/${c.checked}`,
            String(c.schemaViolations),
            c.batch.path,
            c.handBacks.map((h) => `${h.dataset.name}@${h.dataset.version}`).join(', '),
          ]);
        }
        for (const l of table(rows)) line(io.stdout, l);
      });
    });

  drift
    .command('handback')
    .description('Register a checked batch as a new dataset version (with the target column as labels when the batch has it), linked to the model as candidate retraining data; the recommendation goes to the audit log.')
    .argument('<check>', 'the check id (greenhouse drift history MODEL lists them)')
    .option('--name <dataset>', 'the dataset to add the version to (created when new)')
    .option('--no-snapshot', 'keep only the path and hash, do not copy the bytes into the workspace')
    .action(async (id: string, opts: { name?: string; snapshot: boolean }, cmd: Command) => {
      const g = ctx.begin(cmd);
      const checkId = Number(id);
      if (!Number.isInteger(checkId) || checkId < 1) usage(cmd)(`The check id is a whole number, got ${id}.`);
      if (!opts.name) usage(cmd)('handback needs --name DATASET: the dataset the batch becomes a version of.');
      await ctx.withWorkspace(g, true);
      const job = await followJob(backend, io, await call(backend, 'drift.handBack', { id: checkId, name: opts.name!, snapshot: opts.snapshot }), Boolean(g.quiet || g.json));
      if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
      const r = job.result as DriftHandBackResult;
      ctx.out(r, () => {
        const what = r.outcome === 'unchanged' ? `${r.name}@${r.version} already holds these bytes` : `Registered ${r.name}@${r.version}`;
        line(io.stdout, `${what}: candidate retraining data of ${r.model.name}@${r.model.version} (check ${r.checkId}), ${r.labelled ? `labelled (it has the target column ${r.target})` : 'without labels'}.`);
        for (const w of r.warnings) line(io.stderr, `warning: ${w}`);
      });
    });

  drift
    .command('settings')
    .description('Show a model\'s drift thresholds, or change some (KEY=VALUE…), or --reset them to the defaults; audited.')
    .argument('<model>', 'the model')
    .argument('[pairs...]', `thresholds to change: ${THRESHOLD_KEYS.map((k) => `${k}=${DEFAULT_DRIFT_THRESHOLDS[k]}`).join(' ')}`)
    .option('--reset', 'back to the defaults')
    .action(async (model: string, pairs: string[], opts: { reset?: boolean }, cmd: Command) => {
      const g = ctx.begin(cmd);
      const patch = thresholdPairs(pairs, usage(cmd));
      if (opts.reset && pairs.length) usage(cmd)('Give --reset or thresholds to change, not both.');
      await ctx.withWorkspace(g, true);
      const s = pairs.length || opts.reset ? await call(backend, 'drift.updateSettings', { model, thresholds: patch, reset: Boolean(opts.reset) }) : await call(backend, 'drift.settings', { model });
      ctx.out(s, () => {
        line(io.stdout, `${s.model}: ${s.custom ? `set by ${s.updatedBy} at ${s.updatedAt}` : 'the defaults'}`);
        for (const k of THRESHOLD_KEYS) line(io.stdout, `  ${k.padEnd(15)} ${s.thresholds[k]}`);
      });
    });
}
