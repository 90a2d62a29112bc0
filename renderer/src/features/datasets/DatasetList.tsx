import type { DatasetSummary } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { formatBytes, formatCount } from '../../ui/format.js';
import { IconTable } from '../../ui/icons.js';
import { CatalogList, CatalogRow, type ListSource } from '../shared/CatalogList.js';
import { FORMAT_LABELS } from './display.js';
import { datasetHref } from './route.js';

const DATASETS: ListSource<DatasetSummary> = {
  items: (s) => s.datasets, status: (s) => s.datasetsStatus, error: (s) => s.datasetsError,
  query: (s) => s.datasetsQuery, setQuery: (s) => s.setDatasetsQuery, load: (s) => s.loadDatasets,
};

/** The search box and the virtualised list of datasets (only the visible rows are in the DOM). */
export function DatasetList() {
  return <CatalogList source={DATASETS} title="Registered datasets" noun="dataset" label="Datasets" row={(d) => <DatasetRow dataset={d} />} />;
}

function DatasetRow({ dataset: d }: { dataset: DatasetSummary }) {
  return (
    <CatalogRow href={datasetHref(d.name)} icon={<IconTable size={18} />} entry={d} path={d.sourcePath}>
      <Badge>{FORMAT_LABELS[d.format]}</Badge>
      <span className="dataset-row__fact">
        {formatCount(d.rows)} <span className="muted">rows</span>
      </span>
      <span className="dataset-row__fact">
        {d.columnCount} <span className="muted">cols</span>
      </span>
      <span className="dataset-row__fact">{formatBytes(d.bytes)}</span>
    </CatalogRow>
  );
}
