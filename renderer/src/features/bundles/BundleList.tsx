import { useEffect } from 'react';
import type { BundleStatus, BundleSummary } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { formatBytes, plural } from '../../ui/format.js';
import { IconPackage } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Panel } from '../../ui/Panel.js';
import { LoadingLine, Spinner } from '../../ui/Spinner.js';
import { Table, type TableColumn } from '../../ui/Table.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { modelHref } from '../models/route.js';
import { STATUS_DISPLAY, STRATEGY_DISPLAY } from './display.js';
import { bundleHref, packageHref } from './route.js';

/** Where a bundle stands, in a word with its colour; the sentence on hover. */
export function StatusBadge({ status }: { status: BundleStatus }) {
  const d = STATUS_DISPLAY[status];
  return (
    <span title={d.says} data-status={status} className="bundle-status">
      <Badge tone={d.tone}>{d.label}</Badge>
    </span>
  );
}

const COLUMNS: TableColumn<BundleSummary>[] = [
  {
    key: 'bundle',
    header: 'Bundle',
    rowHeader: true,
    cell: (b) => (
      <a className="bundle-list__link" href={bundleHref(b.name, { version: b.version })}>
        {b.name} <span className="muted">v{b.version}</span>
      </a>
    ),
  },
  { key: 'status', header: 'Status', cell: (b) => <StatusBadge status={b.status} /> },
  {
    key: 'model',
    header: 'Model version',
    cell: (b) => (
      <a href={modelHref(b.model.name, { version: b.model.version })} aria-label={`Model ${b.model.name}, version ${b.model.version}`}>
        {b.model.name} v{b.model.version}
      </a>
    ),
  },
  { key: 'strategy', header: 'Strategy', cell: (b) => STRATEGY_DISPLAY[b.strategy].label },
  { key: 'image', header: 'Image tag', cell: (b) => b.imageTag, cellClassName: 'mono cell-clip' },
  { key: 'created', header: 'Created', cell: (b) => <Timestamp value={b.createdAt} />, cellClassName: 'nowrap' },
  {
    key: 'export',
    header: 'Last export',
    cell: (b) =>
      b.lastExport ?
        <span className="nowrap">
          <Timestamp value={b.lastExport.at} /> <span className="muted">· {formatBytes(b.lastExport.bytes)}</span>
        </span>
      : <span className="muted">—</span>,
  },
];

/** Every bundle of the workspace, newest first, with where it stands; what to do first while there is none. */
export function BundleList() {
  const bundles = useAppStore((s) => s.bundles);
  const status = useAppStore((s) => s.bundlesStatus);
  const error = useAppStore((s) => s.bundlesError);
  const load = useAppStore((s) => s.loadBundles);

  useEffect(() => {
    void load();
  }, [load]);

  if (status === 'ready' && bundles.length === 0 && !error) {
    return (
      <EmptyState
        icon={<IconPackage size={28} />}
        title="No bundles yet"
        actions={
          <a className="btn btn--primary" href={packageHref()}>
            Package a model
          </a>
        }
      >
        <p>
          A bundle packages one registered model version for operations: a Dockerfile and a serving app speaking the Open Inference Protocol, generated
          tests, monitoring hooks, the model card, Compose and Kubernetes files, and a signed manifest. The package wizard writes it, builds its image,
          smoke-tests it and exports it.
        </p>
        <p className="small">
          It starts from a model: register one in <a href="#/models">Models</a> first, or use <strong>Package</strong> on a model’s page.
        </p>
        <p className="small">
          Reviewing a bundle another team exported? Use <strong>Open archive for review</strong> above.
        </p>
      </EmptyState>
    );
  }

  return (
    <Panel
      headingId="bundle-list-heading"
      title="Bundles"
      className="bundle-list"
      note={
        <span aria-live="polite">
          {status === 'loading' && <Spinner />} {status === 'ready' && plural(bundles.length, 'bundle')}
        </span>
      }
    >
      {error && <LoadProblem error={error} title="Could not load the bundles" onRetry={() => void load()} />}
      {bundles.length === 0 ?
        status === 'loading' && <LoadingLine className="panel__empty">Loading the bundles…</LoadingLine>
      : <Table caption="Bundles, newest first" columns={COLUMNS} rows={bundles} rowKey={(b) => `${b.name}@${b.version}`} rowProps={(b) => ({ 'data-status': b.status })} className="bundle-list__table" />}
    </Panel>
  );
}
