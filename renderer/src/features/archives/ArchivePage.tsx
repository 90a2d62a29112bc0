// An exported archive opened for review: where it is and that it verified, the readiness its author
// exported (read-only: overrides and attestations are the author's) with every review merged in,
// and the review form. A review is kept in this workspace at once and then written into the archive
// by a job whose progress shows under the form; a failed write can be retried.
import { useEffect, useState, type Ref } from 'react';
import type { ReviewArchive, Review } from '../../../../shared/contract/index.js';
import type { Result } from '../../../../shared/result.js';
import { archiveRoute, selectArchiveWrite, selectArchiveWriteJob, selectShownArchive, type ArchiveRoute, type ArchiveTab, type ReviewRequest } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { BackLink, DetailHeader, DetailPending, Fact } from '../../ui/DetailPage.js';
import { formatBytes } from '../../ui/format.js';
import { IconInfo } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Panel } from '../../ui/Panel.js';
import { Sha } from '../../ui/Sha.js';
import { TabList, TabPanel, type TabDef } from '../../ui/Tabs.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { OkBadge } from '../bundles/SmokeResults.js';
import { archiveHref, BUNDLES_HREF } from '../bundles/route.js';
import { VerifyReport } from '../bundles/VerifyReport.js';
import { ReadinessReportView } from '../readiness/ReadinessView.js';
import { ReviewPanel } from '../readiness/ReviewPanel.js';
import { archiveFileName, verdictBadge } from './display.js';
import { ArchiveWriteStatus, PendingReviews, writeState } from './ArchiveWrite.js';
import './archives.css';

const TAB_PREFIX = 'archive';

export function ArchivePage({ route, headingRef }: { route: ArchiveRoute; headingRef?: Ref<HTMLHeadingElement> }) {
  const load = useAppStore((s) => s.loadArchive);
  const show = useAppStore((s) => s.showArchive);
  const archive = useAppStore(selectShownArchive);
  const loading = useAppStore((s) => s.archiveStatus === 'loading');
  const error = useAppStore((s) => s.archiveError);
  const { id } = route;

  useEffect(() => {
    void load(id);
  }, [load, id]);

  const back = <BackLink href={BUNDLES_HREF} label="Bundles" />;
  if (!archive) {
    return (
      <>
        {back}
        <DetailHeader name={`Archive ${id}`} headingRef={headingRef} loading={loading} />
        <DetailPending name="the archive" noun="archive" error={error} onRetry={() => void load(id)} />
      </>
    );
  }

  const tabs: TabDef<ArchiveTab>[] = [
    { id: 'review', label: 'Readiness & review' },
    { id: 'verification', label: 'Verification' },
  ];
  const verdict = verdictBadge(archive);
  return (
    <>
      {back}
      <DetailHeader
        name={`${archive.name} v${archive.version}`}
        headingRef={headingRef}
        loading={loading}
        badges={
          <>
            <Badge tone="info">exported archive</Badge>
            <span className="archive-verdict-badge" data-ready={archive.ready}>
              <Badge tone={verdict.tone}>{verdict.label}</Badge>
            </span>
          </>
        }
        facts={<ArchiveFacts archive={archive} />}
      />
      {error && <LoadProblem error={error} title="Could not refresh the archive" onRetry={() => void load(id)} />}
      {archive.staleDocuments.length > 0 && <StaleDocuments files={archive.staleDocuments} />}
      <div className="panel detail-tabs">
        <TabList label={`${archive.name} v${archive.version} sections`} idPrefix={TAB_PREFIX} tabs={tabs} selected={route.tab} onSelect={(tab) => show(archiveRoute(id, tab))} />
        <TabPanel idPrefix={TAB_PREFIX} id={route.tab} className={`tab-panel--bundle tab-panel--archive-${route.tab}`}>
          {route.tab === 'review' ?
            <ArchiveReview archive={archive} />
          : <Panel headingId="archive-verification-heading" title="Verification" note="as found when the archive was opened, or last written">
              <div className="bundle-panel__body">
                <VerifyReport result={archive.verify} />
              </div>
            </Panel>
          }
        </TabPanel>
      </div>
    </>
  );
}

/** Where the archive is, its hash, that it verified, and when it was opened and written. */
function ArchiveFacts({ archive }: { archive: ReviewArchive }) {
  return (
    <dl className="fact-grid archive-facts">
      <Fact label="Archive" span="full" className="sha-line archive-facts__path">
        <bdi className="mono">{archive.path}</bdi>
        <CopyButton value={archive.path} label="Copy the archive’s path" />
      </Fact>
      <Fact label="SHA-256" className="sha-line">
        <Sha value={archive.sha256} ellipsis />
        <CopyButton value={archive.sha256} label="Copy the archive’s SHA-256" />
      </Fact>
      <Fact label="Verified">
        <span className="archive-verified" data-ok={archive.verify.ok}>
          <OkBadge ok={archive.verify.ok} okText="verified" failText="did not verify" />{' '}
          <a href={archiveHref(archive.id, 'verification')}>Verification details</a>
        </span>
      </Fact>
      <Fact label="Size">
        {formatBytes(archive.bytes)}
        <span className="muted"> · {archive.includesImage ? 'with its image' : 'no image'}</span>
      </Fact>
      <Fact label="Opened">
        <Timestamp value={archive.openedAt} /> <span className="muted">by {archive.openedBy}</span>
      </Fact>
      <Fact label="Reviews written">
        {archive.writtenAt ?
          <Timestamp value={archive.writtenAt} />
        : <span className="muted">not yet</span>}
      </Fact>
    </dl>
  );
}

/** What the author wrote that a review cannot bring up to date. */
function StaleDocuments({ files }: { files: readonly string[] }) {
  return (
    <div className="archive-notice archive-notice--info" data-stale={files.length}>
      <IconInfo size={18} className="archive-notice__icon" />
      <div className="archive-notice__text">
        <p>
          {files.length === 1 ? 'This document stays' : 'These documents stay'} as exported:{' '}
          {files.map((f, i) => (
            <span key={f}>
              {i > 0 && ', '}
              <bdi className="mono">{f}</bdi>
            </span>
          ))}
          .
        </p>
        <p className="small muted">A review cannot bring {files.length === 1 ? 'it' : 'them'} up to date; the reviews file, readiness.json and the HTML report carry every review and the verdict.</p>
      </div>
    </div>
  );
}

/** The readiness as exported with every review merged, read-only; the review form; the write into the archive. */
function ArchiveReview({ archive }: { archive: ReviewArchive }) {
  const user = useAppStore((s) => s.appInfo?.user ?? null);
  const review = useAppStore((s) => s.reviewArchive);
  const write = useAppStore((s) => s.writeArchive);
  const start = useAppStore((s) => selectArchiveWrite(s, archive.id));
  const job = useAppStore((s) => selectArchiveWriteJob(s, archive.id));
  // Where the write now followed was started: under the review form, or from the pending warning above.
  const [from, setFrom] = useState<'review' | 'pending'>('pending');
  const state = start ? writeState(start, job) : null;
  const writing = state === 'starting' || state === 'running';
  const showPending = archive.pendingReviews > 0 && (state === null || (from === 'pending' && !writing && state !== 'failed' && state !== 'cancelled'));
  const fileName = archiveFileName(archive.path);

  const onSubmit = async (request: ReviewRequest): Promise<Result<Review | null>> => {
    const before = from;
    setFrom('review');
    const r = await review(archive.id, request);
    // Refused: nothing was recorded, and any earlier write stays where it was shown.
    if (!r.ok) setFrom(before);
    return r.ok ? { ok: true, value: null } : r;
  };
  const writeAgain = (where: 'review' | 'pending') => {
    setFrom(where);
    void write(archive.id);
  };

  const status = start && <ArchiveWriteStatus start={start} job={job} onWrite={() => writeAgain(from)} />;

  return (
    <ReadinessReportView
      report={archive.readiness}
      fileHref={null}
      notice={
        <>
          {showPending && <PendingReviews archive={archive} onWrite={() => writeAgain('pending')} />}
          {from === 'pending' && !showPending && status}
        </>
      }
      gatesNote="overrides are its author’s"
      review={
        <ReviewPanel
          report={archive.readiness}
          user={user}
          onSubmit={onSubmit}
          blocked={writing ? `Wait for the write into ${fileName} to finish.` : null}
          recordNote={
            <>
              Recorded{user ? ` as ${user}` : ''} in this workspace (and its audit log), then written into <bdi className="nowrap">{fileName}</bdi>: its signed
              reviews file, readiness.json and the report.
            </>
          }
          after={from === 'review' ? status : null}
        />
      }
    />
  );
}
