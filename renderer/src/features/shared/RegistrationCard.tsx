import { useState } from 'react';
import type { Job } from '../../../../shared/contract/index.js';
import type { Registration } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge, type BadgeTone } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { IconWarning } from '../../ui/icons.js';
import { ProgressBar } from '../../ui/ProgressBar.js';

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

/** What a finished registration job made, as far as the card shows it. */
export interface RegistrationOutcome {
  outcome: 'created' | 'new-version' | 'unchanged';
  name: string;
  warnings?: readonly string[];
}

/** What each feature's card has in common; the feature's own card fills in the rest. */
export interface RegistrationCardProps {
  registration: Registration;
  /** In the register dialog the dialog's own buttons close it; on the page the card has Dismiss. */
  dismissible?: boolean;
  /** Whether the outcome links to what was registered (the register dialog has its own button). */
  openLink?: boolean;
  className?: string;
}

export interface RegistrationCardTexts<O extends RegistrationOutcome> {
  /** The result of the registration's job once it succeeded. */
  outcomeOf: (job: Job | undefined) => O | null;
  /** The title until the job has one: "Register customers.csv". */
  registerTitle: (name: string) => string;
  status: (registration: Registration, job: Job | undefined) => string;
  headline: (outcome: O) => string;
  href: (outcome: O) => string;
  cancel: (id: string) => Promise<void>;
  dismiss: (id: string) => void;
}

/** One registration: upload and job progress with Cancel, then what happened and what to do. */
export function RegistrationCardView<O extends RegistrationOutcome>({
  registration,
  dismissible = true,
  openLink = true,
  className,
  outcomeOf,
  registerTitle,
  status,
  headline,
  href,
  cancel,
  dismiss,
}: RegistrationCardProps & RegistrationCardTexts<O>) {
  const job = useAppStore((s) => (registration.jobId ? s.jobsById[registration.jobId] : undefined));
  const [cancelling, setCancelling] = useState(false);

  const outcome = outcomeOf(job);
  const state: CardState =
    registration.stage !== 'started' ? registration.stage
    : !job ? 'starting'
    : job.state === 'succeeded' && outcome?.outcome === 'unchanged' ? 'unchanged'
    : job.state;
  const active = state === 'uploading' || state === 'starting' || state === 'queued' || state === 'running';
  const cancellable = state === 'uploading' || state === 'queued' || state === 'running';
  const title = job?.title ?? (registration.stage === 'uploading' ? `Upload ${registration.label}` : registerTitle(registration.name ?? registration.label));
  const progress =
    state === 'succeeded' || state === 'unchanged' ? 1
    : state === 'uploading' ? registration.upload
    : state === 'running' ? (job?.progress ?? null)
    : null;
  const tone = state === 'succeeded' || state === 'unchanged' ? 'success' : state === 'failed' ? 'danger' : active ? 'accent' : 'muted';
  const error = registration.error ?? (job && (job.state === 'failed' || job.state === 'interrupted') ? job.error : null);
  const badge = STATE_BADGES[state];
  const warnings = outcome?.warnings ?? [];

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
          {status(registration, job)}
        </p>
      )}
      {outcome && (
        <div className="registration__outcome" role="status">
          <p className={cx('registration__headline', outcome.outcome === 'unchanged' && 'registration__headline--unchanged')}>{headline(outcome)}</p>
          {warnings.length > 0 && (
            <ul className="registration__warnings" aria-label="Warnings">
              {warnings.map((w) => (
                <li key={w}>
                  <IconWarning className="registration__warning-icon" />
                  <span>{w}</span>
                </li>
              ))}
            </ul>
          )}
          {openLink && (
            <a className="registration__open" href={href(outcome)}>
              Open {outcome.name}
            </a>
          )}
        </div>
      )}
      {error && <ErrorBanner error={error} title={registration.error ? 'Could not start the registration' : 'Registration failed'} />}
    </section>
  );
}
