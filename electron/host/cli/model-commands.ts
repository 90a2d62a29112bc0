import { resolve } from 'node:path';
import { CommanderError, type Command } from 'commander';
import type { EnvironmentCaptureResult, EnvironmentDetail, ModelDetail, ModelRegisterResult, ScanResult } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { scanArtifact } from '../../services/models/scan/pickle-scan.js';
import type { CliContext } from './context.js';
import { call, CliFailure, followJob, line, parseRef } from './io.js';

/** The stable JSON of `model add` and `model show`. */
export function modelJson(d: ModelDetail) {
  return {
    name: d.name,
    version: d.version.version,
    sha256: d.version.sha256,
    bytes: d.version.bytes,
    format: d.version.format,
    framework: d.version.framework,
    class: d.introspection.className,
    module: d.introspection.module,
    task: d.introspection.task,
    params: d.introspection.params,
    features: d.introspection.featureNames,
    classes: d.introspection.classes,
    steps: d.introspection.steps,
    libraryVersions: d.introspection.libraryVersions,
    signature: { inputs: d.signature.inputs, outputs: d.signature.outputs, inputsFrom: d.signature.inputsFrom },
    scan: { safe: d.scan.safe, findings: d.scan.findings, globals: d.scan.globals, recordedVersions: d.scan.recordedVersions, override: d.version.scanOverride },
    golden: { count: d.golden.count, seed: d.golden.seed, dataset: d.golden.dataset, libraryVersions: d.golden.libraryVersions },
    metrics: d.metrics,
    lineage: d.lineage,
    links: d.links,
    mismatches: d.mismatches,
    sourcePath: d.version.sourcePath,
    createdAt: d.version.createdAt,
    createdBy: d.version.createdBy,
  };
}

function printScan(io: CliContext['io'], s: ScanResult) {
  line(io.stdout, `${s.safe ? 'SAFE' : 'UNSAFE'}  ${s.format}${s.compression ? ` (${s.compression})` : ''}${s.protocol !== null ? `, pickle protocol ${s.protocol}` : ''}, ${s.globals.length} globals, sha256 ${s.sha256}`);
  for (const f of s.findings) line(io.stdout, `${f.severity.toUpperCase().padEnd(9)} ${f.kind.padEnd(9)} ${f.message}`);
  const recorded = Object.entries(s.recordedVersions);
  if (recorded.length > 0) line(io.stdout, `Saved with ${recorded.map(([k, v]) => `${k} ${v}`).join(', ')}`);
}

function printModel(io: CliContext['io'], d: ModelDetail) {
  const i = d.introspection;
  line(io.stdout, `${d.name} version ${d.version.version} of ${d.versions.length}: ${i.className} (${i.framework}, ${i.task})`);
  line(io.stdout, `File       ${d.version.sourcePath} (${d.version.format}, sha256 ${d.version.sha256.slice(0, 16)}…)`);
  line(io.stdout, `Scan       ${d.scan.safe ? 'safe' : `UNSAFE, loaded on override by ${d.version.scanOverride?.by ?? '?'}: ${d.version.scanOverride?.reason ?? ''}`}`);
  line(io.stdout, `Inputs     ${d.signature.inputs.map((s) => `${s.name}:${s.dtype}`).join(', ')}`);
  line(io.stdout, `Outputs    ${d.signature.outputs.map((o) => o.name).join(', ')}`);
  line(io.stdout, `Golden     ${d.golden.count} rows of ${d.golden.dataset.name}@${d.golden.dataset.version} (seed ${d.golden.seed})`);
  if (d.metrics) {
    const m = d.metrics;
    line(io.stdout, `Metrics    ${Object.entries(m.values).map(([k, v]) => `${k} ${v.toFixed(4)}${m.baseline?.values[k] !== undefined ? ` (baseline ${m.baseline.values[k]!.toFixed(4)})` : ''}`).join(', ')}`);
  }
  const l = d.lineage;
  line(io.stdout, `Trained on ${l.training.map((t) => `${t.name}@${t.version} → ${t.target}`).join(', ')}`);
  if (l.notebook) line(io.stdout, `Notebook   ${l.notebook.name}@${l.notebook.version}`);
  if (l.environment) line(io.stdout, `Environment ${l.environment.name}@${l.environment.version}`);
  for (const m of d.mismatches) line(io.stdout, `MISMATCH   ${m.message}`);
}

const positiveInt = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new CommanderError(2, 'greenhouse.usage', `${what} must be a whole number, got ${v}`);
  return n;
};

/** `greenhouse env capture|list|show|detect` and `greenhouse model scan|add|list|show`. */
export function addModelCommands(program: Command, ctx: CliContext) {
  const { io, backend } = ctx;
  const env = program.command('env').description('Capture the Python environments models are trained and served in.');

  env
    .command('capture')
    .description('Record an interpreter (its Python, platform and installed packages) or a requirement file as an environment version.')
    .option('--python <path>', 'the interpreter (default: python3 on PATH)')
    .option('--requirements <file>', 'requirements.txt, pyproject.toml or environment.yml instead of an interpreter')
    .option('--name <name>', 'environment name (default: from the venv, conda or pyenv name, or python-X.Y)')
    .action(async (opts: { python?: string; requirements?: string; name?: string }, cmd: Command) => {
      const g = ctx.begin(cmd);
      if (opts.python && opts.requirements) throw new CommanderError(2, 'greenhouse.usage', 'Give --python or --requirements, not both');
      await ctx.withWorkspace(g, true);
      const started = await call(backend, 'environments.capture', opts.requirements ? { file: resolve(io.cwd, opts.requirements), name: opts.name } : { python: opts.python ?? 'python3', name: opts.name });
      const job = await followJob(backend, io, started, Boolean(g.quiet || g.json));
      if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
      const r = job.result as EnvironmentCaptureResult & { skipped: string[] };
      const d = await call(backend, 'environments.get', { name: r.name, version: r.version });
      ctx.out({ outcome: r.outcome, name: d.name, version: d.version.version, sha256: d.version.sha256, source: d.version.source, path: d.version.path, python: d.version.python, pythonRequires: d.version.pythonRequires, packages: d.version.packages, skipped: r.skipped }, () => {
        line(io.stdout, `${r.outcome === 'unchanged' ? 'Unchanged' : r.outcome === 'created' ? 'Captured' : 'New version of'} ${d.name}: version ${d.version.version}, ${d.version.packages.length} packages${d.version.python ? `, Python ${d.version.python.version}` : ''}`);
        for (const s of r.skipped) line(io.stderr, `skipped: ${s}`);
      });
    });

  env
    .command('list')
    .description('The captured environments.')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const list = await call(backend, 'environments.list', {});
      ctx.out(list, () => {
        if (list.length === 0) return line(io.stdout, 'No environments yet: greenhouse env capture --python PATH records one.');
        for (const e of list) line(io.stdout, `${e.name.padEnd(24)} v${String(e.latestVersion).padEnd(4)} ${(e.pythonVersion ? `Python ${e.pythonVersion}` : e.source).padEnd(16)} ${String(e.packages).padStart(4)} packages  ${e.path}`);
      });
    });

  env
    .command('show')
    .description('One environment version: interpreter, packages, and the models that use it with what they lack.')
    .argument('<ref>', 'NAME or NAME@VERSION')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const d: EnvironmentDetail = await call(backend, 'environments.get', parseRef(ref));
      ctx.out(d, () => {
        const v = d.version;
        line(io.stdout, `${d.name} version ${v.version} of ${d.versions.length}: ${v.source} ${v.path}`);
        if (v.python) line(io.stdout, `Python ${v.python.version} (${v.python.implementation}) on ${v.python.platform}`);
        for (const p of v.packages) line(io.stdout, `  ${p.name}${p.version ? `==${p.version}` : (p.specifier ?? '')}`);
        for (const u of d.usedBy) for (const m of u.mismatches) line(io.stdout, `MISMATCH ${u.model}@${u.version}: ${m.message}`);
      });
    });

  env
    .command('detect')
    .description('Python interpreters found on this machine (workspace venvs, conda, pyenv, system).')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, false);
      const list = await call(backend, 'environments.detect', {});
      ctx.out(list, () => {
        for (const c of list) line(io.stdout, `${c.kind.padEnd(7)} ${(c.version ?? '?').padEnd(8)} ${c.label.padEnd(28)} ${c.path}`);
      });
    });

  const model = program.command('model').description('Scan, register and inspect trained models.');

  model
    .command('scan')
    .description('Statically scan a pickle, joblib or ONNX file for code it would run when loaded (nothing is loaded); exits 1 when unsafe.')
    .argument('<file>', 'the model file')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      ctx.begin(cmd);
      // In-process: scanning needs no workspace (CI runs it on any checkout).
      const scan = await scanArtifact(resolve(io.cwd, file), {});
      ctx.out(scan, () => printScan(io, scan));
      if (!scan.safe) {
        throw new CliFailure(
          new AppError('UNSAFE_ARTIFACT', `${file} did not pass the safety scan (${scan.findings.filter((f) => ['critical', 'high', 'medium'].includes(f.severity)).length} findings).`).toData(),
          true,
        );
      }
    });

  model
    .command('add')
    .description('Register a model version: scan it, load it in the chosen Python, record its signature, golden predictions, metrics and card.')
    .argument('<file>', 'the model file (.joblib, .pkl, .onnx)')
    .requiredOption('--dataset <ref>', 'the training dataset, NAME or NAME@VERSION')
    .requiredOption('--target <column>', 'the column the model predicts')
    .option('--name <name>', 'model name (default: the file name)')
    .option('--notebook <ref>', 'the notebook that trained it, NAME or NAME@VERSION')
    .option('--python <path>', 'the interpreter to load it in, captured as an environment (default: python3 on PATH)')
    .option('--env <ref>', 'a captured environment to load it in, NAME or NAME@VERSION (instead of --python)')
    .option('--eval-dataset <ref>', 'compute metrics on this dataset version (it must have the target column)')
    .option('--metrics <file>', 'read metrics from a JSON file of name → number instead')
    .option('--sample-size <n>', 'golden examples to sample from the training data', positiveInt('--sample-size'), 100)
    .option('--seed <n>', 'the sampling seed', positiveInt('--seed'), 42)
    .option('--allow-unsafe <reason>', 'load it even if the scan finds something; the reason is recorded in the audit log')
    .action(async (file: string, opts: { dataset: string; target: string; name?: string; notebook?: string; python?: string; env?: string; evalDataset?: string; metrics?: string; sampleSize: number; seed: number; allowUnsafe?: string }, cmd: Command) => {
      const g = ctx.begin(cmd);
      if (opts.python && opts.env) throw new CommanderError(2, 'greenhouse.usage', 'Give --python or --env, not both');
      if (opts.evalDataset && opts.metrics) throw new CommanderError(2, 'greenhouse.usage', 'Give --eval-dataset or --metrics, not both');
      await ctx.withWorkspace(g, true);
      const started = await call(backend, 'models.register', {
        path: resolve(io.cwd, file),
        name: opts.name,
        training: { dataset: parseRef(opts.dataset), target: opts.target },
        notebook: opts.notebook ? parseRef(opts.notebook) : undefined,
        environment: opts.env ? parseRef(opts.env) : undefined,
        python: opts.env ? undefined : (opts.python ?? 'python3'),
        metrics: opts.evalDataset ? { source: 'computed', dataset: parseRef(opts.evalDataset) } : opts.metrics ? { source: 'file', path: resolve(io.cwd, opts.metrics) } : undefined,
        sampleSize: opts.sampleSize,
        seed: opts.seed,
        overrideScan: opts.allowUnsafe ? { reason: opts.allowUnsafe } : undefined,
      });
      const job = await followJob(backend, io, started, Boolean(g.quiet || g.json));
      if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
      const r = job.result as ModelRegisterResult;
      const d = await call(backend, 'models.get', { name: r.name, version: r.version });
      ctx.out({ outcome: r.outcome, ...modelJson(d), warnings: r.warnings }, () => {
        line(io.stdout, `${r.outcome === 'created' ? 'Registered' : 'New version of'} ${d.name}: version ${d.version.version}`);
        printModel(io, d);
        for (const w of r.warnings) line(io.stderr, `warning: ${w}`);
      });
    });

  model
    .command('list')
    .description('The registered models.')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const list = await call(backend, 'models.list', {});
      ctx.out(list, () => {
        if (list.length === 0) return line(io.stdout, 'No models yet: greenhouse model add FILE --dataset NAME --target COLUMN registers one.');
        for (const m of list) line(io.stdout, `${m.name.padEnd(24)} v${String(m.latestVersion).padEnd(4)} ${m.className.padEnd(28)} ${m.task.padEnd(15)} ${m.safe ? 'safe' : 'UNSAFE (override)'}`);
      });
    });

  model
    .command('show')
    .description('One model version: class, scan, signature, golden set, metrics, lineage and environment mismatches.')
    .argument('<ref>', 'NAME or NAME@VERSION')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const d = await call(backend, 'models.get', parseRef(ref));
      ctx.out(modelJson(d), () => printModel(io, d));
    });
}
