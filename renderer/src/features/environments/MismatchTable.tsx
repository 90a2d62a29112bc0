import type { EnvironmentMismatch } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { IconAlert, IconWarning } from '../../ui/icons.js';
import { Table, type TableColumn } from '../../ui/Table.js';
import { MISMATCH_DISPLAY } from './display.js';

const COLUMNS: readonly TableColumn<EnvironmentMismatch>[] = [
  {
    key: 'problem',
    header: 'Problem',
    cellClassName: 'nowrap',
    cell: (m) => (
      <Badge tone={MISMATCH_DISPLAY[m.kind].tone} className="mismatch__badge">
        {m.kind === 'missing-package' ? <IconAlert size={12} /> : <IconWarning size={12} />}
        {MISMATCH_DISPLAY[m.kind].label}
      </Badge>
    ),
  },
  { key: 'package', header: 'Package', rowHeader: true, cellClassName: 'mono', cell: (m) => m.package },
  { key: 'needs', header: 'Needs', cellClassName: 'mono', cell: (m) => m.expected ?? <span className="muted">any version</span> },
  { key: 'has', header: 'Has', cellClassName: 'mono', cell: (m) => m.actual ?? <span className="mismatch__none">not installed</span> },
  {
    key: 'source',
    header: 'Needed by',
    cell: (m) => (
      <>
        <span className="mismatch__source">{m.source}</span>
        <span className="mismatch__message muted small">{m.message}</span>
      </>
    ),
  },
];

/** What a model needs that its environment lacks: missing packages in red, other versions in amber. */
export function MismatchTable({ mismatches, caption }: { mismatches: readonly EnvironmentMismatch[]; caption: string }) {
  return (
    <Table
      caption={caption}
      columns={COLUMNS}
      rows={mismatches}
      rowKey={(m) => `${m.kind}-${m.package}-${m.source}`}
      rowProps={(m) => ({ className: cx('mismatch', `mismatch--${m.kind}`) })}
      className="table--named-rows mismatch-table"
    />
  );
}

/** "2 missing · 1 version differs" as badges; "No mismatches" when it fits. */
export function MismatchCounts({ mismatches }: { mismatches: readonly EnvironmentMismatch[] }) {
  const missing = mismatches.filter((m) => m.kind === 'missing-package').length;
  const differs = mismatches.length - missing;
  if (mismatches.length === 0) return <Badge tone="success">No mismatches</Badge>;
  return (
    <span className="mismatch-counts">
      {missing > 0 && <Badge tone="danger">{missing} missing</Badge>}
      {differs > 0 && <Badge tone="warning">{differs === 1 ? '1 version differs' : `${differs} versions differ`}</Badge>}
    </span>
  );
}
