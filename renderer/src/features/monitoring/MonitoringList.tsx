import { useEffect } from 'react';
import type { MonitoredModel } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { formatCount, plural } from '../../ui/format.js';
import { IconChartLine } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Panel } from '../../ui/Panel.js';
import { LoadingLine, Spinner } from '../../ui/Spinner.js';
import { Table, type TableColumn } from '../../ui/Table.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { baseName, formatShare } from './display.js';
import { monitoringHref } from './route.js';

/** The newest check's verdict in a word. */
export function LatestVerdict({ m }: { m: MonitoredModel }) {
  if (m.error) return <span className="muted" title={m.error.message}>unknown</span>;
  if (!m.latest) return <Badge>never checked</Badge>;
  return <Badge tone={m.latest.drift ? 'danger' : 'success'}>{m.latest.drift ? 'drift' : 'no drift'}</Badge>;
}

const COLUMNS: TableColumn<MonitoredModel>[] = [
  {
    key: 'model',
    header: 'Model',
    rowHeader: true,
    cell: ({ model }) => (
      <a className="monitoring-list__link" href={monitoringHref(model.name)}>
        {model.name} <span className="muted">v{model.latestVersion}</span>
      </a>
    ),
  },
  { key: 'verdict', header: 'Latest verdict', cell: (m) => <LatestVerdict m={m} /> },
  {
    key: 'drifted',
    header: 'Features drifted',
    cell: ({ latest }) =>
      latest ?
        <span title={latest.drifted.join(', ') || undefined}>
          {latest.drifted.length} of {latest.checked} <span className="muted">({formatShare(latest.share)})</span>
          {latest.drifted.length > 0 && <span className="monitoring-list__names muted"> · {latest.drifted.join(', ')}</span>}
        </span>
      : <span className="muted">—</span>,
  },
  {
    key: 'batch',
    header: 'Batch',
    cell: ({ latest }) =>
      latest ?
        <span title={latest.batch.path}>
          {baseName(latest.batch.path)} <span className="muted">· {formatCount(latest.rows)} rows</span>
        </span>
      : <span className="muted">—</span>,
    cellClassName: 'cell-clip',
  },
  { key: 'when', header: 'Checked', cell: ({ latest }) => (latest ? <Timestamp value={latest.checkedAt} /> : <span className="muted">—</span>), cellClassName: 'nowrap' },
];

/** Every model of the workspace with its newest drift check. */
export function MonitoringList() {
  const models = useAppStore((s) => s.monitoredModels);
  const status = useAppStore((s) => s.monitoredModelsStatus);
  const error = useAppStore((s) => s.monitoredModelsError);
  const load = useAppStore((s) => s.loadMonitoredModels);

  useEffect(() => {
    void load();
  }, [load]);

  if (status === 'ready' && models.length === 0 && !error) {
    return (
      <EmptyState
        icon={<IconChartLine size={28} />}
        title="No models to monitor yet"
        actions={
          <a className="btn btn--primary" href="#/models">
            Go to Models
          </a>
        }
      >
        <p>
          A drift check compares a batch of production inputs (a CSV, JSON Lines or Parquet file, or the serving container’s prediction log) with the data a model
          was trained on, feature by feature, and says whether the model still sees the world it learned.
        </p>
        <p className="small">Register a model with its training dataset first.</p>
      </EmptyState>
    );
  }

  const drifting = models.filter((m) => m.latest?.drift).length;
  return (
    <Panel
      headingId="monitoring-list-heading"
      title="Models"
      className="monitoring-list"
      note={
        <span aria-live="polite">
          {status === 'loading' && <Spinner />}{' '}
          {status === 'ready' && `${plural(models.length, 'model')}${drifting > 0 ? `, ${drifting} drifting` : ''}`}
        </span>
      }
    >
      {error && <LoadProblem error={error} title="Could not load the models" onRetry={() => void load()} />}
      {models.length === 0 ?
        status === 'loading' && <LoadingLine className="panel__empty">Loading the models…</LoadingLine>
      : <Table
          caption="Models and their latest drift check"
          columns={COLUMNS}
          rows={models}
          rowKey={(m) => m.model.name}
          rowProps={(m) => ({ 'data-model': m.model.name, 'data-verdict': m.latest ? (m.latest.drift ? 'drift' : 'no-drift') : 'none' })}
          className="table--named-rows monitoring-list__table"
        />
      }
    </Panel>
  );
}
