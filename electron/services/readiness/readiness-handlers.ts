// The readiness.* methods: evaluate, attest, override a gate, review, write the report.
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { GateId, MethodParsedInput, ReadinessReport, Review } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { BUNDLE_FILES } from '../bundles/layout.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { Handlers } from '../rpc/dispatch.js';
import type { WorkspaceSession } from '../workspace/workspace-session.js';
import { evaluateReadiness, isAttestable, isCheckId } from './evaluate.js';
import { bundleDirOf, gatherReadiness, readinessJson, reportDataOf, writeReviewsFile } from './readiness-service.js';
import { renderReportHtml } from './report-html.js';
import type { PdfRenderer } from './report-pdf.js';

export interface ReadinessHost {
  requireWorkspace(): WorkspaceSession;
  readonly actor: string;
  readonly pdf: PdfRenderer;
}

type ReadinessMethods = 'readiness.get' | 'readiness.attest' | 'readiness.withdrawAttestation' | 'readiness.overrideGate' | 'readiness.review' | 'readiness.writeReport';

/**
 * Before an export: the hand-off gates must pass. With a reason, each failing gate is overridden
 * (recorded and audited) and the export goes on; without, GATE_FAILED names them. Then the
 * readiness documents (readiness.json, readiness-report.html) are written into the bundle folder,
 * to travel with it. The facts are gathered once.
 */
export async function prepareExport(ws: WorkspaceSession, name: string, version: number, overrideReason: string | undefined, actor: string): Promise<ReadinessReport> {
  const gathered = await gatherReadiness(ws, name, version);
  const { inputs, subject, dir } = gathered;
  const failing = evaluateReadiness(inputs).gates.filter((g) => !g.passed && !g.override);
  if (failing.length > 0) {
    if (!overrideReason) {
      throw new AppError('GATE_FAILED', `${subject.subject} cannot be exported: ${failing.length} hand-off gate${failing.length > 1 ? 's fail' : ' fails'}: ${failing.map((g) => `${g.title} (${g.remedy ?? 'see greenhouse check'})`).join('; ')}`, {
        remedy: `Fix them (greenhouse check ${subject.subject} lists each with what to do), or export with a recorded reason: --override-gates "why it may go anyway".`,
        details: failing.map((g) => g.id),
      });
    }
    ws.catalog.write((tx) => {
      for (const g of failing) ws.readiness.override(tx, subject, g.id, overrideReason, actor);
    });
    inputs.overrides = ws.readiness.overrides(subject.bundleId, subject.manifestSha256);
  }
  const data = await reportDataOf(ws, name, version, gathered);
  await writeFileAtomic(join(dir, BUNDLE_FILES.readiness), readinessJson(data.readiness));
  await writeFileAtomic(join(dir, BUNDLE_FILES.report), renderReportHtml(data));
  return data.readiness;
}

/** A review comments on the report's checks and gates (or in general), and a request for changes says what. */
export function checkReviewInput(report: Pick<ReadinessReport, 'checks' | 'gates'>, decision: Review['decision'], summary: string, comments: Review['comments']): void {
  const known = new Set([...report.checks.map((c) => c.id), ...report.gates.map((g) => g.id)]);
  const unknown = comments.filter((c) => c.checkId !== null && !known.has(c.checkId));
  if (unknown.length > 0) throw new AppError('NOT_FOUND', `No check or gate ${unknown.map((c) => c.checkId).join(', ')}.`, { remedy: 'Comment on a check id such as data.1, or a gate id such as smoke-test.' });
  if (decision === 'request-changes' && !summary && comments.length === 0) {
    throw new AppError('INVALID_INPUT', 'Say what has to change: a summary or a comment on a check.', { remedy: 'Add --summary "…" or a comment.' });
  }
}

export function readinessHandlers(host: ReadinessHost): Pick<Handlers, ReadinessMethods> {
  const evaluate = async (name: string, version: number) => evaluateReadiness((await gatherReadiness(host.requireWorkspace(), name, version)).inputs);

  const attest = async ({ name, version, checkId, note }: MethodParsedInput<'readiness.attest'>) => {
    if (!isCheckId(checkId)) throw new AppError('NOT_FOUND', `There is no readiness check ${checkId}.`, { remedy: 'Use a check id such as data.3 or model.7 (greenhouse check lists them).' });
    if (!isAttestable(checkId)) throw new AppError('INVALID_INPUT', `${checkId} is automated: Greenhouse computes it, nobody can attest it.`, { remedy: 'Do what its remedy says, then check again.' });
    const ws = host.requireWorkspace();
    const { inputs, subject } = await gatherReadiness(ws, name, version);
    const current = evaluateReadiness(inputs).checks.find((c) => c.id === checkId)!;
    if (current.basis === 'automated') {
      throw new AppError('CONFLICT', `${checkId} already passes on its own evidence (one point); an attestation would add nothing.`, { remedy: 'Attest only checks that are not earned automatically.' });
    }
    ws.catalog.write((tx) => ws.readiness.attest(tx, subject, checkId, note, host.actor));
    return evaluate(name, version);
  };

  const withdraw = async ({ name, version, checkId }: MethodParsedInput<'readiness.withdrawAttestation'>) => {
    const ws = host.requireWorkspace();
    const { subject } = await gatherReadiness(ws, name, version);
    ws.catalog.write((tx) => ws.readiness.withdraw(tx, subject, checkId, host.actor));
    return evaluate(name, version);
  };

  const overrideGate = async ({ name, version, gateId, reason }: MethodParsedInput<'readiness.overrideGate'>) => {
    const ws = host.requireWorkspace();
    const { inputs, subject } = await gatherReadiness(ws, name, version);
    const gate = evaluateReadiness(inputs).gates.find((g) => g.id === gateId)!;
    if (gate.passed) throw new AppError('CONFLICT', `The gate "${gate.title}" passes: there is nothing to override.`, { remedy: 'Override only a failing gate.' });
    ws.catalog.write((tx) => ws.readiness.override(tx, subject, gateId as GateId, reason, host.actor));
    return evaluate(name, version);
  };

  const review = async ({ name, version, decision, summary, comments }: MethodParsedInput<'readiness.review'>) => {
    const ws = host.requireWorkspace();
    const { inputs, subject, dir } = await gatherReadiness(ws, name, version);
    checkReviewInput(evaluateReadiness(inputs), decision, summary, comments);
    ws.catalog.write((tx) => ws.readiness.review(tx, subject, { decision, summary, comments }, host.actor));
    await writeReviewsFile(ws, dir, subject, ws.readiness.reviews(subject.bundleId));
    return evaluate(name, version);
  };

  const writeReport = async ({ name, version, format, out }: MethodParsedInput<'readiness.writeReport'>) => {
    const ws = host.requireWorkspace();
    const dir = bundleDirOf(ws, name, version);
    const file = { json: BUNDLE_FILES.readiness, html: BUNDLE_FILES.report, pdf: BUNDLE_FILES.reportPdf }[format];
    const target = out ? resolve(out) : join(dir, file);
    await mkdir(dirname(target), { recursive: true });
    if (format === 'json') await writeFileAtomic(target, readinessJson(await evaluate(name, version)));
    else {
      const page = renderReportHtml(await reportDataOf(ws, name, version));
      if (format === 'html') await writeFileAtomic(target, page);
      else {
        // The PDF is printed from the HTML file, kept beside it in the bundle (or a temporary copy).
        const htmlPath = out ? join(ws.paths.tmp, `report-${process.pid}-${Date.now()}.html`) : join(dir, BUNDLE_FILES.report);
        await writeFileAtomic(htmlPath, page);
        try {
          await host.pdf(htmlPath, target);
        } finally {
          if (out) await rm(htmlPath, { force: true });
        }
      }
    }
    return { path: target, bytes: (await stat(target)).size, format };
  };

  return {
    'readiness.get': ({ name, version }) => evaluate(name, version),
    'readiness.attest': attest,
    'readiness.withdrawAttestation': withdraw,
    'readiness.overrideGate': overrideGate,
    'readiness.review': review,
    'readiness.writeReport': writeReport,
  };
}
