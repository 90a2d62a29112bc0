import { useId, useState } from 'react';
import type { ReadinessCheck, ReadinessReport } from '../../../../shared/contract/index.js';
import { READINESS_SECTIONS } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { plural } from '../../ui/format.js';
import { IconChevronRight } from '../../ui/icons.js';
import { Timestamp } from '../../ui/Timestamp.js';
import {
  BASIS_DISPLAY,
  canAttest,
  CHECK_FILTERS,
  commentsOn,
  countByFilter,
  FILTER_LABELS,
  formatPoints,
  matchesFilter,
  MODE_DISPLAY,
  SECTION_LABELS,
  SECTION_MAX_POINTS,
  shownEvidence,
  STATUS_DISPLAY,
  type CheckFilter,
} from './display.js';
import { EvidenceList, type FileHref } from './Evidence.js';

/** The id of a check's summary button, to give it focus. */
export const checkSummaryId = (checkId: string) => `readiness-check-${checkId}`;

/** What the bundle's author can do with a check: attest a manual one, withdraw an attestation. */
export interface CheckActions {
  onAttest: (check: ReadinessCheck) => void;
  onWithdraw: (check: ReadinessCheck) => void;
  /** The check whose attestation is being withdrawn. */
  withdrawing: string | null;
}

export interface CheckListProps {
  report: ReadinessReport;
  fileHref: FileHref;
  /** Absent: read-only (a reviewer of an exported archive reads the checks; attesting is the author's). */
  actions?: CheckActions;
}

/** The 28 checks grouped by section, filtered by status, each expandable to its evidence. */
export function CheckList({ report, fileHref, actions }: CheckListProps) {
  const [filter, setFilter] = useState<CheckFilter>('all');
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const counts = countByFilter(report.checks);
  const shown = report.checks.filter((c) => matchesFilter(c, filter));
  const toggle = (id: string) =>
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="readiness-checks">
      <div className="readiness-checks__toolbar">
        <div role="group" aria-label="Show checks" className="readiness-filters">
          {CHECK_FILTERS.map((f) => (
            <button key={f} type="button" className={cx('chip readiness-filter', filter === f && 'is-selected')} aria-pressed={filter === f} data-filter={f} onClick={() => setFilter(f)}>
              {FILTER_LABELS[f]} <span className="readiness-filter__count">{counts[f]}</span>
            </button>
          ))}
        </div>
        <span className="small muted" aria-live="polite">
          {filter === 'all' ? plural(shown.length, 'check') : `${shown.length} of ${plural(report.checks.length, 'check')}`}
        </span>
        <span className="readiness-checks__spacer" />
        <Button size="sm" variant="ghost" onClick={() => setOpen(new Set(open.size > 0 ? [] : shown.map((c) => c.id)))}>
          {open.size > 0 ? 'Collapse all' : 'Expand all'}
        </Button>
      </div>

      {shown.length === 0 && <p className="muted readiness-checks__none">No check is {filter === 'attested' ? 'attested' : `at ${FILTER_LABELS[filter].toLowerCase()}`}.</p>}

      {READINESS_SECTIONS.map((section) => {
        const checks = shown.filter((c) => c.section === section);
        if (checks.length === 0) return null;
        const headingId = `readiness-section-${section}`;
        return (
          <section key={section} className="readiness-section" aria-labelledby={headingId} data-section={section}>
            <h3 id={headingId} className="readiness-section__title">
              {SECTION_LABELS[section]}{' '}
              <span className="readiness-section__score muted">
                {formatPoints(report.score[section])} of {SECTION_MAX_POINTS} points
              </span>
            </h3>
            <ul className="readiness-check-list" aria-label={`${SECTION_LABELS[section]} checks`}>
              {checks.map((c) => (
                <CheckRow
                  key={c.id}
                  check={c}
                  report={report}
                  expanded={open.has(c.id)}
                  onToggle={() => toggle(c.id)}
                  fileHref={fileHref}
                  onAttest={actions && (() => actions.onAttest(c))}
                  onWithdraw={actions && (() => actions.onWithdraw(c))}
                  withdrawing={actions?.withdrawing === c.id}
                />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

interface CheckRowProps {
  check: ReadinessCheck;
  report: ReadinessReport;
  expanded: boolean;
  onToggle: () => void;
  fileHref: FileHref;
  /** Absent when read-only. */
  onAttest?: () => void;
  onWithdraw?: () => void;
  withdrawing: boolean;
}

function CheckRow({ check: c, report, expanded, onToggle, fileHref, onAttest, onWithdraw, withdrawing }: CheckRowProps) {
  const detailsId = useId();
  const comments = commentsOn(report, c.id);
  const evidence = shownEvidence(c);
  return (
    <li className={cx('readiness-check', `readiness-check--${c.status}`, expanded && 'is-expanded')} data-check={c.id} data-status={c.status} data-basis={c.basis}>
      <button type="button" id={checkSummaryId(c.id)} className="readiness-check__summary" aria-expanded={expanded} aria-controls={detailsId} onClick={onToggle}>
        <IconChevronRight size={14} className="readiness-check__chevron" />
        <Badge tone={STATUS_DISPLAY[c.status].tone} className="readiness-check__status">
          {STATUS_DISPLAY[c.status].label}
        </Badge>
        <span className="readiness-check__id mono">{c.id}</span>
        <span className="readiness-check__title">{c.title}</span>
        {comments.length > 0 && (
          <span className="readiness-check__comments small muted" title="Review comments on this check">
            {plural(comments.length, 'comment')}
          </span>
        )}
        <span className="readiness-check__points" title={`Earned: ${BASIS_DISPLAY[c.basis]}`}>
          {formatPoints(c.points)} <span className="muted">pt</span>
          {c.basis === 'attested' && <span className="readiness-check__basis muted"> · attested</span>}
        </span>
      </button>
      <div id={detailsId} className="readiness-check__details" hidden={!expanded}>
        {expanded && (
          <>
            <div className="readiness-check__how">
              <h4 className="readiness-check__label">How it is evaluated</h4>
              <p>{c.evaluation}</p>
              <p className="small muted">{MODE_DISPLAY[c.mode]}</p>
            </div>
            {evidence.length > 0 ?
              <div>
                <h4 className="readiness-check__label">Evidence</h4>
                <EvidenceList evidence={evidence} fileHref={fileHref} />
              </div>
            : c.mode === 'attest' && !c.attestation && <p className="small muted">Nothing can be computed for this check: only a person can say it was done.</p>}
            {c.remedy && (
              <p className="readiness-remedy">
                <span className="readiness-remedy__label">What to do</span> {c.remedy}
              </p>
            )}
            {c.attestation && (
              <div className="readiness-attestation">
                <p>
                  <span className="readiness-remedy__label">Attested</span> by <strong>{c.attestation.by}</strong>, <Timestamp value={c.attestation.at} />
                  <span className="muted"> · half a point</span>
                </p>
                <blockquote className="readiness-attestation__note">{c.attestation.note}</blockquote>
              </div>
            )}
            {((canAttest(c) && onAttest) || (c.attestation && onWithdraw)) && (
              <div className="readiness-check__actions">
                {canAttest(c) && onAttest && (
                  <Button size="sm" variant="primary" onClick={onAttest} aria-label={`Attest ${c.id}…`}>
                    Attest…
                  </Button>
                )}
                {c.attestation && onWithdraw && (
                  <Button size="sm" onClick={onWithdraw} busy={withdrawing} aria-label={`Withdraw the attestation of ${c.id}`}>
                    Withdraw
                  </Button>
                )}
              </div>
            )}
            {comments.length > 0 && (
              <div>
                <h4 className="readiness-check__label">Review comments</h4>
                <ul className="readiness-comments">
                  {comments.map((m, i) => (
                    <li key={`${m.review.id}-${i}`}>
                      <span className="small muted">
                        {m.review.reviewer}, <Timestamp value={m.review.at} />
                        {!m.current && ' · on an earlier manifest'}
                      </span>
                      <p>{m.text}</p>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </>
        )}
      </div>
    </li>
  );
}
