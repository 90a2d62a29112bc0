import type { EnvironmentDetail } from '../../../../shared/contract/index.js';
import { selectShownEnvironment, type EnvironmentRoute, type EnvironmentTab } from '../../store/index.js';
import { Badge } from '../../ui/Badge.js';
import { CreatedFact, Fact, PathFact, ShaFact, VersionActions, VersionBadge, VersionFact } from '../../ui/DetailPage.js';
import { Sha } from '../../ui/Sha.js';
import { TabLabel, type TabDef } from '../../ui/Tabs.js';
import { latestVersion } from '../../ui/VersionSelect.js';
import { VersionsPanel } from '../../ui/VersionsTable.js';
import { DetailFrame, useEntityDetail, type DetailSource, type EntityPageProps } from '../shared/EntityDetail.js';
import { CompareTab } from './CompareTab.js';
import { SOURCE_LABELS } from './display.js';
import { PackagesTab } from './PackagesTab.js';
import { UsedByTab } from './UsedByTab.js';

export type EnvironmentPageProps = EntityPageProps<EnvironmentDetail, EnvironmentRoute>;

const ENVIRONMENT_PAGE: DetailSource<EnvironmentDetail, EnvironmentRoute> = {
  noun: 'environment', listHref: '#/environments', listLabel: 'Environments',
  load: (s) => s.loadEnvironment, show: (s) => s.showEnvironment, detail: selectShownEnvironment, status: (s) => s.environmentStatus, error: (s) => s.environmentError,
};

type Version = EnvironmentDetail['versions'][number];
const VERSION_COLUMNS = [
  { key: 'source', header: 'Source', cell: (v: Version) => SOURCE_LABELS[v.source] },
  { key: 'python', header: 'Python', cell: (v: Version) => v.python?.version ?? v.pythonRequires ?? '—' },
  { key: 'sha', header: 'Packages SHA-256', cell: (v: Version) => <Sha value={v.sha256} /> },
];

/** One environment version: its interpreter, packages, the models that use it, versions and a comparison. */
export function EnvironmentPage({ route, headingRef, onRegisterVersion, registrations }: EnvironmentPageProps) {
  const page = useEntityDetail(ENVIRONMENT_PAGE, { route, headingRef });
  const { detail, go } = page;
  if (!detail) return <DetailFrame page={page} />;

  const mismatched = detail.usedBy.filter((u) => u.mismatches.length > 0).length;
  const tabs: TabDef<EnvironmentTab>[] = [
    { id: 'packages', label: <TabLabel text="Packages" count={detail.version.packages.length} /> },
    { id: 'used-by', label: <TabLabel text="Used by" count={detail.usedBy.length} /> },
    { id: 'versions', label: <TabLabel text="Versions" count={detail.versions.length} /> },
    { id: 'compare', label: 'Compare' },
  ];

  return (
    <DetailFrame
      page={page}
      header={environmentHeaderParts({ detail, mismatched, onVersion: (version) => go({ version, compare: null }), onCaptureVersion: () => onRegisterVersion(detail) })}
      above={registrations}
      tabs={tabs}
      panelClassName={`tab-panel--env tab-panel--env-${route.tab}`}
    >
      {route.tab === 'packages' && <PackagesTab key={`${detail.name}@${detail.version.version}`} detail={detail} />}
      {route.tab === 'used-by' && <UsedByTab detail={detail} />}
      {route.tab === 'versions' && (
        <VersionsPanel
          headingId="env-versions-heading"
          note="A new version is made when the packages change; capturing the same packages again does not make one."
          detail={detail}
          columns={VERSION_COLUMNS}
          onShow={(version) => go({ version: version === latestVersion(detail.versions) ? null : version, tab: 'packages', compare: null })}
        />
      )}
      {route.tab === 'compare' && <CompareTab detail={detail} target={route.compare} onChange={(compare) => go({ compare })} />}
    </DetailFrame>
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
  const py = v.python;
  return {
    badges: (
      <>
        <Badge>{SOURCE_LABELS[v.source]}</Badge>
        <VersionBadge version={v.version} latest={latestVersion(detail.versions)} />
        {mismatched > 0 && <Badge tone="danger">{mismatched === 1 ? '1 model lacks packages' : `${mismatched} models lack packages`}</Badge>}
      </>
    ),
    actions: (
      <VersionActions
        versions={detail.versions}
        shown={v.version}
        onVersion={onVersion}
        onAdd={onCaptureVersion}
        addLabel="Capture again"
        addTitle="Capture the same interpreter or file again; changed packages make a new version"
      />
    ),
    facts: (
      <dl className="fact-grid env-facts">
        <Fact label="Python">{py ? `${py.implementation} ${py.version}` : (v.pythonRequires ?? <span className="muted">not pinned</span>)}</Fact>
        <Fact label="Packages">{v.packages.length}</Fact>
        {py && <Fact label="Machine">{py.machine}</Fact>}
        <VersionFact version={v.version} versions={detail.versions} />
        <CreatedFact label="Captured" at={v.createdAt} by={v.createdBy} />
        <ShaFact label="Packages SHA-256" value={v.sha256} />
        {py && (
          <Fact label="Platform" span="full" className="mono">
            {py.platform}
          </Fact>
        )}
        {py && py.executable !== v.path && <PathFact label="Executable" path={py.executable} />}
        <PathFact label={v.source === 'interpreter' ? 'Interpreter' : 'Requirement file'} path={v.path} />
        {py && v.pythonRequires && (
          <Fact label="Requires Python" span="full" className="mono">
            {v.pythonRequires}
          </Fact>
        )}
      </dl>
    ),
  };
}
