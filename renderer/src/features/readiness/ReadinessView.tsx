// A bundle's readiness for hand-off, for its reviewers: the verdict first, the score per section,
// the seven hand-off gates (override a failing one with a reason), the 28 checks with their
// evidence (attest the manual ones), the review with its history, and the report to write.
// ReadinessReportView shows a report without the bundle: read-only when given no actions, as an
// exported archive's page does for its reviewer (overrides and attestations are the author's).
import { useState, type ReactNode } from 'react';
import type { BundleDetail, ReadinessCheck, ReadinessGate, ReadinessReport } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { plural } from '../../ui/format.js';
import { IconCheckCircle, IconClock, IconRefresh, IconWarning } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Panel } from '../../ui/Panel.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { CheckList, checkSummaryId, type CheckActions } from './CheckList.js';
import { bandRange, formatPoints, gateState, verdictState, type VerdictState } from './display.js';
import { bundleFileHref, type FileHref } from './Evidence.js';
import { GateList } from './GateList.js';
import { ReasonDialog } from './ReasonDialog.js';
import { VerdictBox } from '../../ui/VerdictBox.js';
import './readiness.css';
import { ReportActions } from './ReportActions.js';
import { ReviewPanel } from './ReviewPanel.js';
import { ScoreChart } from './ScoreChart.js';
import { useReadiness } from './use-readiness.js';

type Dialog = { kind: 'attest'; check: ReadinessCheck } | { kind: 'override'; gate: ReadinessGate } | null;

/** Focus a check's summary button once the dialog that changed it has closed. */
const focusCheck = (id: string) => requestAnimationFrame(() => document.getElementById(checkSummaryId(id))?.focus());
const focusGate = (id: string) => requestAnimationFrame(() => document.querySelector<HTMLElement>(`.readiness-gates-panel [data-gate="${id}"]`)?.focus());

export function ReadinessView({ detail }: { detail: BundleDetail }) {
  const { name, version } = detail;
  const { report, loading, error, reload } = useReadiness(name, version, detail.manifestSha256);
  const user = useAppStore((s) => s.appInfo?.user ?? null);
  const attest = useAppStore((s) => s.attestCheck);
  const withdraw = useAppStore((s) => s.withdrawAttestation);
  const override = useAppStore((s) => s.overrideGate);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ title: string; error: NonNullable<typeof error> } | null>(null);

  if (!report) {
    if (error) return <LoadProblem error={error} title="Could not evaluate the readiness checklist" onRetry={reload} />;
    return <LoadingLine>Evaluating the readiness checklist…</LoadingLine>;
  }

  const fileHref = bundleFileHref(name, version);
  const onWithdraw = async (check: ReadinessCheck) => {
    setWithdrawing(check.id);
    setActionError(null);
    const r = await withdraw(name, version, check.id);
    setWithdrawing(null);
    if (!r.ok) setActionError({ title: `The attestation of ${check.id} was not withdrawn`, error: r.error });
    else focusCheck(check.id);
  };

  return (
    <ReadinessReportView
      report={report}
      fileHref={fileHref}
      busy={loading}
      verdictAside={
        <Button size="sm" variant="ghost" onClick={reload} busy={loading} title="Evaluate the evidence again (after a change made elsewhere, e.g. on the command line)">
          <IconRefresh size={14} /> Evaluate again
        </Button>
      }
      verdictFooter={<ReportActions name={report.bundle.name} version={report.bundle.version} />}
      notice={error && <LoadProblem error={error} title="Could not evaluate the checklist again" onRetry={reload} />}
      onOverride={(gate) => setDialog({ kind: 'override', gate })}
      checkActions={{ onAttest: (check) => setDialog({ kind: 'attest', check }), onWithdraw: (check) => void onWithdraw(check), withdrawing }}
      checksNotice={actionError && <ErrorBanner title={actionError.title} error={actionError.error} onDismiss={() => setActionError(null)} />}
      review={<ReviewPanel report={report} user={user} />}
    >
      {dialog?.kind === 'attest' && (
        <ReasonDialog
          title={`Attest ${dialog.check.id}`}
          description={dialog.check.title}
          label="Note"
          placeholder="What was done, by whom, and where the results are."
          minLength={3}
          submitLabel="Attest"
          hint={<>Recorded{user ? ` as ${user}` : ''} with the time and your note, in the audit log and the readiness report. You can withdraw it later.</>}
          onSubmit={async (note) => {
            const r = await attest(name, version, dialog.check.id, note);
            if (r.ok) focusCheck(dialog.check.id);
            return r;
          }}
          onClose={() => setDialog(null)}
        >
          <AttestFacts check={dialog.check} report={report} />
        </ReasonDialog>
      )}
      {dialog?.kind === 'override' && (
        <ReasonDialog
          title="Override a hand-off gate"
          description={dialog.gate.title}
          label="Reason"
          placeholder="Why this bundle may be exported although the gate fails."
          minLength={10}
          submitLabel="Override the gate"
          submitVariant="danger"
          hint={
            <>
              At least 10 characters. The override is recorded{user ? ` as ${user}` : ''} with the time and this reason, in the audit log and in the readiness report that travels with
              the bundle; export then lets this gate pass. The gate still shows as failed, with what to fix.
            </>
          }
          onSubmit={async (reason) => {
            const r = await override(name, version, dialog.gate.id, reason);
            // Its Override… button is gone: focus goes to the gate, which now says who overrode it and why.
            if (r.ok) focusGate(dialog.gate.id);
            return r;
          }}
          onClose={() => setDialog(null)}
        >
          {dialog.gate.remedy && (
            <p className="readiness-remedy">
              <span className="readiness-remedy__label">What would fix it</span> {dialog.gate.remedy}
            </p>
          )}
        </ReasonDialog>
      )}
    </ReadinessReportView>
  );
}

export interface ReadinessReportViewProps {
  report: ReadinessReport;
  /** Where a bundle file named in the evidence opens; null where there is no bundle page (an archive). */
  fileHref: FileHref;
  /** The report is being evaluated again. */
  busy?: boolean;
  /** Beside the final score in the verdict (Evaluate again), and under it (the report to write). */
  verdictAside?: ReactNode;
  verdictFooter?: ReactNode;
  /** Under the verdict: why it could not be evaluated again. */
  notice?: ReactNode;
  /** The author's actions. Without them the gates and checks are read-only, as for a reviewer of an exported archive. */
  onOverride?: (gate: ReadinessGate) => void;
  checkActions?: CheckActions;
  /** The gates panel's note; what blocking means for a bundle by default. */
  gatesNote?: string;
  /** Above the checklist: why an action on a check failed. */
  checksNotice?: ReactNode;
  /** The review panel. */
  review: ReactNode;
  /** After everything: the dialogs of the actions. */
  children?: ReactNode;
}

/** A readiness report for its reviewers: the verdict first, the score per section, the gates, the checks with their evidence, the review. */
export function ReadinessReportView({ report, fileHref, busy = false, verdictAside, verdictFooter, notice, onOverride, checkActions, gatesNote, checksNotice, review, children }: ReadinessReportViewProps) {
  const passedGates = report.gates.filter((g) => gateState(g) !== 'failed').length;
  const overridden = report.gates.filter((g) => gateState(g) === 'overridden').length;
  return (
    <div className="bundle-stack readiness" data-ready={report.verdict.ready} aria-busy={busy || undefined}>
      <Verdict report={report} aside={verdictAside} footer={verdictFooter} />
      {notice}

      <Panel headingId="readiness-score-heading" title="Score" note={`${report.score.band.label}, ${bandRange(report.score.band.range)}`} className="readiness-score-panel">
        <div className="bundle-panel__body">
          <ScoreChart report={report} />
        </div>
      </Panel>

      <Panel
        headingId="readiness-gates-heading"
        title="Hand-off gates"
        note={`${passedGates} of ${report.gates.length} pass${overridden > 0 ? ` (${overridden} overridden)` : ''} · ${gatesNote ?? 'export is blocked while one fails'}`}
        className="readiness-gates-panel"
      >
        <div className="bundle-panel__body">
          <GateList gates={report.gates} label="Hand-off gates" fileHref={fileHref} onOverride={onOverride} />
        </div>
      </Panel>

      <Panel headingId="readiness-checks-heading" title="Checklist" note="the 28 tests of the ML Test Score" className="readiness-checks-panel">
        <div className="bundle-panel__body">
          {checksNotice}
          <CheckList report={report} fileHref={fileHref} actions={checkActions} />
        </div>
      </Panel>

      {review}
      {children}
    </div>
  );
}

const VERDICT_HEADINGS: Record<VerdictState, string> = {
  ready: 'Ready to hand off',
  waiting: 'Waiting for a reviewer’s approval',
  blocked: 'Not ready to hand off',
};

const VERDICT_TONES = { ready: 'success', waiting: 'warning', blocked: 'danger' } as const;

/** The verdict sentence, first; when it was evaluated; what the page adds (evaluate again, the report to write). */
function Verdict({ report, aside, footer }: { report: ReadinessReport; aside?: ReactNode; footer?: ReactNode }) {
  const state = verdictState(report);
  return (
    <VerdictBox
      tone={VERDICT_TONES[state]}
      Icon={state === 'ready' ? IconCheckCircle : state === 'waiting' ? IconClock : IconWarning}
      headingId="readiness-verdict-heading"
      state={state}
      className="readiness-verdict"
      text={
        <>
          <h2 id="readiness-verdict-heading" className="verdict-box__eyebrow">
            {VERDICT_HEADINGS[state]}
          </h2>
          <p className="verdict-box__summary">{report.verdict.summary}</p>
          <p className="small muted">
            Evidence as of <Timestamp value={report.evaluatedAt} /> · {report.model.name} v{report.model.version} ({report.model.className}, {report.model.framework}) · manifest{' '}
            <code className="sha" title={report.bundle.manifestSha256}>
              {report.bundle.manifestSha256.slice(0, 12)}…
            </code>
          </p>
        </>
      }
      aside={
        <>
          <p className="verdict-box__figure">
            <span className="verdict-box__number">{formatPoints(report.score.final)}</span>
            <span className="small muted">final score</span>
          </p>
          {aside}
        </>
      }
    >
      {footer}
    </VerdictBox>
  );
}

/** What an attestation is worth and what it is about. */
function AttestFacts({ check, report }: { check: ReadinessCheck; report: ReadinessReport }) {
  const section = report.score[check.section];
  return (
    <div className="readiness-attest-facts">
      <p>{check.evaluation}</p>
      {/* The remedy ends with the command-line way to attest, which the dialog is. */}
      {check.remedy && <p className="small muted">{check.remedy.replace(/\s*\(greenhouse attest [^)]*\)\s*$/, '')}</p>}
      <p className="readiness-attest-facts__points">
        An attestation is worth <strong>half a point</strong> (a test Greenhouse runs itself is worth one): the {check.section} section goes from {formatPoints(section)} to{' '}
        {formatPoints(section + 0.5)} points.
        {check.mode === 'auto-or-attest' && ' The automated part found a problem, so the check then shows as a warning with its evidence.'}
      </p>
      <p className="small muted">{plural(report.checks.filter((c) => c.attestation).length, 'check')} attested so far.</p>
    </div>
  );
}
