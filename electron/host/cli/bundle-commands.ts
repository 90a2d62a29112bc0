import { resolve } from 'node:path';
import { CommanderError, Option, type Command } from 'commander';
import { BUNDLE_STRATEGIES, SMOKE_NETWORKS, type SmokeTestResult } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { verifyBundle } from '../../services/bundles/verify.js';
import type { BuildTaskOutput } from '../../services/bundles/build-task.js';
import type { BundleTaskOutput } from '../../services/bundles/write-bundle.js';
import type { CliContext } from './context.js';
import { call, CliFailure, followJob, line, parseRef } from './io.js';

/** `greenhouse bundle create|list|build|smoke`. */
export function addBundleCommands(program: Command, ctx: CliContext) {
  const { io, backend } = ctx;
  const bundle = program.command('bundle').description('Write the hand-off bundle of a model version.');

  bundle
    .command('create')
    .description('Write bundles/NAME-VERSION: Dockerfile, serving app, generated tests, monitoring reference, model card, SBOM, compose and Kubernetes files, signed manifest.')
    .argument('<model>', 'NAME or NAME@VERSION')
    .addOption(new Option('--strategy <strategy>', 'how the image gets its libraries').choices([...BUNDLE_STRATEGIES]).default('pip'))
    .option('--base-image <image>', 'the base image (default: python:X.Y-slim for the environment\'s Python)')
    .option('--tolerance <x>', 'absolute tolerance for golden probabilities and values', (v) => {
      const n = Number(v);
      if (!(n > 0 && n <= 1)) throw new CommanderError(2, 'greenhouse.usage', `--tolerance must be a number in (0, 1], got ${v}`);
      return n;
    })
    .action(async (ref: string, opts: { strategy: (typeof BUNDLE_STRATEGIES)[number]; baseImage?: string; tolerance?: number }, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const { name, version } = parseRef(ref);
      const started = await call(backend, 'bundles.create', { model: name, version, options: { strategy: opts.strategy, baseImage: opts.baseImage, ...(opts.tolerance ? { tolerance: opts.tolerance } : {}) } });
      const job = await followJob(backend, io, started, Boolean(g.quiet || g.json));
      if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
      const out = job.result as BundleTaskOutput;
      ctx.out(out, () => {
        line(io.stdout, `Bundle written: ${out.path}`);
        line(io.stdout, `Image tag  ${out.imageTag} (base ${out.baseImage})`);
        line(io.stdout, `Files      ${out.files.length}, manifest sha256 ${out.manifestSha256.slice(0, 16)}…, signed by key ${out.fingerprint.slice(0, 16)}…`);
      });
    });

  bundle
    .command('build')
    .description('Build the bundle\'s image (greenhouse/NAME:VERSION) through the container engine, showing the build log; records the image id.')
    .argument('<model>', 'NAME or NAME@VERSION (default: the latest bundled version)')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const { name, version } = parseRef(ref);
      const started = await call(backend, 'bundles.build', { name, version });
      const job = await followJob(backend, io, started, Boolean(g.quiet || g.json));
      if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
      const out = job.result as BuildTaskOutput;
      ctx.out(out, () => {
        line(io.stdout, `Built ${out.tag}: ${out.imageId}`);
        line(io.stdout, `Size       ${out.bytes === null ? '?' : `${(out.bytes / 1e6).toFixed(1)} MB`}, ${out.steps} steps in ${(out.durationMs / 1000).toFixed(1)} s, user ${out.user || '(root)'}`);
        if (!out.manifest.ok) line(io.stdout, `Warning    the bundle no longer matches its signed manifest: ${out.manifest.problems.slice(0, 5).join('; ')}`);
      });
    });

  bundle
    .command('smoke')
    .description('Run the built image and check it: ready, metadata, golden parity on /predict and V2 infer, malformed input refused, latency, /metrics, the generated tests inside the container. Exits 1 when it fails.')
    .argument('<model>', 'NAME or NAME@VERSION (default: the latest bundled version)')
    .addOption(new Option('--network <mode>', 'publish: a port published on 127.0.0.1; host: host networking on a free loopback port').choices([...SMOKE_NETWORKS]).default('publish'))
    .option('--timeout <seconds>', 'how long the container may take to become ready', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 5 || n > 600) throw new CommanderError(2, 'greenhouse.usage', `--timeout must be a whole number of seconds from 5 to 600, got ${v}`);
      return n;
    })
    .action(async (ref: string, opts: { network: (typeof SMOKE_NETWORKS)[number]; timeout?: number }, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const { name, version } = parseRef(ref);
      const started = await call(backend, 'bundles.smokeTest', { name, version, network: opts.network, ...(opts.timeout ? { timeoutSeconds: opts.timeout } : {}) });
      const job = await followJob(backend, io, started, Boolean(g.quiet || g.json));
      if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
      const r = job.result as SmokeTestResult;
      ctx.out(r, () => printSmoke(io.stdout, r));
      if (!r.passed) {
        const failed = r.checks.filter((c) => !c.ok);
        throw new CliFailure(
          new AppError('INVALID_INPUT', `The smoke test of ${r.image.tag} failed: ${failed.map((c) => c.id).join(', ')}.`, {
            remedy: 'Read the failed checks above (and the container log); fix the bundle or its environment, build again and rerun the smoke test.',
          }).toData(),
          true,
        );
      }
    });

  bundle
    .command('list')
    .description('The bundles written in this workspace.')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await ctx.withWorkspace(g, true);
      const list = await call(backend, 'bundles.list', {});
      ctx.out(list, () => {
        if (list.length === 0) return line(io.stdout, 'No bundles yet: greenhouse bundle create MODEL writes one.');
        for (const b of list) line(io.stdout, `${`${b.name}@${b.version}`.padEnd(28)} ${b.strategy.padEnd(10)} ${b.imageTag.padEnd(32)} ${b.path}`);
      });
    });
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

/** `greenhouse verify PATH`: in-process, needing no workspace, only the bundle. */
export async function verifyBundleAt(ctx: CliContext, cmd: Command, path: string): Promise<void> {
  const { io } = ctx;
  ctx.begin(cmd);
  const report = await verifyBundle(resolve(io.cwd, path));
  ctx.out(report, () => {
    for (const c of report.checks) line(io.stdout, `${c.ok ? 'ok  ' : 'FAIL'} ${c.message}`);
    line(io.stdout, report.ok ? `Verified: ${report.files.checked} files, signature by key ${report.signature.fingerprint ?? '?'}` : 'The bundle does not verify.');
  });
  if (!report.ok) {
    const failed = report.checks.filter((c) => !c.ok);
    throw new CliFailure(new AppError('INVALID_INPUT', `${path} does not verify: ${failed.map((c) => c.message).join('; ')}`, { remedy: failed[0]?.remedy ?? 'Get the bundle again from its author.' }).toData(), true);
  }
}
