import type { Finding, FindingSeverity } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { IconAlert, IconInfo, IconWarning } from '../../ui/icons.js';
import { CellLink } from './CellLink.js';
import { countFindings, ruleLabel, SEVERITIES, SEVERITY_DISPLAY, type FindingCounts } from './display.js';

export type SeverityFilter = FindingSeverity | 'all';

export function SeverityIcon({ severity, className }: { severity: FindingSeverity; className?: string }) {
  const cls = cx('severity-icon', `severity-icon--${severity}`, className);
  if (severity === 'error') return <IconAlert className={cls} />;
  if (severity === 'warning') return <IconWarning className={cls} />;
  return <IconInfo className={cls} />;
}

const countText = (severity: FindingSeverity, n: number) => `${n} ${n === 1 && severity !== 'info' ? severity : SEVERITY_DISPLAY[severity].plural}`;

/** "1 error", "3 warnings", "2 info" as badges; "No findings" when there are none. */
export function FindingCountBadges({ counts, compact = false }: { counts: FindingCounts; compact?: boolean }) {
  const shown = SEVERITIES.filter((s) => counts[s] > 0);
  if (shown.length === 0) return <Badge tone="success">No findings</Badge>;
  return (
    <span className={cx('finding-counts', compact && 'finding-counts--compact')}>
      {shown.map((s) => (
        <Badge key={s} tone={SEVERITY_DISPLAY[s].tone} className="finding-count">
          <SeverityIcon severity={s} className="finding-count__icon" />
          {countText(s, counts[s])}
        </Badge>
      ))}
    </span>
  );
}

/** One finding in full: what, where in the cell, and what to do. */
export function FindingItem({ finding }: { finding: Finding }) {
  return (
    <li className={cx('finding', `finding--${finding.severity}`)} data-rule={finding.rule}>
      <SeverityIcon severity={finding.severity} className="finding__icon" />
      <div className="finding__body">
        <p className="finding__head">
          <span className="visually-hidden">{SEVERITY_DISPLAY[finding.severity].label}: </span>
          <span className="finding__rule">{ruleLabel(finding.rule)}</span>
          {finding.line !== null && <span className="finding__line muted">line {finding.line}</span>}
        </p>
        <p className="finding__message">{finding.message}</p>
        <p className="finding__remedy">{finding.remedy}</p>
      </div>
    </li>
  );
}

/** The findings of one cell (or of the whole notebook), shown right under it. */
export function FindingList({ findings, label, className }: { findings: readonly Finding[]; label: string; className?: string }) {
  if (findings.length === 0) return null;
  return (
    <ul className={cx('finding-list', className)} aria-label={label}>
      {findings.map((f, i) => (
        <FindingItem key={`${f.rule}-${f.line ?? 'n'}-${i}`} finding={f} />
      ))}
    </ul>
  );
}

export interface FindingsSummaryProps {
  findings: readonly Finding[];
  filter: SeverityFilter;
  onFilter: (filter: SeverityFilter) => void;
  /** Scroll to a cell (and focus it). */
  onGoToCell: (index: number) => void;
}

/** Counts by severity, a filter, and every finding with a jump to its cell. */
export function FindingsSummary({ findings, filter, onFilter, onGoToCell }: FindingsSummaryProps) {
  const counts = countFindings(findings);
  const shown = findings.filter((f) => filter === 'all' || f.severity === filter);
  const options: { id: SeverityFilter; label: string; count: number }[] = [
    { id: 'all', label: 'All', count: findings.length },
    ...SEVERITIES.map((s) => ({ id: s, label: s === 'info' ? 'Info' : `${SEVERITY_DISPLAY[s].label}s`, count: counts[s] })),
  ];
  return (
    <section className="panel findings-summary" aria-labelledby="findings-summary-heading">
      <div className="panel__head findings-summary__head">
        <h2 id="findings-summary-heading" className="panel__title">
          Findings
        </h2>
        <FindingCountBadges counts={counts} />
        {findings.length > 0 && (
          <div className="nb-segmented" role="group" aria-label="Show findings">
            {options.map((o) => (
              <button
                key={o.id}
                type="button"
                className={cx('nb-segmented__option', filter === o.id && 'is-active')}
                aria-pressed={filter === o.id}
                disabled={o.count === 0 && o.id !== 'all'}
                onClick={() => onFilter(o.id)}
              >
                {o.label} <span className="nb-segmented__count">{o.count}</span>
              </button>
            ))}
          </div>
        )}
      </div>
      {findings.length === 0 ? (
        <p className="panel__empty muted">No hygiene findings: executed in order, no errors, secrets, absolute paths or unseeded randomness found.</p>
      ) : (
        <ul className="findings-summary__list" aria-label="All findings">
          {shown.map((f, i) => (
            <li key={`${f.cell ?? 'n'}-${f.rule}-${f.line ?? 'n'}-${i}`} className="findings-summary__item">
              <SeverityIcon severity={f.severity} />
              <span className="visually-hidden">{SEVERITY_DISPLAY[f.severity].label}: </span>
              {f.cell === null ? (
                <span className="findings-summary__where muted">Notebook</span>
              ) : (
                <span className="findings-summary__where">
                  <CellLink cell={f.cell} line={f.line} onGoToCell={onGoToCell} />
                </span>
              )}
              <span className="findings-summary__rule">{ruleLabel(f.rule)}</span>
              <span className="findings-summary__message muted">{f.message}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
