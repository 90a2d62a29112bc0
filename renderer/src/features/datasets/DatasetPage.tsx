import type { DatasetDetail } from '../../../../shared/contract/index.js';
import { selectShownDataset, type DatasetRoute, type DatasetTab } from '../../store/index.js';
import { Badge } from '../../ui/Badge.js';
import { CreatedFact, Fact, PathFact, ShaFact, VersionActions, VersionBadge, VersionFact } from '../../ui/DetailPage.js';
import { formatBytes, formatCount } from '../../ui/format.js';
import { TabLabel, type TabDef } from '../../ui/Tabs.js';
import { latestVersion } from '../../ui/VersionSelect.js';
import { DetailFrame, useEntityDetail, type DetailSource, type EntityPageProps } from '../shared/EntityDetail.js';
import { ColumnsTab } from './ColumnsTab.js';
import { CompareTab } from './CompareTab.js';
import { DatasheetTab } from './DatasheetTab.js';
import { FORMAT_LABELS } from './display.js';
import { ReadByNotebooks } from './ReadByNotebooks.js';
import { SampleTab } from './SampleTab.js';
import { VersionsTab } from './VersionsTab.js';

export type DatasetPageProps = EntityPageProps<DatasetDetail, DatasetRoute>;

const DATASET_PAGE: DetailSource<DatasetDetail, DatasetRoute> = {
  noun: 'dataset', listHref: '#/datasets', listLabel: 'Datasets',
  load: (s) => s.loadDataset, show: (s) => s.showDataset, detail: selectShownDataset, status: (s) => s.datasetStatus, error: (s) => s.datasetError,
};

/** One dataset: its header facts, then Columns, Sample, Datasheet, Versions and Compare. */
export function DatasetPage({ route, headingRef, onRegisterVersion, registrations }: DatasetPageProps) {
  const page = useEntityDetail(DATASET_PAGE, { route, headingRef });
  const { detail, go } = page;
  if (!detail) return <DetailFrame page={page} />;

  const tabs: TabDef<DatasetTab>[] = [
    { id: 'columns', label: <TabLabel text="Columns" count={detail.columns.length} /> },
    { id: 'sample', label: 'Sample' },
    { id: 'datasheet', label: 'Datasheet' },
    { id: 'versions', label: <TabLabel text="Versions" count={detail.versions.length} /> },
    { id: 'compare', label: 'Compare' },
  ];

  return (
    <DetailFrame
      page={page}
      header={datasetHeaderParts({ detail, onVersion: (version) => go({ version, column: null }), onRegisterVersion: () => onRegisterVersion(detail) })}
      above={
        <>
          {registrations}
          <ReadByNotebooks links={detail.links} />
        </>
      }
      tabs={tabs}
      panelClassName={`tab-panel--${route.tab}`}
    >
      {route.tab === 'columns' && <ColumnsTab detail={detail} column={route.column} onSelectColumn={(column) => go({ column })} />}
      {route.tab === 'sample' && <SampleTab detail={detail} />}
      {route.tab === 'datasheet' && <DatasheetTab key={detail.name} name={detail.name} datasheet={detail.datasheet} />}
      {route.tab === 'versions' && (
        <VersionsTab
          detail={detail}
          onShow={(version) => go({ version: version === latestVersion(detail.versions) ? null : version, tab: 'columns', column: null })}
          onCompare={(from, to) => go({ tab: 'compare', compare: { from, to } })}
        />
      )}
      {route.tab === 'compare' && <CompareTab detail={detail} pair={route.compare} onChange={(compare) => go({ compare })} />}
    </DetailFrame>
  );
}

/** What a dataset's <DetailHeader> shows beside and below its title. */
function datasetHeaderParts({
  detail,
  onVersion,
  onRegisterVersion,
}: {
  detail: DatasetDetail;
  onVersion: (version: number | null) => void;
  onRegisterVersion: () => void;
}) {
  const v = detail.version;
  return {
    badges: (
      <>
        <Badge>{FORMAT_LABELS[v.format]}</Badge>
        <VersionBadge version={v.version} latest={latestVersion(detail.versions)} />
      </>
    ),
    actions: <VersionActions versions={detail.versions} shown={v.version} onVersion={onVersion} onAdd={onRegisterVersion} addTitle="Register a changed file under this name" />,
    facts: (
      <dl className="fact-grid">
        <Fact label="Rows">{formatCount(v.rows)}</Fact>
        <Fact label="Columns">{v.columnCount}</Fact>
        <Fact label="Size">{formatBytes(v.bytes)}</Fact>
        <VersionFact version={v.version} versions={detail.versions} />
        <CreatedFact at={v.createdAt} by={v.createdBy} />
        <ShaFact value={v.sha256} />
        <PathFact label="Source" path={v.sourcePath}>
          {v.files.length > 1 && <span className="muted"> ({v.files.length} files)</span>}
        </PathFact>
        <Fact label="Snapshot" span="full" className="snapshot-line">
          {v.snapshot === 'copy' ? <Badge tone="success">copy in the workspace</Badge> : <Badge tone="warning">reference only</Badge>}
          <span className="muted small">
            {v.snapshotNote ??
              (v.snapshot === 'copy'
                ? 'The bytes are kept in the workspace; this version stays readable if the file changes.'
                : 'Only the path and hash are kept; if the file changes, this version can no longer be read.')}
          </span>
        </Fact>
      </dl>
    ),
  };
}
