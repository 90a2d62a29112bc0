import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Argument, CommanderError, Option, type Command } from 'commander';
import { GATE_IDS, READINESS_SECTIONS, REPORT_FORMATS, type ReadinessReport, type ReviewArchive } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { BUNDLE_FILES } from '../../services/bundles/layout.js';
import { parseManifest } from '../../services/bundles/manifest.js';
import { verifyAndRerun } from '../../services/bundles/verify-task.js';
import type { CliContext, GlobalOptions } from './context.js';
import { call, CliFailure, finishJob, line, parseRef } from './io.js';

const usage = (message: string) => new CommanderError(2, 'greenhouse.usage', message);

/** A bundle named on the command line: a folder or archive path, or NAME[@VERSION] in the workspace. */
type Target = { kind: 'catalog'; name: string; version: number } | { kind: 'archive'; report: ReadinessReport; path: string };

const statuses: Record<string, string> = { pass: 'pass', warn: 'WARN', fail: 'FAIL', na: 'n/a ' };

export function addReadinessCommands(program: Command, ctx: CliContext) {
  const { io, backend } = ctx;

  /** Resolve PATH or NAME[@V]: a bundle folder of the workspace, an exported archive (read offline), or a catalog name. */
  const target = async (g: GlobalOptions, arg: string, offline: boolean): Promise<Target> => {
    const abs = resolve(io.cwd, arg);
    if (existsSync(abs)) {
      if (statSync(abs).isDirectory()) {
        const manifest = parseManifest(await readFile(join(abs, BUNDLE_FILES.manifest)).catch(() => {
          throw new AppError('NOT_FOUND', `${abs} has no ${BUNDLE_FILES.manifest}: it is not a bundle folder.`, { remedy: 'Give a bundle folder (bundles/NAME-VERSION), its .tar.gz, or NAME@VERSION.' });
        }));
        await ctx.withWorkspace(g.workspace ? g : { ...g, workspace: findUp(abs) }, true);
        return { kind: 'catalog', name: manifest.bundle.name, version: manifest.bundle.version };
      }
      if (!offline) throw usage(`${arg} is an archive: attest, review and override work on a workspace's bundle (NAME@VERSION).`);
      return { kind: 'archive', report: await readinessFromArchive(abs), path: abs };
    }
    await ctx.withWorkspace(g, true);
    const { name, version } = parseRef(arg);
    if (version !== undefined) return { kind: 'catalog', name, version };
    const latest = (await call(backend, 'bundles.list', { model: name })).sort((a, b) => b.version - a.version)[0];
    if (!latest) throw new AppError('NOT_FOUND', `No bundle of ${name}.`, { remedy: `Package it first: greenhouse package ${name}.` });
    return { kind: 'catalog', name, version: latest.version };
  };

  const readinessOf = async (t: Target) => (t.kind === 'archive' ? t.report : call(backend, 'readiness.get', { name: t.name, version: t.version }));

  program
    .command('check')
    .description('Evaluate a bundle\'s readiness: the hand-off gates and the ML Test Score. Exits 0 when every gate passes (or was overridden) and the final score reaches --min-score, else 1 with the reasons.')
    .argument('<bundle>', 'a bundle folder, an exported .tar.gz (verified, then its readiness.json read), or NAME[@VERSION]')
    .addOption(new Option('--min-score <x>', 'the final score (the minimum over the four sections) must reach this').default(0).argParser((v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || n > 7) throw usage(`--min-score must be a number from 0 to 7, got ${v}`);
      return n;
    }))
    .action(async (arg: string, opts: { minScore: number }, cmd: Command) => {
      const g = ctx.begin(cmd);
      const r = await readinessOf(await target(g, arg, true));
      const reasons = [
        ...r.gates.filter((x) => !x.passed && !x.override).map((x) => `gate "${x.title}" fails: ${x.remedy ?? ''}`),
        ...(r.score.final < opts.minScore ? [`the final score ${r.score.final} is below --min-score ${opts.minScore} (lowest section: ${lowestSection(r)})`] : []),
      ];
      const passed = reasons.length === 0;
      ctx.out({ ...r, passed, reasons, minScore: opts.minScore }, () => printCheck(io.stdout, r, reasons));
      if (!passed) {
        throw new CliFailure(new AppError('GATE_FAILED', `${r.bundle.name}@${r.bundle.version} does not pass: ${reasons.join('; ')}`, { remedy: 'Do what each failing gate and check says, or attest what was done by hand (greenhouse attest), then check again.' }).toData(), true);
      }
    });

  program
    .command('report')
    .description('Write a bundle\'s readiness report: html (self-contained, for reviewers), pdf (through headless Chromium) or json (readiness.json, schema greenhouse.readiness/1). Default: into the bundle folder.')
    .argument('<bundle>', 'a bundle folder or NAME[@VERSION]')
    .addOption(new Option('--format <format>', 'html, pdf or json').choices([...REPORT_FORMATS]).makeOptionMandatory())
    .option('--out <file>', 'where to write it (default: the bundle folder)')
    .action(async (arg: string, opts: { format: (typeof REPORT_FORMATS)[number]; out?: string }, cmd: Command) => {
      const g = ctx.begin(cmd);
      const t = await target(g, arg, false);
      if (t.kind !== 'catalog') return;
      const out = await call(backend, 'readiness.writeReport', { name: t.name, version: t.version, format: opts.format, out: opts.out ? resolve(io.cwd, opts.out) : undefined });
      ctx.out(out, () => line(io.stdout, `Wrote ${out.path} (${out.bytes} bytes)`));
    });

  program
    .command('attest')
    .description('Record that you did a manual readiness check (half a point), with a note; --withdraw takes it back. Audited.')
    .argument('<bundle>', 'a bundle folder or NAME[@VERSION]')
    .argument('<check>', 'the check id, e.g. data.3 (greenhouse check lists them)')
    .option('--note <text>', 'what was done and where the evidence is')
    .option('--withdraw', 'withdraw the attestation in force')
    .action(async (arg: string, checkId: string, opts: { note?: string; withdraw?: boolean }, cmd: Command) => {
      const g = ctx.begin(cmd);
      if (!opts.withdraw && !opts.note) throw usage('attest needs --note "what was done" (or --withdraw).');
      const t = await target(g, arg, false);
      if (t.kind !== 'catalog') return;
      const r = opts.withdraw
        ? await call(backend, 'readiness.withdrawAttestation', { name: t.name, version: t.version, checkId })
        : await call(backend, 'readiness.attest', { name: t.name, version: t.version, checkId, note: opts.note! });
      const c = r.checks.find((x) => x.id === checkId)!;
      ctx.out(r, () => line(io.stdout, `${checkId} ${c.title}: ${statuses[c.status]!.trim()}, ${c.points} point(s). Score ${r.score.final} (${r.score.band.label}).`));
    });

  program
    .command('override')
    .description('Let export pass a failing hand-off gate, with a recorded reason. Audited.')
    .argument('<bundle>', 'a bundle folder or NAME[@VERSION]')
    .addArgument(new Argument('<gate>', 'the gate').choices([...GATE_IDS]))
    .requiredOption('--reason <text>', 'why it may go anyway')
    .action(async (arg: string, gateId: (typeof GATE_IDS)[number], opts: { reason: string }, cmd: Command) => {
      const g = ctx.begin(cmd);
      const t = await target(g, arg, false);
      if (t.kind !== 'catalog') return;
      const r = await call(backend, 'readiness.overrideGate', { name: t.name, version: t.version, gateId, reason: opts.reason });
      ctx.out(r, () => line(io.stdout, `Gate ${gateId} overridden. ${r.verdict.summary}`));
    });

  program
    .command('review')
    .description('Record a reviewer\'s decision on a bundle or an exported archive, with comments per check; kept in the catalog and in the bundle\'s (or archive\'s) signed reviews.json.')
    .argument('<bundle>', 'a bundle folder, NAME[@VERSION], or an exported archive (opened for review in this workspace; the review is written into the archive)')
    .option('--approve', 'approve the hand-off')
    .option('--request-changes', 'ask for changes')
    .option('--summary <text>', 'the decision in a sentence or two', '')
    .option('--comment <check=text>', 'a comment on a check or gate (repeatable), e.g. --comment "data.2=Drop the id column"', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(async (arg: string, opts: { approve?: boolean; requestChanges?: boolean; summary: string; comment: string[] }, cmd: Command) => {
      const g = ctx.begin(cmd);
      if (Boolean(opts.approve) === Boolean(opts.requestChanges)) throw usage('review needs exactly one of --approve and --request-changes.');
      const comments = opts.comment.map((c) => {
        const at = c.indexOf('=');
        return at > 0 ? { checkId: c.slice(0, at).trim(), text: c.slice(at + 1).trim() } : { checkId: null, text: c.trim() };
      });
      const decision = opts.approve ? 'approve' as const : 'request-changes' as const;
      const file = resolve(io.cwd, arg);
      if (existsSync(file) && statSync(file).isFile()) {
        await ctx.withWorkspace(g, true);
        const quiet = Boolean(g.quiet || g.json);
        const opened = await finishJob<ReviewArchive>(backend, io, await call(backend, 'archives.open', { path: file }), quiet);
        const written = await finishJob<ReviewArchive>(backend, io, await call(backend, 'archives.review', { id: opened.id, decision, summary: opts.summary, comments }), quiet);
        ctx.out(written, () => line(io.stdout, `Review recorded and written into ${file}. ${written.summary}`));
        return;
      }
      const t = await target(g, arg, false);
      if (t.kind !== 'catalog') return;
      const r = await call(backend, 'readiness.review', { name: t.name, version: t.version, decision, summary: opts.summary, comments });
      ctx.out(r, () => line(io.stdout, `Review recorded. ${r.verdict.summary}`));
    });
}

/** The nearest folder upwards holding .greenhouse/ (a bundle folder lives in the workspace's bundles/). */
function findUp(dir: string): string | undefined {
  for (let d = dir; ; d = resolve(d, '..')) {
    if (existsSync(join(d, '.greenhouse'))) return d;
    if (resolve(d, '..') === d) return undefined;
  }
}

const lowestSection = (r: ReadinessReport) => READINESS_SECTIONS.reduce((a, b) => (r.score[b] < r.score[a] ? b : a));

/** An exported archive, offline: verified first (no Docker rerun), then its readiness.json read. */
async function readinessFromArchive(path: string): Promise<ReadinessReport> {
  const result = await verifyAndRerun({ path, rerun: null, noRerun: 'not needed for a check' }, { signal: new AbortController().signal, progress: () => {}, workspaceRoot: dirname(path) });
  if (!result.ok) {
    const failed = result.checks.filter((c) => !c.ok).map((c) => c.message);
    throw new AppError('INVALID_INPUT', `${path} does not verify, so its readiness cannot be trusted: ${failed.join('; ')}`, { remedy: 'Get the bundle again from its author (greenhouse verify shows every problem).' });
  }
  if (!result.readiness) {
    throw new AppError('NOT_FOUND', `${path} holds no ${BUNDLE_FILES.readiness} about its manifest.`, { remedy: 'Export the bundle with a Greenhouse that writes the readiness report (greenhouse bundle export).' });
  }
  return result.readiness;
}

function printCheck(out: NodeJS.WritableStream, r: ReadinessReport, reasons: string[]) {
  const w = (t: string) => out.write(`${t}\n`);
  w(`${r.bundle.name}@${r.bundle.version}: ${r.verdict.summary}`);
  w(`Score      data ${r.score.data}, model ${r.score.model}, infrastructure ${r.score.infrastructure}, monitoring ${r.score.monitoring}; final ${r.score.final} (${r.score.band.label})`);
  w('Gates');
  for (const gate of r.gates) w(`  ${gate.passed ? 'pass' : gate.override ? 'OVERRIDDEN' : 'FAIL'} ${gate.title}${gate.override ? ` (by ${gate.override.by}: ${gate.override.reason})` : !gate.passed && gate.remedy ? `: ${gate.remedy}` : ''}`);
  for (const section of READINESS_SECTIONS) {
    w(`${section[0]!.toUpperCase()}${section.slice(1)} (${r.score[section]})`);
    for (const c of r.checks.filter((x) => x.section === section)) {
      const todo = c.status !== 'pass' && c.remedy ? `\n         ${c.remedy}` : '';
      const how = c.mode !== 'auto' && c.basis === 'none' ? `\n         greenhouse attest ${r.bundle.name}@${r.bundle.version} ${c.id} --note "what was done"` : '';
      w(`  ${statuses[c.status]} ${c.id.padEnd(17)} ${c.title} [${c.points}${c.basis === 'attested' ? `, attested by ${c.attestation?.by}` : ''}]${todo}${how}`);
    }
  }
  if (reasons.length > 0) w(`Does not pass: ${reasons.join('; ')}`);
}
