import type { Ref } from 'react';
import type { BundleDetail } from '../../../../shared/contract/index.js';
import { selectShownBundle, type BundleRoute, type BundleTab } from '../../store/index.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { CreatedFact, Fact, PathFact } from '../../ui/DetailPage.js';
import { formatBytes, formatDuration } from '../../ui/format.js';
import { IconPackage } from '../../ui/icons.js';
import { Panel } from '../../ui/Panel.js';
import { TabLabel, type TabDef } from '../../ui/Tabs.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { modelHref } from '../models/route.js';
import { ReadinessSummary } from '../readiness/ReadinessSummary.js';
import { ReadinessView } from '../readiness/ReadinessView.js';
import { DetailFrame, useEntityDetail, type DetailSource } from '../shared/EntityDetail.js';
import { StatusBadge } from './BundleList.js';
import { BuildPanel } from './BuildPanel.js';
import { STATUS_DISPLAY, STRATEGY_DISPLAY, shortImageId } from './display.js';
import { ArchiveFacts, ExportPanel } from './ExportPanel.js';
import { FileViewer } from './FileViewer.js';
import { packageHref } from './route.js';
import { SmokePanel } from './SmokePanel.js';

const BUNDLE_PAGE: DetailSource<BundleDetail, BundleRoute> = {
  noun: 'bundle', listHref: '#/bundles', listLabel: 'Bundles',
  load: (s) => s.loadBundle, show: (s) => s.showBundle, detail: selectShownBundle, status: (s) => s.bundleStatus, error: (s) => s.bundleError,
};

/** What to do next, from where the bundle stands. */
const NEXT: Record<BundleDetail['status'], { tab: BundleTab; label: string; why: string }> = {
  written: { tab: 'build', label: 'Build the image', why: 'Next: build its image through the container engine.' },
  'build-failed': { tab: 'build', label: 'See the failed build', why: 'Its error and log say at which step it stopped and what to do.' },
  built: { tab: 'smoke', label: 'Run the smoke test', why: 'Next: check that the image serves the golden predictions.' },
  'smoke-failed': { tab: 'smoke', label: 'See the failed checks', why: 'Each check says what it found; the container’s log is kept.' },
  tested: { tab: 'readiness', label: 'Review its readiness', why: 'Next: read the readiness checklist, attest what was done by hand, have it reviewed, then export.' },
};

/** One bundle: overview, files, build, smoke test, readiness, export and verify. */
export function BundlePage({ route, headingRef }: { route: BundleRoute; headingRef?: Ref<HTMLHeadingElement> }) {
  const page = useEntityDetail(BUNDLE_PAGE, { route, headingRef });
  const { detail, go } = page;
  if (!detail) return <DetailFrame page={page} />;

  const tabs: TabDef<BundleTab>[] = [
    { id: 'overview', label: 'Overview' },
    { id: 'files', label: <TabLabel text="Files" count={detail.files.length} /> },
    { id: 'build', label: 'Build' },
    { id: 'smoke', label: 'Smoke test' },
    { id: 'readiness', label: 'Readiness' },
    { id: 'export', label: 'Export & verify' },
  ];

  return (
    <DetailFrame
      page={page}
      header={{
        badges: (
          <>
            <Badge>v{detail.version}</Badge>
            <StatusBadge status={detail.status} />
          </>
        ),
        actions: (
          <a className="btn btn--sm" href={packageHref(detail.model.name, detail.model.version)} title="Open the package wizard for this model version (writing again replaces this bundle)">
            <IconPackage /> Package again
          </a>
        ),
        facts: (
          <dl className="fact-grid bundle-header-facts">
            <Fact label="Model">
              <a href={modelHref(detail.model.name, { version: detail.model.version })}>
                {detail.model.name} v{detail.model.version}
              </a>
            </Fact>
            <Fact label="Strategy">{STRATEGY_DISPLAY[detail.strategy].label}</Fact>
            <Fact label="Base image" className="mono">
              {detail.baseImage}
            </Fact>
            <Fact label="Image tag" className="mono">
              {detail.imageTag}
            </Fact>
            <CreatedFact label="Written" at={detail.createdAt} by={detail.createdBy} />
            <PathFact label="Folder" path={detail.path} />
          </dl>
        ),
      }}
      tabs={tabs}
      tabListClassName="bundle-tabs"
      panelClassName={`tab-panel--bundle tab-panel--bundle-${route.tab}`}
    >
      {route.tab === 'overview' && <Overview detail={detail} onGo={(tab) => go({ tab })} />}
      {route.tab === 'files' && (
        <FileViewer name={detail.name} version={detail.version} files={detail.files} manifestSha256={detail.manifestSha256} selectedPath={route.file} onSelect={(file) => go({ file })} />
      )}
      {route.tab === 'build' && <BuildPanel detail={detail} />}
      {route.tab === 'smoke' && <SmokePanel detail={detail} />}
      {route.tab === 'readiness' && <ReadinessView detail={detail} />}
      {route.tab === 'export' && <ExportPanel detail={detail} />}
    </DetailFrame>
  );
}

/** Where the bundle stands and what was last done with it. */
function Overview({ detail, onGo }: { detail: BundleDetail; onGo: (tab: BundleTab) => void }) {
  const next = NEXT[detail.status];
  const build = detail.lastBuild;
  const smoke = detail.lastSmokeTest;
  return (
    <div className="bundle-stack">
      <div className={`bundle-next bundle-next--${STATUS_DISPLAY[detail.status].tone}`}>
        <div>
          <p className="bundle-next__status">
            <StatusBadge status={detail.status} /> {STATUS_DISPLAY[detail.status].says}
          </p>
          <p className="small muted">{next.why}</p>
        </div>
        <Button size="sm" variant={detail.status === 'tested' ? 'secondary' : 'primary'} onClick={() => onGo(next.tab)}>
          {next.label}
        </Button>
      </div>

      <Panel headingId="bundle-overview-heading" title="Where it stands">
        <dl className="bundle-kv bundle-overview">
          <div>
            <dt>Image</dt>
            <dd>
              {detail.image ?
                <>
                  <code className="sha" title={detail.image.id}>
                    {shortImageId(detail.image.id)}
                  </code>{' '}
                  <span className="muted">
                    {detail.image.bytes !== null ? formatBytes(detail.image.bytes) : ''} · built <Timestamp value={detail.image.builtAt} />
                  </span>
                </>
              : <span className="muted">not built</span>}
            </dd>
          </div>
          <div>
            <dt>Last build</dt>
            <dd>
              {build ?
                <>
                  <Badge tone={build.state === 'succeeded' ? 'success' : 'danger'}>{build.state}</Badge> <Timestamp value={build.at} />
                  {build.durationMs !== null && <span className="muted"> · {formatDuration(build.durationMs)}</span>}
                </>
              : <span className="muted">none</span>}
            </dd>
          </div>
          <div>
            <dt>Last smoke test</dt>
            <dd>
              {smoke ?
                <>
                  <Badge tone={smoke.passed ? 'success' : 'danger'}>{smoke.passed ? 'passed' : 'failed'}</Badge> <Timestamp value={smoke.startedAt} />
                  <span className="muted">
                    {' '}
                    · {Math.min(smoke.parity.predict.matched, smoke.parity.v2.matched)}/{smoke.parity.examples} golden examples matched
                    {smoke.latencyMs.p50 !== null && ` · p50 ${Math.round(smoke.latencyMs.p50 * 10) / 10} ms`}
                  </span>
                </>
              : <span className="muted">none</span>}
            </dd>
          </div>
          <div>
            <dt>Last export</dt>
            <dd>
              {detail.lastExport ?
                <>
                  <Timestamp value={detail.lastExport.at} /> <span className="muted">· {formatBytes(detail.lastExport.bytes)}</span>
                  {detail.lastExport.includesImage && <span className="muted"> · with the image</span>}
                </>
              : <span className="muted">not exported</span>}
            </dd>
          </div>
          <div>
            <dt>Signature</dt>
            <dd className="sha-line">
              <code className="sha bundle-overview__fingerprint" title="The fingerprint of the workspace’s signing key">
                {detail.signatureFingerprint}
              </code>
              <CopyButton value={detail.signatureFingerprint} label="Copy the key fingerprint" />
            </dd>
          </div>
          <div>
            <dt>Manifest</dt>
            <dd className="sha-line">
              <code className="sha" title={detail.manifestSha256}>
                {detail.manifestSha256.slice(0, 12)}…
              </code>
              <CopyButton value={detail.manifestSha256} label="Copy the manifest’s SHA-256" />
            </dd>
          </div>
        </dl>
      </Panel>

      <ReadinessSummary detail={detail} />

      {detail.lastExport && (
        <Panel headingId="bundle-overview-export-heading" title="Last export">
          <div className="bundle-panel__body">
            <ArchiveFacts archive={detail.lastExport} />
          </div>
        </Panel>
      )}
    </div>
  );
}
