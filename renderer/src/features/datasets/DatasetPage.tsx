import { useEffect, type ReactNode, type Ref } from 'react';
import type { DatasetDetail } from '../../../../shared/contract/index.js';
import { selectShownDataset, type DatasetRoute, type DatasetTab } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { formatBytes, formatCount } from '../../ui/format.js';
import { BackLink, DetailHeader, DetailPending } from '../../ui/DetailPage.js';
import { IconPlus } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Sha } from '../../ui/Sha.js';
import { TabLabel, TabList, TabPanel, type TabDef } from '../../ui/Tabs.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { latestVersion, VersionSelect } from '../../ui/VersionSelect.js';
import { ColumnsTab } from './ColumnsTab.js';
import { CompareTab } from './CompareTab.js';
import { DatasheetTab } from './DatasheetTab.js';
import { FORMAT_LABELS } from './display.js';
import { ReadByNotebooks } from './ReadByNotebooks.js';
import { SampleTab } from './SampleTab.js';
import { VersionsTab } from './VersionsTab.js';

export interface DatasetPageProps {
  route: DatasetRoute;
  headingRef?: Ref<HTMLHeadingElement>;
  onRegisterVersion: (detail: DatasetDetail) => void;
  /** Registrations in progress, shown under the header. */
  registrations?: ReactNode;
}

const TAB_PREFIX = 'dataset';

/** One dataset: its header facts, then Columns, Sample, Datasheet, Versions and Compare. */
export function DatasetPage({ route, headingRef, onRegisterVersion, registrations }: DatasetPageProps) {
  const loadDataset = useAppStore((s) => s.loadDataset);
  const showDataset = useAppStore((s) => s.showDataset);
  const detail = useAppStore(selectShownDataset);
  const status = useAppStore((s) => s.datasetStatus);
  const error = useAppStore((s) => s.datasetError);

  useEffect(() => {
    void loadDataset(route.name, route.version);
  }, [route.name, route.version, loadDataset]);

  const go = (over: Partial<DatasetRoute>) => showDataset({ ...route, ...over });

  const back = <BackLink href="#/datasets" label="Datasets" />;

  if (!detail) {
    return (
      <>
        {back}
        <DetailHeader name={route.name} headingRef={headingRef} loading={status === 'loading'} />
        <DetailPending
          name={route.name}
          noun="dataset"
          error={error}
          onRetry={() => void loadDataset(route.name, route.version)}
        />
      </>
    );
  }

  const tabs: TabDef<DatasetTab>[] = [
    { id: 'columns', label: <TabLabel text="Columns" count={detail.columns.length} /> },
    { id: 'sample', label: 'Sample' },
    { id: 'datasheet', label: 'Datasheet' },
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
        {...datasetHeaderParts({
          detail,
          onVersion: (version) => go({ version, column: null }),
          onRegisterVersion: () => onRegisterVersion(detail),
        })}
      />
      {error && (
        <LoadProblem error={error} title="Could not refresh the dataset" onRetry={() => void loadDataset(route.name, route.version)} />
      )}
      {registrations}
      <ReadByNotebooks links={detail.links} />
      <div className="panel detail-tabs">
        <TabList label={`${detail.name} sections`} idPrefix={TAB_PREFIX} tabs={tabs} selected={route.tab} onSelect={(tab) => go({ tab })} />
        <TabPanel idPrefix={TAB_PREFIX} id={route.tab} className={`tab-panel--${route.tab}`}>
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
        </TabPanel>
      </div>
    </>
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
  const latest = latestVersion(detail.versions);
  return {
    badges: (
      <>
        <Badge>{FORMAT_LABELS[v.format]}</Badge>
        {v.version === latest ? <Badge tone="info">latest</Badge> : <Badge tone="warning">older version</Badge>}
      </>
    ),
    actions: (
      <>
        <VersionSelect versions={detail.versions} shown={v.version} onChange={onVersion} />
        <Button size="sm" onClick={onRegisterVersion} title="Register a changed file under this name">
          <IconPlus />
          New version
        </Button>
      </>
    ),
    facts: (
      <dl className="fact-grid">
        <div className="fact">
          <dt>Rows</dt>
          <dd>{formatCount(v.rows)}</dd>
        </div>
        <div className="fact">
          <dt>Columns</dt>
          <dd>{v.columnCount}</dd>
        </div>
        <div className="fact">
          <dt>Size</dt>
          <dd>{formatBytes(v.bytes)}</dd>
        </div>
        <div className="fact">
          <dt>Version</dt>
          <dd>
            {v.version} of {latest}
          </dd>
        </div>
        <div className="fact">
          <dt>Registered</dt>
          <dd>
            <Timestamp value={v.createdAt} />{' '}
            <span className="muted">by {v.createdBy}</span>
          </dd>
        </div>
        <div className="fact fact--wide">
          <dt>SHA-256</dt>
          <dd className="sha-line">
            <Sha value={v.sha256} ellipsis />
            <CopyButton value={v.sha256} label="Copy the SHA-256" />
          </dd>
        </div>
        <div className="fact fact--full">
          <dt>Source</dt>
          <dd className="mono path-start-ellipsis" title={v.sourcePath}>
            <bdi>{v.sourcePath}</bdi>
            {v.files.length > 1 && <span className="muted"> ({v.files.length} files)</span>}
          </dd>
        </div>
        <div className="fact fact--full">
          <dt>Snapshot</dt>
          <dd className="snapshot-line">
            {v.snapshot === 'copy' ? <Badge tone="success">copy in the workspace</Badge> : <Badge tone="warning">reference only</Badge>}
            <span className="muted small">
              {v.snapshotNote ??
                (v.snapshot === 'copy'
                  ? 'The bytes are kept in the workspace; this version stays readable if the file changes.'
                  : 'Only the path and hash are kept; if the file changes, this version can no longer be read.')}
            </span>
          </dd>
        </div>
      </dl>
    ),
  };
}
