import { resolve } from 'node:path';
import { CommanderError, Option, type Command } from 'commander';
import { BUNDLE_STRATEGIES } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { verifyBundle } from '../../services/bundles/verify.js';
import type { BundleTaskOutput } from '../../services/bundles/write-bundle.js';
import type { CliContext } from './context.js';
import { call, CliFailure, followJob, line, parseRef } from './io.js';

/** `greenhouse bundle create|list`. */
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
