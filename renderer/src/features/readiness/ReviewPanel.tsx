import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ReadinessReport, Review } from '../../../../shared/contract/index.js';
import { READINESS_SECTIONS } from '../../../../shared/contract/index.js';
import type { AppErrorData, Result } from '../../../../shared/result.js';
import type { ReviewRequest } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { TextAreaField } from '../../ui/Field.js';
import { plural } from '../../ui/format.js';
import { IconPlus, IconX } from '../../ui/icons.js';
import { Panel } from '../../ui/Panel.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { isCurrentReview, reviewState, SECTION_LABELS, subjectTitle } from './display.js';

interface CommentDraft {
  key: number;
  /** A check or gate id; '' for a general comment. */
  checkId: string;
  text: string;
}

type Decision = ReviewRequest['decision'];

const DECISIONS: { value: Decision; label: string; hint: string }[] = [
  { value: 'approve', label: 'Approve', hint: 'It can go to production as it is.' },
  { value: 'request-changes', label: 'Request changes', hint: 'Say what has to change: a summary or a comment on a check.' },
];

export interface ReviewPanelProps {
  report: ReadinessReport;
  user: string | null;
  /** Record the review; the bundle's own review (readiness.review) by default. Answers the review recorded, when it is known. */
  onSubmit?: (review: ReviewRequest) => Promise<Result<Review | null>>;
  /** Where the review is kept, beside the submit button. */
  recordNote?: ReactNode;
  /** Why a review cannot be recorded now (e.g. the archive is being written), or null. */
  blocked?: string | null;
  /** Under the form: what followed the review (its write into an archive). */
  after?: ReactNode;
}

/** A reviewer's decision with a summary and comments per check, and every review recorded so far. */
export function ReviewPanel({ report, user, onSubmit, recordNote, blocked = null, after }: ReviewPanelProps) {
  const reviewBundle = useAppStore((s) => s.reviewBundle);
  const { name, version } = report.bundle;
  const formId = useId();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [summary, setSummary] = useState('');
  const [comments, setComments] = useState<CommentDraft[]>([]);
  const nextKey = useRef(1);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorData | null>(null);
  const [recorded, setRecorded] = useState<Pick<Review, 'reviewer' | 'decision'> | null>(null);
  const commentRefs = useRef(new Map<number, HTMLSelectElement>());
  const state = reviewState(report);

  const filled = comments.filter((c) => c.text.trim() !== '');
  const problem =
    decision === null ? 'Choose approve or request changes.'
    : comments.some((c) => c.text.trim() === '') ? 'Write each comment, or remove the empty ones.'
    : decision === 'request-changes' && summary.trim() === '' && filled.length === 0 ? 'Say what has to change: a summary or a comment on a check.'
    : null;

  const addComment = (checkId = '') => {
    const key = nextKey.current++;
    setComments((c) => [...c, { key, checkId, text: '' }]);
    requestAnimationFrame(() => commentRefs.current.get(key)?.focus());
  };
  const patchComment = (key: number, change: Partial<CommentDraft>) => setComments((all) => all.map((c) => (c.key === key ? { ...c, ...change } : c)));
  const removeComment = (key: number) => setComments((all) => all.filter((c) => c.key !== key));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (problem || decision === null || blocked) return;
    setBusy(true);
    setError(null);
    const review: ReviewRequest = {
      decision,
      summary: summary.trim(),
      comments: filled.map((c) => ({ checkId: c.checkId === '' ? null : c.checkId, text: c.text.trim() })),
    };
    const r: Result<Review | null> =
      onSubmit ? await onSubmit(review) : await reviewBundle(name, version, review).then((a) => (a.ok ? { ok: true, value: a.value.reviews.at(-1) ?? null } : a));
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setRecorded(r.value ?? { reviewer: user ?? 'you', decision });
    setDecision(null);
    setSummary('');
    setComments([]);
    setTried(false);
  };

  return (
    <Panel
      headingId="readiness-review-heading"
      title="Review"
      note={state.review ? `${state.label} by ${state.review.reviewer}` : 'not reviewed yet'}
      className="readiness-review"
      aside={
        <div className="panel__aside">
          <Badge tone={state.tone}>{state.label}</Badge>
        </div>
      }
    >
      <div className="bundle-panel__body readiness-review__body">
        <div className="readiness-review__main">
          <form id={formId} className="form readiness-review__form" onSubmit={(e) => void submit(e)} noValidate aria-label="Record a review">
            <fieldset className="fieldset">
              <legend className="field__label">Decision</legend>
              <div className="readiness-decisions">
                {DECISIONS.map((d) => (
                  <label key={d.value} className={cx('strategy readiness-decision', decision === d.value && 'is-selected')} data-decision={d.value}>
                    <input type="radio" name="decision" value={d.value} checked={decision === d.value} onChange={() => setDecision(d.value)} />
                    <span className="strategy__text">
                      <span className="strategy__name">{d.label}</span>
                      <span className="strategy__explanation small muted">{d.hint}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <TextAreaField label="Summary" name="summary" rows={3} value={summary} maxLength={4000} onChange={(e) => setSummary(e.target.value)} hint="What you looked at and what you found; it goes into the report." />

            <fieldset className="fieldset readiness-review__comments">
              <legend className="field__label">Comments on checks</legend>
              {comments.length === 0 && <p className="small muted">None yet. A comment names a check or gate, and shows under it for everyone who reads the checklist.</p>}
              {comments.map((c, i) => (
                <div key={c.key} className="readiness-comment-draft" role="group" aria-label={`Comment ${i + 1}`}>
                  <div className="field readiness-comment-draft__on">
                    <label className="field__label" htmlFor={`${formId}-check-${c.key}`}>
                      On
                    </label>
                    <select
                      id={`${formId}-check-${c.key}`}
                      ref={(el) => {
                        if (el) commentRefs.current.set(c.key, el);
                        else commentRefs.current.delete(c.key);
                      }}
                      className="select"
                      value={c.checkId}
                      onChange={(e) => patchComment(c.key, { checkId: e.target.value })}
                    >
                      <option value="">General (no particular check)</option>
                      <optgroup label="Hand-off gates">
                        {report.gates.map((g) => (
                          <option key={g.id} value={g.id}>
                            {subjectTitle(report, g.id)}
                          </option>
                        ))}
                      </optgroup>
                      {READINESS_SECTIONS.map((s) => (
                        <optgroup key={s} label={SECTION_LABELS[s]}>
                          {report.checks
                            .filter((k) => k.section === s)
                            .map((k) => (
                              <option key={k.id} value={k.id}>
                                {subjectTitle(report, k.id)}
                              </option>
                            ))}
                        </optgroup>
                      ))}
                    </select>
                  </div>
                  <TextAreaField className="readiness-comment-draft__text" label="Comment" name={`comment-${c.key}`} rows={2} value={c.text} maxLength={4000} onChange={(e) => patchComment(c.key, { text: e.target.value })} error={tried && c.text.trim() === '' ? 'Write the comment, or remove it.' : null} />
                  <button type="button" className="icon-button readiness-comment-draft__remove" aria-label={`Remove comment ${i + 1}`} onClick={() => removeComment(c.key)}>
                    <IconX />
                  </button>
                </div>
              ))}
              <div>
                <Button size="sm" onClick={() => addComment()}>
                  <IconPlus /> Add a comment
                </Button>
              </div>
            </fieldset>

            {tried && problem && (
              <p className="field__error" role="alert">
                {problem}
              </p>
            )}
            {error && <ErrorBanner error={error} title="The review was not recorded" onDismiss={() => setError(null)} />}
            <div className="readiness-review__submit">
              <span className="small muted">
                {recordNote ?? <>Recorded{user ? ` as ${user}` : ''} with the time, in the audit log and in the bundle’s signed reviews file, for this manifest ({report.bundle.manifestSha256.slice(0, 12)}…).</>}
              </span>
              <Button type="submit" variant="primary" busy={busy} disabled={blocked !== null} title={blocked ?? undefined}>
                Record the review
              </Button>
            </div>
            {blocked && <p className="small muted readiness-review__blocked">{blocked}</p>}
            {recorded && !busy && (
              <p className="small readiness-review__recorded" role="status">
                Recorded: {recorded.decision === 'approve' ? 'approved' : 'changes requested'} by {recorded.reviewer}.
              </p>
            )}
          </form>
          {after && <div className="readiness-review__after">{after}</div>}
        </div>

        <ReviewHistory report={report} />
      </div>
    </Panel>
  );
}

/** Every review of the bundle, newest first; those of an earlier manifest are marked as such. */
function ReviewHistory({ report }: { report: ReadinessReport }) {
  const reviews = [...report.reviews].reverse();
  return (
    <section className="readiness-history" aria-labelledby="readiness-history-heading">
      <h3 id="readiness-history-heading" className="readiness-history__title">
        History <span className="muted small">{plural(reviews.length, 'review')}</span>
      </h3>
      {reviews.length === 0 ?
        <p className="small muted">No review yet.</p>
      : <ol className="readiness-history__list" aria-label="Reviews, newest first">
          {reviews.map((r) => {
            const current = isCurrentReview(report, r);
            return (
              <li key={r.id} className={cx('readiness-history__item', !current && 'is-earlier')} data-decision={r.decision} data-current={current}>
                <p className="readiness-history__head">
                  <Badge tone={r.decision === 'approve' ? 'success' : 'warning'}>{r.decision === 'approve' ? 'approved' : 'changes requested'}</Badge>
                  <strong>{r.reviewer}</strong>
                  <span className="small muted">
                    <Timestamp value={r.at} />
                  </span>
                  {!current && (
                    <Badge className="readiness-history__earlier">
                      earlier manifest <code className="sha">{r.manifestSha256.slice(0, 8)}</code>
                    </Badge>
                  )}
                </p>
                {r.summary && <p className="readiness-history__summary">{r.summary}</p>}
                {r.comments.length > 0 && (
                  <ul className="readiness-history__comments">
                    {r.comments.map((c, i) => (
                      <li key={i}>
                        <span className={cx('readiness-history__on small', c.checkId === null && 'muted')}>{subjectTitle(report, c.checkId)}</span>
                        <span>{c.text}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ol>
      }
    </section>
  );
}
