import { resolve } from 'node:path';
import { CommanderError, Option, type Command } from 'commander';
import { BUNDLE_STRATEGIES, SMOKE_NETWORKS, type BundleExport, type BundleVerifyResult, type Job, type SmokeTestResult } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { AppErrorData } from '../../../shared/result.js';
import type { BuildTaskOutput } from '../../services/bundles/build-task.js';
import { verifyAndRerun, type VerifyTaskInput } from '../../services/bundles/verify-task.js';
import type { BundleTaskOutput } from '../../services/bundles/write-bundle.js';
import type { CliContext } from './context.js';
import { call, CliFailure, finishJob, line, parseRef } from './io.js';

type Strategy = (typeof BUNDLE_STRATEGIES)[number];
type Network = (typeof SMOKE_NETWORKS)[number];

const usage = (message: string) => new CommanderError(2, 'greenhouse.usage', message);

const toleranceOption = () =>
  new Option('--tolerance <x>', 'absolute tolerance for golden probabilities and values').argParser((v) => {
    const n = Number(v);
    if (!(n > 0 && n <= 1)) throw usage(`--tolerance must be a number in (0, 1], got ${v}`);
    return n;
  });
const networkOption = () => new Option('--network <mode>', 'publish: a port published on 127.0.0.1; host: host networking on a free loopback port (default: the workspace setting smokeNetwork)').choices([...SMOKE_NETWORKS]);
const timeoutOption = () =>
  new Option('--timeout <seconds>', 'how long the container may take to become ready').argParser((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 5 || n > 600) throw usage(`--timeout must be a whole number of seconds from 5 to 600, got ${v}`);
    return n;
  });

/** `greenhouse bundle create|list|build|smoke|export` and `greenhouse package`. */
export function addBundleCommands(program: Command, ctx: CliContext) {
  const { io, backend } = ctx;

  /** Follow a job to its end: its result, or a CliFailure carrying its error. */
  const finish = <T>(started: Job, quiet: boolean): Promise<T> => finishJob<T>(backend, io, started, quiet);
  const smokeFailure = (r: SmokeTestResult) =>
    new AppError('INVALID_INPUT', `The smoke test of ${r.image.tag} failed: ${r.checks.filter((c) => !c.ok).map((c) => c.id).join(', ')}.`, {
      remedy: 'Read the failed checks above (and the container log); fix the bundle or its environment, build again and rerun the smoke test.',
    }).toData();

  const bundle = program.command('bundle').description('Write, build, smoke-test and export the hand-off bundle of a model version, step by step (greenhouse package does it all).');

  bundle
    .command('create')
    .description('Write bundles/NAME-VERSION: Dockerfile, serving app, generated tests, monitoring reference, model card, SBOM, compose and Kubernetes files, signed manifest.')
    .argument('<model>', 'NAME or NAME@VERSION')
    .addOption(new Option('--strategy <strategy>', 'how the image gets its libraries').choices([...BUNDLE_STRATEGIES]).default('pip'))
    .option('--base-image <image>', 'the base image (default: python:X.Y-slim for the environment\'s Python)')
    .addOption(toleranceOption())
    .action(async (ref: string, opts: { strategy: Strategy; baseImage?: string; tolerance?: number }, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const { name, version } = parseRef(ref);
      const started = await call(backend, 'bundles.create', { model: name, version, options: { strategy: opts.strategy, baseImage: opts.baseImage, ...(opts.tolerance ? { tolerance: opts.tolerance } : {}) } });
      const out = await finish<BundleTaskOutput>(started, Boolean(g.quiet || g.json));
      ctx.out(out, () => printWritten(io.stdout, out));
    });

  bundle
    .command('build')
    .description('Build the bundle\'s image (greenhouse/NAME:VERSION) through the container engine, showing the build log; records the image id and signs it into the manifest.')
    .argument('<model>', 'NAME or NAME@VERSION (default: the latest bundled version)')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const out = await finish<BuildTaskOutput>(await call(backend, 'bundles.build', parseRef(ref)), Boolean(g.quiet || g.json));
      ctx.out(out, () => printBuilt(io.stdout, out));
    });

  bundle
    .command('smoke')
    .description('Run the built image and check it: ready, metadata, golden parity on /predict and V2 infer, malformed input refused, latency, /metrics, the generated tests inside the container. Exits 1 when it fails.')
    .argument('<model>', 'NAME or NAME@VERSION (default: the latest bundled version)')
    .addOption(networkOption())
    .addOption(timeoutOption())
    .action(async (ref: string, opts: { network?: Network; timeout?: number }, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const started = await call(backend, 'bundles.smokeTest', { ...parseRef(ref), network: opts.network, ...(opts.timeout ? { timeoutSeconds: opts.timeout } : {}) });
      const r = await finish<SmokeTestResult>(started, Boolean(g.quiet || g.json));
      ctx.out(r, () => printSmoke(io.stdout, r));
      if (!r.passed) throw new CliFailure(smokeFailure(r), true);
    });

  bundle
    .command('export')
    .description('Write bundles/NAME-VERSION.tar.gz with its readiness report: deterministic (the same bundle and evidence give the same archive hash), optionally with the built image for air-gapped hand-off. Refused while a hand-off gate fails, unless --override-gates REASON.')
    .argument('<model>', 'NAME or NAME@VERSION (default: the latest bundled version)')
    .option('--with-image', 'include the built image (docker save) as image.tar')
    .option('--include-image', 'the same as --with-image')
    .option('--override-gates <reason>', 'export even though hand-off gates fail; each failing gate is overridden with this reason (recorded)')
    .action(async (ref: string, opts: { withImage?: boolean; includeImage?: boolean; overrideGates?: string }, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const started = await call(backend, 'bundles.export', { ...parseRef(ref), includeImage: Boolean(opts.withImage || opts.includeImage), overrideGates: opts.overrideGates });
      const out = await finish<BundleExport>(started, Boolean(g.quiet || g.json));
      ctx.out(out, () => printExported(io.stdout, out));
    });

  bundle
    .command('list')
    .description('The bundles written in this workspace, with where each stands.')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const list = await call(backend, 'bundles.list', {});
      ctx.out(list, () => {
        if (list.length === 0) return line(io.stdout, 'No bundles yet: greenhouse package MODEL writes one.');
        for (const b of list) line(io.stdout, `${`${b.name}@${b.version}`.padEnd(28)} ${b.status.padEnd(13)} ${b.strategy.padEnd(10)} ${b.imageTag.padEnd(32)} ${b.lastExport?.archive ?? b.path}`);
      });
    });

  program
    .command('package')
    .description('Package a model version for operations in one go: write the bundle, build its image, smoke-test it, export bundles/NAME-VERSION.tar.gz. Exits 1 when a step fails, a hand-off gate fails, or Docker is unavailable (the bundle is still written then).')
    .argument('<model>', 'NAME or NAME@VERSION (default: the latest version)')
    .option('--base <image>', 'the base image (default: python:X.Y-slim for the environment\'s Python)')
    .addOption(new Option('--strategy <strategy>', 'pip: exact pins installed from the index; wheelhouse: only from wheels vendored in the bundle; base: the base image has the libraries (verified at build)').choices([...BUNDLE_STRATEGIES]).default('pip'))
    .addOption(toleranceOption())
    .option('--no-build', 'write and export the bundle without building its image')
    .option('--no-smoke', 'build the image without smoke-testing it')
    .option('--no-export', 'do not write the .tar.gz')
    .option('--include-image', 'put the built image (docker save) into the archive, for air-gapped hand-off')
    .option('--override-gates <reason>', 'export even though hand-off gates fail; each failing gate is overridden with this reason (recorded)')
    .addOption(networkOption())
    .addOption(timeoutOption())
    .action(async (ref: string, opts: PackageOptions, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const quiet = Boolean(g.quiet || g.json);
      const say = (text: string) => {
        if (!quiet) line(io.stderr, text);
      };
      const { name, version } = parseRef(ref);
      const report: PackageReport = { bundleDir: '', archive: null, export: null, image: null, build: { state: 'skipped', reason: 'not asked (--no-build)' }, smoke: null, gatesFailed: [] };
      let failure: AppErrorData | null = null;

      say(`Writing the bundle of ${ref}…`);
      const written = await finish<BundleTaskOutput>(
        await call(backend, 'bundles.create', { model: name, version, options: { strategy: opts.strategy, baseImage: opts.base, ...(opts.tolerance ? { tolerance: opts.tolerance } : {}) } }),
        quiet,
      );
      report.bundleDir = written.path;
      const target = (await call(backend, 'bundles.list', { model: name })).find((b) => b.path === written.path);
      if (!target) throw new CliFailure(new AppError('INTERNAL', `The bundle written to ${written.path} is not in the catalog.`).toData());
      const at = { name: target.name, version: target.version };
      if (!quiet) printWritten(io.stderr, written);

      if (opts.build) {
        say(`Building ${written.imageTag}…`);
        try {
          const built = await finish<BuildTaskOutput>(await call(backend, 'bundles.build', at), quiet);
          report.image = { id: built.imageId, tag: built.tag, size: built.bytes };
          report.build = { state: 'built', reason: `${built.steps} steps in ${(built.durationMs / 1000).toFixed(1)} s` };
          if (!quiet) printBuilt(io.stderr, built);
        } catch (e) {
          if (!(e instanceof CliFailure)) throw e;
          const unavailable = e.error.code === 'DOCKER_UNAVAILABLE';
          report.build = { state: unavailable ? 'skipped' : 'failed', reason: e.error.message };
          failure = e.error;
          say(`Build ${unavailable ? 'skipped' : 'FAILED'}: ${e.error.message}`);
        }
      }

      if (report.image && opts.smoke) {
        say(`Smoke-testing ${report.image.tag}…`);
        const r = await finish<SmokeTestResult>(await call(backend, 'bundles.smokeTest', { ...at, network: opts.network, ...(opts.timeout ? { timeoutSeconds: opts.timeout } : {}) }), quiet);
        report.smoke = smokeSummary(r);
        if (!quiet) printSmoke(io.stderr, r);
        if (!r.passed) failure = smokeFailure(r);
      }

      // A failed build or smoke test is not handed off. Docker being down does not stop the
      // export by itself; the hand-off gates do (unless overridden with a reason).
      const handOff = opts.export && (failure === null || report.build.state === 'skipped');
      if (handOff) {
        const includeImage = Boolean(opts.includeImage && report.image);
        if (opts.includeImage && !report.image) say('The image is not included: it was not built.');
        say(`Exporting${includeImage ? ' with the image' : ''}…`);
        try {
          const out = await finish<BundleExport>(await call(backend, 'bundles.export', { ...at, includeImage, overrideGates: opts.overrideGates }), quiet);
          report.archive = out.archive;
          report.export = { sha256: out.sha256, bytes: out.bytes, includesImage: out.includesImage };
          if (!quiet) printExported(io.stderr, out);
        } catch (e) {
          if (!(e instanceof CliFailure) || e.error.code !== 'GATE_FAILED') throw e;
          say(`Not exported: ${e.error.message}`);
          report.gatesFailed = (e.error.details as string[] | undefined) ?? [];
          failure ??= e.error;
        }
      }
      if (failure?.code === 'DOCKER_UNAVAILABLE') {
        failure = {
          ...failure,
          message: `The bundle was written${report.archive ? ' and exported' : ''}, but its image was not built: ${failure.message}${report.gatesFailed.length ? ` It was not exported: the gates ${report.gatesFailed.join(', ')} fail without the image.` : ''}`,
          remedy: `${failure.remedy ?? 'Start Docker.'} Then run greenhouse package ${ref} again${report.gatesFailed.length ? ', or export it for others to build with --override-gates "REASON"' : ' (or pass --no-build)'}.`,
        };
      }

      ctx.out(report, () => {
        line(io.stdout, `Bundle   ${report.bundleDir}`);
        if (report.image) line(io.stdout, `Image    ${report.image.tag} ${report.image.id.slice(0, 19)}…${report.image.size === null ? '' : ` (${(report.image.size / 1e6).toFixed(1)} MB)`}`);
        else line(io.stdout, `Image    not built: ${report.build.reason}`);
        if (report.smoke) line(io.stdout, `Smoke    ${report.smoke.passed ? 'passed' : 'FAILED'}: parity ${report.smoke.parity.matched}/${report.smoke.parity.examples}, p50 ${report.smoke.latencyMs.p50 ?? '?'} ms, p95 ${report.smoke.latencyMs.p95 ?? '?'} ms`);
        if (report.archive) line(io.stdout, `Archive  ${report.archive} (sha256 ${report.export!.sha256})`);
      });
      if (failure) throw new CliFailure(failure, true);
    });
}

interface PackageOptions {
  base?: string;
  strategy: Strategy;
  tolerance?: number;
  build: boolean;
  smoke: boolean;
  export: boolean;
  includeImage?: boolean;
  overrideGates?: string;
  network?: Network;
  timeout?: number;
}

/** `greenhouse package --json`. */
interface PackageReport {
  bundleDir: string;
  archive: string | null;
  export: { sha256: string; bytes: number; includesImage: boolean } | null;
  image: { id: string; tag: string; size: number | null } | null;
  build: { state: 'built' | 'failed' | 'skipped'; reason: string };
  smoke: ReturnType<typeof smokeSummary> | null;
  /** The hand-off gates that kept it from being exported (none when it was). */
  gatesFailed: string[];
}

function smokeSummary(r: SmokeTestResult) {
  const p = r.parity;
  return {
    passed: r.passed,
    parity: { examples: p.examples, matched: Math.min(p.predict.matched, p.v2.matched), mismatched: Math.max(p.predict.mismatched, p.v2.mismatched), maxDifference: p.maxDifference, tolerance: p.tolerance },
    latencyMs: { p50: r.latencyMs.p50, p95: r.latencyMs.p95 },
    malformedRejected: r.malformedRejected,
    failed: r.checks.filter((c) => !c.ok).map((c) => c.id),
  };
}

function printWritten(out: NodeJS.WritableStream, w: BundleTaskOutput) {
  out.write(`Bundle written: ${w.path}\n`);
  out.write(`Image tag  ${w.imageTag} (base ${w.baseImage})\n`);
  out.write(`Files      ${w.files.length}, manifest sha256 ${w.manifestSha256.slice(0, 16)}…, signed by key ${w.fingerprint.slice(0, 16)}…\n`);
}

function printBuilt(out: NodeJS.WritableStream, b: BuildTaskOutput) {
  out.write(`Built ${b.tag}: ${b.imageId}\n`);
  out.write(`Size       ${b.bytes === null ? '?' : `${(b.bytes / 1e6).toFixed(1)} MB`}, ${b.steps} steps in ${(b.durationMs / 1000).toFixed(1)} s, user ${b.user || '(root)'}\n`);
  if (!b.manifest.ok) out.write(`Warning    the bundle no longer matches its signed manifest: ${b.manifest.problems.slice(0, 5).join('; ')}\n`);
  else if (b.resigned) out.write('Manifest   signed again with the image id\n');
}

function printExported(out: NodeJS.WritableStream, e: BundleExport) {
  out.write(`Exported ${e.archive}\n`);
  out.write(`Archive    ${(e.bytes / 1e6).toFixed(2)} MB, sha256 ${e.sha256}${e.includesImage ? `, with the image ${e.imageId?.slice(0, 19)}…` : ''}\n`);
}

function printSmoke(out: NodeJS.WritableStream, r: SmokeTestResult) {
  const w = (t: string) => out.write(`${t}\n`);
  for (const c of r.checks) w(`${c.ok ? 'ok  ' : 'FAIL'} ${c.message}`);
  const p = r.parity;
  w(`Parity     ${p.examples} golden examples: /predict ${p.predict.matched} matched, V2 ${p.v2.matched} matched; max difference ${p.maxDifference ?? 'n/a'} (tolerance ${p.tolerance})`);
  w(`Malformed  ${r.malformed.filter((m) => m.ok).length}/${r.malformed.length} refused with a 4xx`);
  w(`Latency    p50 ${r.latencyMs.p50 ?? '?'} ms, p95 ${r.latencyMs.p95 ?? '?'} ms over ${r.latencyMs.requests} single-row requests`);
  w(`pytest     ${r.pytest.summary}`);
  if (r.containerLogs) w(`Container log (end):\n${r.containerLogs}`);
  w(r.passed ? `Smoke test passed: ${r.image.tag} (${r.image.id.slice(0, 19)}) in ${(r.durationMs / 1000).toFixed(1)} s` : `Smoke test FAILED: ${r.image.tag}`);
}

/**
 * `greenhouse verify PATH`: in-process, needing no workspace, only the bundle. When the archive
 * includes the image and a container engine answers, the image is loaded and smoke-tested again.
 */
export async function verifyBundleAt(ctx: CliContext, cmd: Command, path: string, opts: { rerun: boolean; network?: Network }): Promise<void> {
  const { io } = ctx;
  const g = ctx.begin(cmd);
  const input: VerifyTaskInput = { path: resolve(io.cwd, path), rerun: null };
  if (!opts.rerun) input.noRerun = 'The smoke test was not rerun (--no-rerun).';
  else {
    try {
      const { endpoint } = await ctx.backend.docker.client();
      input.rerun = { engine: endpoint.options, engineLabel: endpoint.label, network: opts.network ?? 'publish', timeoutSeconds: 60 };
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'DOCKER_UNAVAILABLE') throw e;
      input.noRerun = `No container engine answers, so the included image was not run: ${e.message}`;
    }
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let last = 0;
  const quiet = Boolean(g.quiet || g.json);
  let report: BundleVerifyResult;
  try {
    report = await verifyAndRerun(input, {
      signal: controller.signal,
      workspaceRoot: io.cwd,
      progress: (_f, message) => {
        if (quiet || Date.now() - last < 2000) return;
        last = Date.now();
        line(io.stderr, message);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  ctx.out(report, () => {
    for (const c of report.checks) line(io.stdout, `${c.ok ? 'ok  ' : 'FAIL'} ${c.message}`);
    if (report.rerun.smoke) printSmoke(io.stdout, report.rerun.smoke);
    else line(io.stdout, `Rerun      skipped: ${report.rerun.reason}`);
    line(io.stdout, report.ok ? `Verified: ${report.files.checked} files, signature by key ${report.signature.fingerprint ?? '?'}` : 'The bundle does not verify.');
  });
  if (!report.ok) {
    const failed = report.checks.filter((c) => !c.ok);
    throw new CliFailure(new AppError('INVALID_INPUT', `${path} does not verify: ${failed.map((c) => c.message).join('; ')}`, { remedy: failed[0]?.remedy ?? 'Get the bundle again from its author.' }).toData(), true);
  }
}
