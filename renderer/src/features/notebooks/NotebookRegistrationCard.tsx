import { useState } from 'react';
import { notebookRegistrationOutcome, type Registration } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge, type BadgeTone } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { ProgressBar } from '../../ui/ProgressBar.js';
import { notebookOutcomeText, notebookRegistrationStatus } from './display.js';
import { notebookHref } from './route.js';

type CardState = 'uploading' | 'starting' | 'queued' | 'running' | 'succeeded' | 'unchanged' | 'failed' | 'cancelled' | 'interrupted';

const STATE_BADGES: Record<CardState, { label: string; tone: BadgeTone }> = {
  uploading: { label: 'Uploading', tone: 'info' },
  starting: { label: 'Starting', tone: 'neutral' },
  queued: { label: 'Queued', tone: 'neutral' },
  running: { label: 'Running', tone: 'info' },
  succeeded: { label: 'Registered', tone: 'success' },
  unchanged: { label: 'Unchanged', tone: 'neutral' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  interrupted: { label: 'Interrupted', tone: 'warning' },
};

export interface NotebookRegistrationCardProps {
  registration: Registration;
  /** In the register dialog the dialog's own buttons close it; on the page the card has Dismiss. */
  dismissible?: boolean;
  /** Whether the outcome links to the notebook (the register dialog has its own button). */
  openLink?: boolean;
  className?: string;
}

/** One notebook registration: upload and job progress with Cancel, then what happened. */
export function NotebookRegistrationCard({ registration, dismissible = true, openLink = true, className }: NotebookRegistrationCardProps) {
  const job = useAppStore((s) => (registration.jobId ? s.jobsById[registration.jobId] : undefined));
  const cancel = useAppStore((s) => s.cancelNotebookRegistration);
  const dismiss = useAppStore((s) => s.dismissNotebookRegistration);
  const [cancelling, setCancelling] = useState(false);

  const outcome = notebookRegistrationOutcome(job);
  const state: CardState =
    registration.stage !== 'started' ? registration.stage
    : !job ? 'starting'
    : job.state === 'succeeded' && outcome?.outcome === 'unchanged' ? 'unchanged'
    : job.state;
  const active = state === 'uploading' || state === 'starting' || state === 'queued' || state === 'running';
  const cancellable = state === 'uploading' || state === 'queued' || state === 'running';
  const title = job?.title ?? (registration.stage === 'uploading' ? `Upload ${registration.label}` : `Register notebook ${registration.name ?? registration.label}`);
  const progress =
    state === 'succeeded' || state === 'unchanged' ? 1
    : state === 'uploading' ? registration.upload
    : state === 'running' ? (job?.progress ?? null)
    : null;
  const tone = state === 'succeeded' || state === 'unchanged' ? 'success' : state === 'failed' ? 'danger' : active ? 'accent' : 'muted';
  const error = registration.error ?? (job && (job.state === 'failed' || job.state === 'interrupted') ? job.error : null);
  const badge = STATE_BADGES[state];

  return (
    <section className={cx('registration', `registration--${state}`, className)} aria-label={title} data-state={state}>
      <div className="registration__head">
        <span className="registration__title">{title}</span>
        <Badge tone={badge.tone}>{badge.label}</Badge>
        <span className="registration__spacer" />
        {cancellable && (
          <Button
            size="sm"
            variant="ghost"
            busy={cancelling}
            aria-label={`Cancel ${title}`}
            onClick={async () => {
              setCancelling(true);
              await cancel(registration.id);
              setCancelling(false);
            }}
          >
            Cancel
          </Button>
        )}
        {dismissible && !active && (
          <Button size="sm" variant="ghost" aria-label={`Dismiss ${title}`} onClick={() => dismiss(registration.id)}>
            Dismiss
          </Button>
        )}
      </div>
      {(active || progress !== null) && (
        <div className="registration__progress">
          <ProgressBar value={progress} label={`${title} progress`} tone={tone} />
          <span className="registration__percent" aria-hidden="true">
            {progress === null ? '' : `${Math.round(progress * 100)}%`}
          </span>
        </div>
      )}
      {!outcome && !error && (
        <p className="registration__status" aria-live="polite">
          {notebookRegistrationStatus(registration, job)}
        </p>
      )}
      {outcome && (
        <div className="registration__outcome" role="status">
          <p className={cx('registration__headline', outcome.outcome === 'unchanged' && 'registration__headline--unchanged')}>{notebookOutcomeText(outcome)}</p>
          {openLink && (
            <a className="registration__open" href={notebookHref(outcome.name, { version: outcome.outcome === 'unchanged' ? outcome.version : null })}>
              Open {outcome.name}
            </a>
          )}
        </div>
      )}
      {error && <ErrorBanner error={error} title={registration.error ? 'Could not start the registration' : 'Registration failed'} />}
    </section>
  );
}
