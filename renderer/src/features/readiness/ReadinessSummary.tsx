import type { BundleDetail } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Panel } from '../../ui/Panel.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { bundleHref } from '../bundles/route.js';
import { bandRange, formatPoints, gateState, reviewState, verdictState, type VerdictState } from './display.js';
import './readiness.css';
import { useReadiness } from './use-readiness.js';

const VERDICT_NOTES: Record<VerdictState, string> = {
  ready: 'ready to hand off',
  waiting: 'waiting for a reviewer’s approval',
  blocked: 'export blocked by failing gates',
};

/** The bundle page's overview of its readiness: the final score and band, the gates, the review; the checklist one click away. */
export function ReadinessSummary({ detail }: { detail: BundleDetail }) {
  const { report, error, reload } = useReadiness(detail.name, detail.version, detail.manifestSha256);
  const href = bundleHref(detail.name, { version: detail.version, tab: 'readiness' });
  const link = (
    <div className="panel__aside">
      <a className="btn btn--sm" href={href}>
        Open the checklist
      </a>
    </div>
  );

  if (!report) {
    return (
      <Panel headingId="bundle-overview-readiness-heading" title="Readiness" aside={link}>
        <div className="bundle-panel__body">
          {error ? <LoadProblem error={error} title="Could not evaluate the readiness checklist" onRetry={reload} /> : <LoadingLine>Evaluating the readiness checklist…</LoadingLine>}
        </div>
      </Panel>
    );
  }

  const failing = report.gates.filter((g) => gateState(g) === 'failed').length;
  const overridden = report.gates.filter((g) => gateState(g) === 'overridden').length;
  const passed = report.gates.length - failing;
  const review = reviewState(report);
  return (
    <Panel headingId="bundle-overview-readiness-heading" title="Readiness" note={VERDICT_NOTES[verdictState(report)]} aside={link} className="readiness-summary">
      <div className="bundle-panel__body">
        <p className="readiness-summary__verdict">{report.verdict.summary}</p>
        <dl className="bundle-facts readiness-summary__facts">
          <div>
            <dt>Final score</dt>
            <dd>
              <a href={href} className="readiness-summary__score">
                {formatPoints(report.score.final)}
              </a>{' '}
              <span className="muted">
                {report.score.band.label}, {bandRange(report.score.band.range)}
              </span>
            </dd>
          </div>
          <div>
            <dt>Hand-off gates</dt>
            <dd>
              <Badge tone={failing > 0 ? 'danger' : overridden > 0 ? 'warning' : 'success'}>
                {passed} of {report.gates.length} pass
              </Badge>
              {overridden > 0 && <span className="muted"> · {overridden} overridden</span>}
              {failing > 0 && <span className="muted"> · {failing} blocking export</span>}
            </dd>
          </div>
          <div>
            <dt>Review</dt>
            <dd>
              <Badge tone={review.tone}>{review.label}</Badge>
              {review.review && <span className="muted"> by {review.review.reviewer}</span>}
              {!review.review && review.earlier > 0 && <span className="muted"> since it was written again</span>}
            </dd>
          </div>
        </dl>
      </div>
    </Panel>
  );
}
