// How readiness values read: status and basis words, the review state, filters and counts.
import type { CheckStatus, ReadinessCheck, ReadinessGate, ReadinessReport, ReadinessSection, Review } from '../../../../shared/contract/index.js';
import type { BadgeTone } from '../../ui/Badge.js';

export const SECTION_LABELS: Record<ReadinessSection, string> = {
  data: 'Data',
  model: 'Model',
  infrastructure: 'Infrastructure',
  monitoring: 'Monitoring',
};

/** The rubric's seven tests a section, one point each at most. */
export const SECTION_MAX_POINTS = 7;

export const STATUS_DISPLAY: Record<CheckStatus, { label: string; tone: BadgeTone }> = {
  pass: { label: 'pass', tone: 'success' },
  warn: { label: 'warn', tone: 'warning' },
  fail: { label: 'fail', tone: 'danger' },
  na: { label: 'n/a', tone: 'neutral' },
};

export const MODE_DISPLAY: Record<ReadinessCheck['mode'], string> = {
  auto: 'Automated: Greenhouse computes it.',
  attest: 'Manual: a named person attests it (half a point).',
  'auto-or-attest': 'Automated where the evidence allows; otherwise a person can attest it (half a point).',
};

export const BASIS_DISPLAY: Record<ReadinessCheck['basis'], string> = {
  automated: 'automated',
  attested: 'attested',
  none: 'not earned',
};

export const CHECK_FILTERS = ['all', 'fail', 'warn', 'pass', 'attested'] as const;
export type CheckFilter = (typeof CHECK_FILTERS)[number];

export const FILTER_LABELS: Record<CheckFilter, string> = { all: 'All', fail: 'Fail', warn: 'Warn', pass: 'Pass', attested: 'Attested' };

export const matchesFilter = (check: ReadinessCheck, filter: CheckFilter): boolean =>
  filter === 'all' ? true
  : filter === 'attested' ? check.attestation !== null
  : check.status === filter;

export const countByFilter = (checks: readonly ReadinessCheck[]): Record<CheckFilter, number> =>
  Object.fromEntries(CHECK_FILTERS.map((f) => [f, checks.filter((c) => matchesFilter(c, f)).length])) as Record<CheckFilter, number>;

/** Whether a person may attest the check now: a manual part, nobody attested yet, and not already earned automatically. */
export const canAttest = (check: ReadinessCheck) => check.mode !== 'auto' && check.attestation === null && check.basis !== 'automated';

/** The rubric band's range in words: "score 0", "score in (1, 2]", "score > 5". */
export const bandRange = (range: string) => (range === '0' || range.startsWith('>') ? `score ${range}` : `score in ${range}`);

/** Points with the half point written as such: "0.5", "3.5", "1". */
export const formatPoints = (points: number) => String(Math.round(points * 10) / 10);

export type GateState = 'passed' | 'overridden' | 'failed';
export const gateState = (gate: ReadinessGate): GateState => (gate.passed ? 'passed' : gate.override ? 'overridden' : 'failed');

export const GATE_DISPLAY: Record<GateState, { label: string; tone: BadgeTone }> = {
  passed: { label: 'passed', tone: 'success' },
  overridden: { label: 'overridden', tone: 'warning' },
  failed: { label: 'failed', tone: 'danger' },
};

/** The gates that block export now. */
export const blockingGates = (report: ReadinessReport) => report.gates.filter((g) => gateState(g) === 'failed');

/** A review is of the bundle as it is now, or of an earlier manifest (the bundle was written again since). */
export const isCurrentReview = (report: ReadinessReport, r: Review) => r.manifestSha256 === report.bundle.manifestSha256;

export interface ReviewState {
  state: 'approved' | 'changes-requested' | 'not-reviewed';
  label: string;
  tone: BadgeTone;
  /** The review that decides it; null when there is none of this bundle. */
  review: Review | null;
  /** Reviews of earlier manifests, which no longer count. */
  earlier: number;
}

/** Where the review of the bundle as it is now stands: the latest review of its manifest decides. */
export function reviewState(report: ReadinessReport): ReviewState {
  const current = report.reviews.filter((r) => isCurrentReview(report, r));
  const latest = current.at(-1) ?? null;
  const earlier = report.reviews.length - current.length;
  if (!latest) return { state: 'not-reviewed', label: 'not reviewed', tone: 'neutral', review: null, earlier };
  return latest.decision === 'approve' ?
      { state: 'approved', label: 'approved', tone: 'success', review: latest, earlier }
    : { state: 'changes-requested', label: 'changes requested', tone: 'warning', review: latest, earlier };
}

/** The comments reviewers made on one check or gate, newest review first. */
export function commentsOn(report: ReadinessReport, id: string): { review: Review; text: string; current: boolean }[] {
  return [...report.reviews]
    .reverse()
    .flatMap((r) => r.comments.filter((c) => c.checkId === id).map((c) => ({ review: r, text: c.text, current: isCurrentReview(report, r) })));
}

/** What a check or gate id names, for comment lists: "data.3 · No feature's cost is too much". */
export function subjectTitle(report: ReadinessReport, id: string | null): string {
  if (id === null) return 'General';
  const item = report.checks.find((c) => c.id === id) ?? report.gates.find((g) => g.id === id);
  return item ? `${id} · ${item.title}` : id;
}

/** The sections whose score is the final one (the minimum). */
export const weakestSections = (report: ReadinessReport): ReadinessSection[] =>
  (Object.keys(SECTION_LABELS) as ReadinessSection[]).filter((s) => report.score[s] === report.score.final);

/**
 * The evidence to list under a check. The backend repeats an attestation as an "Attested" evidence
 * line (for readiness.json readers); the view shows the attestation on its own, so not twice.
 */
export const shownEvidence = (check: ReadinessCheck) => (check.attestation ? check.evidence.filter((e) => e.label !== 'Attested') : check.evidence);

/** Ready (the gates pass and a reviewer approved this bundle), waiting for that approval, or blocked by a failing gate. */
export type VerdictState = 'ready' | 'waiting' | 'blocked';
export const verdictState = (report: ReadinessReport): VerdictState => (report.verdict.ready ? 'ready' : report.gatesPassed ? 'waiting' : 'blocked');
