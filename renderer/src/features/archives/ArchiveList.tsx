import { useEffect } from 'react';
import type { ReviewArchiveSummary } from '../../../../shared/contract/index.js';
import { archiveOutcome, selectArchiveOpenJob } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { plural } from '../../ui/format.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Panel } from '../../ui/Panel.js';
import { LoadingLine, Spinner } from '../../ui/Spinner.js';
import { Table, type TableColumn } from '../../ui/Table.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { archiveHref } from '../bundles/route.js';
import { formatPoints } from '../readiness/display.js';
import { JobProgress } from '../shared/JobProgress.js';
import { archiveFileName, verdictBadge } from './display.js';
import './archives.css';

const COLUMNS: TableColumn<ReviewArchiveSummary>[] = [
  {
    key: 'bundle',
    header: 'Bundle',
    rowHeader: true,
    cell: (a) => (
      <>
        <a className="bundle-list__link" href={archiveHref(a.id)}>
          {a.name} <span className="muted">v{a.version}</span>
        </a>
        <span className="archive-list__file mono small muted" title={a.path}>
          {archiveFileName(a.path)}
        </span>
      </>
    ),
  },
  {
    key: 'verdict',
    header: 'Verdict',
    cell: (a) => (
      <span title={a.summary} className="archive-list__verdict" data-ready={a.ready}>
        <Badge tone={verdictBadge(a).tone}>{verdictBadge(a).label}</Badge>
      </span>
    ),
  },
  { key: 'score', header: 'Score', cell: (a) => formatPoints(a.score), className: 'num' },
  {
    key: 'review',
    header: 'Last review',
    cell: (a) =>
      a.lastReview ?
        <span className="nowrap">
          <Badge tone={a.lastReview.decision === 'approve' ? 'success' : 'warning'}>{a.lastReview.decision === 'approve' ? 'approved' : 'changes requested'}</Badge>{' '}
          <span className="muted">
            {a.lastReview.reviewer}, <Timestamp value={a.lastReview.at} />
          </span>
        </span>
      : <span className="muted">none</span>,
  },
  {
    key: 'written',
    header: 'In the archive',
    cell: (a) =>
      a.pendingReviews > 0 ?
        <span className="archive-list__pending" data-pending={a.pendingReviews} title="The last write into the archive failed or was cut off: write it again from the archive’s page.">
          <Badge tone="warning">{plural(a.pendingReviews, 'review')} not written</Badge>
        </span>
      : a.writtenAt ?
        <span className="nowrap muted">
          written <Timestamp value={a.writtenAt} />
        </span>
      : <span className="muted">as exported</span>,
  },
  { key: 'opened', header: 'Opened', cell: (a) => <Timestamp value={a.openedAt} />, cellClassName: 'nowrap' },
];

/** The archives opened for review in this workspace, and the one being opened (when its dialog was closed). */
export function ArchiveList() {
  const archives = useAppStore((s) => s.reviewArchives);
  const status = useAppStore((s) => s.reviewArchivesStatus);
  const error = useAppStore((s) => s.reviewArchivesError);
  const load = useAppStore((s) => s.loadReviewArchives);

  useEffect(() => {
    void load();
  }, [load]);

  const pending = archives.filter((a) => a.pendingReviews > 0).length;
  return (
    <Panel
      headingId="archive-list-heading"
      title="Archives for review"
      className="archive-list"
      note={
        <span aria-live="polite">
          {status === 'loading' && <Spinner />} {status === 'ready' && plural(archives.length, 'archive')}
          {pending > 0 && ` · ${pending} with reviews not written into the archive yet`}
        </span>
      }
    >
      <Opening />
      {error && <LoadProblem error={error} title="Could not load the archives opened for review" onRetry={() => void load()} />}
      {archives.length === 0 ?
        status === 'loading' ?
          <LoadingLine className="panel__empty">Loading the archives…</LoadingLine>
        : status === 'ready' && (
            <p className="panel__empty muted archive-list__empty">
              No archive opened for review yet. When another team hands you a bundle as NAME-VERSION.tar.gz, use <strong>Open archive for review</strong>: it is
              verified, you read its readiness check by check and record your decision, and the review is written back into the archive.
            </p>
          )
      : <Table
          caption="Archives opened for review, most recently opened first"
          columns={COLUMNS}
          rows={archives}
          rowKey={(a) => String(a.id)}
          rowProps={(a) => ({ 'data-ready': String(a.ready), 'data-pending': String(a.pendingReviews) })}
          className="bundle-list__table archive-list__table"
        />
      }
    </Panel>
  );
}

/** An archive being opened whose dialog was closed: its progress, then a link to it, or why it was not opened. */
function Opening() {
  const start = useAppStore((s) => s.archiveOpen);
  const job = useAppStore(selectArchiveOpenJob);
  const dismiss = useAppStore((s) => s.dismissArchiveOpen);
  if (!start) return null;
  const opened = archiveOutcome(job);
  const failure = start.error ?? (job && (job.state === 'failed' || job.state === 'interrupted') ? job.error : null);
  const name = archiveFileName(start.path);
  return (
    <div className="archive-opening" role="group" aria-label={`Opening ${name}`}>
      {opened ?
        <p className="archive-opening__done">
          Opened <bdi className="mono">{name}</bdi>: {opened.name} v{opened.version}.{' '}
          <a href={archiveHref(opened.id)} onClick={dismiss}>
            Review it
          </a>
        </p>
      : failure ?
        <ErrorBanner className="bundle-error" title={`${name} was not opened`} error={failure} onDismiss={dismiss} />
      : job?.state === 'cancelled' ?
        <p className="muted small">
          Opening {name} was cancelled; nothing was recorded.{' '}
          <Button size="sm" variant="ghost" onClick={dismiss}>
            Dismiss
          </Button>
        </p>
      : <JobProgress job={job} label={`Opening ${name}`} cancelLabel={`Cancel opening ${name}`} />}
    </div>
  );
}
