import type { DatasetSummary } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { formatBytes, formatCount, formatTimestamp, plural } from '../../ui/format.js';
import { IconChevronRight, IconTable } from '../../ui/icons.js';
import { SearchableList } from '../../ui/SearchableList.js';
import { FORMAT_LABELS } from './display.js';
import { datasetHref } from './route.js';

export const DATASET_ROW_HEIGHT = 68;

/** The search box and the virtualised list of datasets (only the visible rows are in the DOM). */
export function DatasetList() {
  const datasets = useAppStore((s) => s.datasets);
  const status = useAppStore((s) => s.datasetsStatus);
  const error = useAppStore((s) => s.datasetsError);
  const query = useAppStore((s) => s.datasetsQuery);
  const setQuery = useAppStore((s) => s.setDatasetsQuery);
  const loadDatasets = useAppStore((s) => s.loadDatasets);
  return (
    <SearchableList
      block="dataset-list"
      rowClass="dataset-row"
      title="Registered datasets"
      noun="dataset"
      label="Datasets"
      items={datasets}
      itemKey={(d) => d.name}
      renderItem={(d) => <DatasetRow dataset={d} />}
      status={status}
      error={error}
      query={query}
      onQuery={setQuery}
      onLoad={loadDatasets}
      virtualRowHeight={DATASET_ROW_HEIGHT}
    />
  );
}

function DatasetRow({ dataset: d }: { dataset: DatasetSummary }) {
  return (
    <a className="dataset-row__link" href={datasetHref(d.name)}>
      <span className="dataset-row__icon" aria-hidden="true">
        <IconTable size={18} />
      </span>
      <span className="dataset-row__text">
        <span className="dataset-row__name">{d.name}</span>
        <span className="dataset-row__path mono path-start-ellipsis" title={d.sourcePath}>
          <bdi>{d.sourcePath}</bdi>
        </span>
      </span>
      <span className="dataset-row__meta">
        <Badge>{FORMAT_LABELS[d.format]}</Badge>
        <span className="dataset-row__fact">
          {formatCount(d.rows)} <span className="muted">rows</span>
        </span>
        <span className="dataset-row__fact">
          {d.columnCount} <span className="muted">cols</span>
        </span>
        <span className="dataset-row__fact">{formatBytes(d.bytes)}</span>
        <span className="dataset-row__fact dataset-row__version" title={plural(d.versions, 'version')}>
          v{d.latestVersion}
        </span>
        <span className="dataset-row__fact dataset-row__date muted">{formatTimestamp(d.updatedAt)}</span>
      </span>
      <IconChevronRight className="dataset-row__chevron" />
    </a>
  );
}
