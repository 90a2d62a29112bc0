import type { ModelDetail } from '../../../../shared/contract/index.js';
import { formatNumber } from '../../ui/format.js';
import { Panel } from '../../ui/Panel.js';
import type { TableColumn } from '../../ui/Table.js';
import { VirtualTable } from '../../ui/VirtualTable.js';
import { datasetHref } from '../datasets/route.js';
import { formatValue } from './display.js';

type Row = { index: number; values: unknown[] };

/** The golden examples: rows sampled from the training data with the predictions the analyst's environment made. */
export function ExamplesTab({ detail }: { detail: ModelDetail }) {
  const g = detail.golden;
  const rows: Row[] = g.rows.map((values, index) => ({ index, values }));
  const columns: TableColumn<Row>[] = [
    { key: '#', header: '#', className: 'num muted', cell: (r) => r.index + 1 },
    ...g.columns.map((c, i) => ({ key: `c-${c}`, header: c, className: 'mono', cell: (r: Row) => formatValue(r.values[i]) })),
    { key: 'prediction', header: 'Prediction', className: 'mono golden__prediction', cell: (r: Row) => formatValue(g.predictions[r.index]) },
    ...(g.probabilities && g.classes ?
      g.classes.map((cls, k) => ({
        key: `p-${String(cls)}`,
        header: `P(${formatValue(cls)})`,
        className: 'num golden__probability',
        cell: (r: Row) => {
          const p = g.probabilities?.[r.index]?.[k];
          return p === undefined ? '—' : formatNumber(p);
        },
      }))
    : []),
  ];
  const libraries = Object.entries(g.libraryVersions);
  return (
    <div className="model-stack">
      <p className="golden-meta">
        {g.count} row{g.count === 1 ? '' : 's'} sampled with seed <code>{g.seed}</code> from{' '}
        <a href={datasetHref(g.dataset.name, { version: g.dataset.version })}>
          {g.dataset.name} v{g.dataset.version}
        </a>
        . The bundle's tests check that the image predicts the same.
      </p>
      <p className="golden-meta muted small">
        Computed with {libraries.length === 0 ? 'unknown library versions' : libraries.map(([k, v]) => `${k} ${v}`).join(' · ')}
      </p>
      <Panel headingId="golden-heading" title="Golden examples">
        {rows.length === 0 ?
          <p className="panel__empty muted">No examples were recorded.</p>
        : <VirtualTable caption="Golden examples and predictions" columns={columns} rows={rows} rowKey={(r) => String(r.index)} className="golden-table" threshold={40} />}
      </Panel>
    </div>
  );
}
