// A model's drift over time: the share of features drifted per check as a small time series, and
// the list of checks, newest first; each opens its result.
import type { DriftCheckSummary } from '../../../../shared/contract/index.js';
import type { AppErrorData } from '../../../../shared/result.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { formatCount, plural } from '../../ui/format.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Panel } from '../../ui/Panel.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { HistoryChart } from './charts.js';
import { baseName, formatShare } from './display.js';
import { monitoringHref } from './route.js';

export interface HistoryPanelProps {
  name: string;
  /** Newest first; null until loaded. */
  checks: DriftCheckSummary[] | null;
  loading: boolean;
  error: AppErrorData | null;
  onRetry: () => void;
  /** The check shown below. */
  shown: number | null;
  /** The version checks run on (kept in the links). */
  version: number | null;
  threshold: number;
}

export function HistoryPanel({ name, checks, loading, error, onRetry, shown, version, threshold }: HistoryPanelProps) {
  const drifted = checks?.filter((c) => c.drift).length ?? 0;
  return (
    <Panel
      headingId="drift-history-heading"
      title="History"
      note={checks ? `${plural(checks.length, 'check')}${checks.length > 0 ? `, ${drifted} with drift` : ''}` : undefined}
      className="drift-history-panel"
    >
      {error && <LoadProblem error={error} title="Could not load the drift history" onRetry={onRetry} />}
      {!checks ?
        loading && <LoadingLine className="panel__empty">Loading the checks…</LoadingLine>
      : checks.length === 0 ?
        <p className="panel__empty muted">No check yet. Run the first one with a batch of production inputs: its verdict and every feature’s drift are kept here.</p>
      : <div className="monitoring-panel__body">
          <HistoryChart checks={checks} threshold={threshold} />
          <ol className="drift-checks" aria-label="Drift checks, newest first">
            {checks.map((c) => (
              <li key={c.id} className={cx('drift-checks__item', c.id === shown && 'is-shown')} data-check={c.id} data-drift={c.drift}>
                <a className="drift-checks__link" href={monitoringHref(name, { version, check: c.id })} aria-current={c.id === shown ? 'true' : undefined}>
                  <span className="drift-checks__when">
                    <Timestamp value={c.checkedAt} />
                  </span>
                  <Badge tone={c.drift ? 'danger' : 'success'}>{c.drift ? 'drift' : 'no drift'}</Badge>
                  <span className="drift-checks__share">
                    {c.drifted.length}/{c.checked} <span className="muted">({formatShare(c.share)})</span>
                  </span>
                  <span className="drift-checks__batch muted" title={c.batch.path}>
                    {baseName(c.batch.path)} · {formatCount(c.rows)} rows · v{c.model.version}
                    {c.bundle && ' · bundle'}
                  </span>
                  {c.handBacks.length > 0 && <Badge tone="info">handed back</Badge>}
                </a>
              </li>
            ))}
          </ol>
        </div>
      }
    </Panel>
  );
}
