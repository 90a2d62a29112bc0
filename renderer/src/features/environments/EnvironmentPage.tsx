import { useEffect, type ReactNode, type Ref } from 'react';
import type { EnvironmentDetail } from '../../../../shared/contract/index.js';
import { selectShownEnvironment, type EnvironmentRoute, type EnvironmentTab } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { BackLink, DetailHeader, DetailPending } from '../../ui/DetailPage.js';
import { IconPlus } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Sha } from '../../ui/Sha.js';
import { TabLabel, TabList, TabPanel, type TabDef } from '../../ui/Tabs.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { latestVersion, VersionSelect } from '../../ui/VersionSelect.js';
import { VersionsTable } from '../../ui/VersionsTable.js';
import { CompareTab } from './CompareTab.js';
import { SOURCE_LABELS } from './display.js';
import { PackagesTab } from './PackagesTab.js';
import { UsedByTab } from './UsedByTab.js';

export interface EnvironmentPageProps {
  route: EnvironmentRoute;
  headingRef?: Ref<HTMLHeadingElement>;
  onCaptureVersion: (detail: EnvironmentDetail) => void;
  /** Captures in progress, shown under the header. */
  captures?: ReactNode;
}

const TAB_PREFIX = 'environment';

type Version = EnvironmentDetail['versions'][number];
const VERSION_COLUMNS = [
  { key: 'source', header: 'Source', cell: (v: Version) => SOURCE_LABELS[v.source] },
  { key: 'python', header: 'Python', cell: (v: Version) => v.python?.version ?? v.pythonRequires ?? '—' },
  { key: 'sha', header: 'Packages SHA-256', cell: (v: Version) => <Sha value={v.sha256} /> },
];

/** One environment version: its interpreter, packages, the models that use it, versions and a comparison. */
export function EnvironmentPage({ route, headingRef, onCaptureVersion, captures }: EnvironmentPageProps) {
  const loadEnvironment = useAppStore((s) => s.loadEnvironment);
  const showEnvironment = useAppStore((s) => s.showEnvironment);
  const detail = useAppStore(selectShownEnvironment);
  const status = useAppStore((s) => s.environmentStatus);
  const error = useAppStore((s) => s.environmentError);

  useEffect(() => {
    void loadEnvironment(route.name, route.version);
  }, [route.name, route.version, loadEnvironment]);

  const go = (over: Partial<EnvironmentRoute>) => showEnvironment({ ...route, ...over });
  const back = <BackLink href="#/environments" label="Environments" />;

  if (!detail) {
    return (
      <>
        {back}
        <DetailHeader name={route.name} headingRef={headingRef} loading={status === 'loading'} />
        <DetailPending name={route.name} noun="environment" error={error} onRetry={() => void loadEnvironment(route.name, route.version)} />
      </>
    );
  }

  const mismatched = detail.usedBy.filter((u) => u.mismatches.length > 0).length;
  const tabs: TabDef<EnvironmentTab>[] = [
    { id: 'packages', label: <TabLabel text="Packages" count={detail.version.packages.length} /> },
    { id: 'used-by', label: <TabLabel text="Used by" count={detail.usedBy.length} /> },
    { id: 'versions', label: <TabLabel text="Versions" count={detail.versions.length} /> },
    { id: 'compare', label: 'Compare' },
  ];

  return (
    <>
      {back}
      <DetailHeader
        name={detail.name}
        headingRef={headingRef}
        loading={status === 'loading'}
        {...environmentHeaderParts({ detail, mismatched, onVersion: (version) => go({ version, compare: null }), onCaptureVersion: () => onCaptureVersion(detail) })}
      />
      {error && <LoadProblem error={error} title="Could not refresh the environment" onRetry={() => void loadEnvironment(route.name, route.version)} />}
      {captures}
      <div className="panel detail-tabs">
        <TabList label={`${detail.name} sections`} idPrefix={TAB_PREFIX} tabs={tabs} selected={route.tab} onSelect={(tab) => go({ tab })} />
        <TabPanel idPrefix={TAB_PREFIX} id={route.tab} className={`tab-panel--env tab-panel--env-${route.tab}`}>
          {route.tab === 'packages' && <PackagesTab key={`${detail.name}@${detail.version.version}`} detail={detail} />}
          {route.tab === 'used-by' && <UsedByTab detail={detail} />}
          {route.tab === 'versions' && (
            <section className="panel" aria-labelledby="env-versions-heading">
              <div className="panel__head">
                <h2 id="env-versions-heading" className="panel__title">
                  Versions
                </h2>
                <span className="muted small">A new version is made when the packages change; capturing the same packages again does not make one.</span>
              </div>
              <VersionsTable
                caption={`Versions of ${detail.name}`}
                versions={detail.versions}
                shown={detail.version.version}
                columns={VERSION_COLUMNS}
                onShow={(version) => go({ version: version === latestVersion(detail.versions) ? null : version, tab: 'packages', compare: null })}
              />
            </section>
          )}
          {route.tab === 'compare' && <CompareTab detail={detail} target={route.compare} onChange={(compare) => go({ compare })} />}
        </TabPanel>
      </div>
    </>
  );
}

/** What an environment's <DetailHeader> shows beside and below its title: the interpreter's facts. */
function environmentHeaderParts({
  detail,
  mismatched,
  onVersion,
  onCaptureVersion,
}: {
  detail: EnvironmentDetail;
  mismatched: number;
  onVersion: (version: number | null) => void;
  onCaptureVersion: () => void;
}) {
  const v = detail.version;
  const latest = latestVersion(detail.versions);
  const py = v.python;
  return {
    badges: (
      <>
        <Badge>{SOURCE_LABELS[v.source]}</Badge>
        {v.version === latest ? <Badge tone="info">latest</Badge> : <Badge tone="warning">older version</Badge>}
        {mismatched > 0 && <Badge tone="danger">{mismatched === 1 ? '1 model lacks packages' : `${mismatched} models lack packages`}</Badge>}
      </>
    ),
    actions: (
      <>
        <VersionSelect versions={detail.versions} shown={v.version} onChange={onVersion} />
        <Button size="sm" onClick={onCaptureVersion} title="Capture the same interpreter or file again; changed packages make a new version">
          <IconPlus />
          Capture again
        </Button>
      </>
    ),
    facts: (
      <dl className="fact-grid env-facts">
        <div className="fact">
          <dt>Python</dt>
          <dd>{py ? `${py.implementation} ${py.version}` : (v.pythonRequires ?? <span className="muted">not pinned</span>)}</dd>
        </div>
        <div className="fact">
          <dt>Packages</dt>
          <dd>{v.packages.length}</dd>
        </div>
        {py && (
          <div className="fact">
            <dt>Machine</dt>
            <dd>{py.machine}</dd>
          </div>
        )}
        <div className="fact">
          <dt>Version</dt>
          <dd>
            {v.version} of {latest}
          </dd>
        </div>
        <div className="fact">
          <dt>Captured</dt>
          <dd>
            <Timestamp value={v.createdAt} /> <span className="muted">by {v.createdBy}</span>
          </dd>
        </div>
        <div className="fact fact--wide">
          <dt>Packages SHA-256</dt>
          <dd className="sha-line">
            <Sha value={v.sha256} ellipsis />
            <CopyButton value={v.sha256} label="Copy the SHA-256" />
          </dd>
        </div>
        {py && (
          <div className="fact fact--full">
            <dt>Platform</dt>
            <dd className="mono">{py.platform}</dd>
          </div>
        )}
        {py && py.executable !== v.path && (
          <div className="fact fact--full">
            <dt>Executable</dt>
            <dd className="mono path-start-ellipsis" title={py.executable}>
              <bdi>{py.executable}</bdi>
            </dd>
          </div>
        )}
        <div className="fact fact--full">
          <dt>{v.source === 'interpreter' ? 'Interpreter' : 'Requirement file'}</dt>
          <dd className="mono path-start-ellipsis" title={v.path}>
            <bdi>{v.path}</bdi>
          </dd>
        </div>
        {py && v.pythonRequires && (
          <div className="fact fact--full">
            <dt>Requires Python</dt>
            <dd className="mono">{v.pythonRequires}</dd>
          </div>
        )}
      </dl>
    ),
  };
}
