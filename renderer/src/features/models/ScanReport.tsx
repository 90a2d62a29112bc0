import type { ModelVersion, ScanFinding, ScanGlobal, ScanResult } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { formatBytes } from '../../ui/format.js';
import { IconAlert, IconCheck, IconShieldCheck, IconX } from '../../ui/icons.js';
import { Panel } from '../../ui/Panel.js';
import { Sha } from '../../ui/Sha.js';
import { Table, type TableColumn } from '../../ui/Table.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { globalName, scanSummary, SEVERITY_TONES, severityCounts } from './display.js';

/** Safe or unsafe, in words and colour, with the counts by severity. */
export function ScanVerdict({ scan, override }: { scan: ScanResult; override?: ModelVersion['scanOverride'] }) {
  const counts = severityCounts(scan);
  return (
    <div className={cx('scan-verdict', scan.safe ? 'scan-verdict--safe' : 'scan-verdict--unsafe')} data-verdict={scan.safe ? 'safe' : 'unsafe'}>
      {scan.safe ? <IconShieldCheck className="scan-verdict__icon" size={22} /> : <IconAlert className="scan-verdict__icon" size={22} />}
      <div className="scan-verdict__body">
        <p className="scan-verdict__title">
          {scan.safe ? 'Safe' : 'Unsafe'}
          <span className="scan-verdict__what">
            {scan.safe ? ': the file imports only allowlisted code when it loads.' : ': loading this file would run code outside the allowlist.'}
          </span>
        </p>
        <p className="scan-verdict__summary">
          {counts.map((c) => (
            <Badge key={c.severity} tone={SEVERITY_TONES[c.severity]}>
              {c.count} {c.severity}
            </Badge>
          ))}
          <span className="muted small">{scanSummary(scan)}</span>
        </p>
        {override && (
          <p className="scan-verdict__override small">
            Loaded anyway by <strong>{override.by}</strong> (<Timestamp value={override.at} />): “{override.reason}”
          </p>
        )}
      </div>
    </div>
  );
}

const FINDING_COLUMNS: readonly TableColumn<ScanFinding>[] = [
  {
    key: 'severity',
    header: 'Severity',
    cell: (f) => (
      <Badge tone={SEVERITY_TONES[f.severity]} className="scan-severity">
        {f.severity}
      </Badge>
    ),
  },
  { key: 'kind', header: 'Kind', cell: (f) => f.kind },
  { key: 'what', header: 'What', cellClassName: 'mono', cell: (f) => globalName(f.module, f.name) },
  { key: 'offset', header: 'Offset', className: 'num', cellClassName: 'mono', cell: (f) => f.offset ?? '—' },
  { key: 'message', header: 'Message', cell: (f) => f.message },
];

export function ScanFindingsTable({ findings }: { findings: readonly ScanFinding[] }) {
  if (findings.length === 0) return <p className="panel__empty muted">No findings.</p>;
  return (
    <Table
      caption="Scan findings"
      columns={FINDING_COLUMNS}
      rows={findings}
      rowKey={(f, i) => `${f.kind}-${f.module}-${f.name}-${f.offset}-${i}`}
      rowProps={(f) => ({ className: `scan-finding scan-finding--${f.severity}` })}
      className="scan-findings"
    />
  );
}

const GLOBAL_COLUMNS: readonly TableColumn<ScanGlobal>[] = [
  { key: 'module', header: 'Module', cellClassName: 'mono', cell: (g) => g.module },
  { key: 'name', header: 'Name', rowHeader: true, cellClassName: 'mono', cell: (g) => g.name },
  {
    key: 'allowed',
    header: 'Allowed',
    cell: (g) =>
      g.allowed ?
        <span className="scan-allowed scan-allowed--yes">
          <IconCheck size={14} /> allowed
        </span>
      : <span className="scan-allowed scan-allowed--no">
          <IconX size={14} /> not allowed
        </span>,
  },
  { key: 'uses', header: 'Uses', className: 'num', cell: (g) => g.count },
];

export function ScanGlobalsTable({ globals }: { globals: readonly ScanGlobal[] }) {
  if (globals.length === 0) return <p className="panel__empty muted">The file imports nothing.</p>;
  return (
    <Table
      caption="Globals the file imports when it loads"
      columns={GLOBAL_COLUMNS}
      rows={globals}
      rowKey={(g) => `${g.module}.${g.name}`}
      rowProps={(g) => ({ className: cx(!g.allowed && 'scan-globals__blocked') })}
      className="table--compact table--named-rows scan-globals"
    />
  );
}

/** Everything the static scan found: the verdict, findings, globals and the versions the file records. */
export function ScanReport({ scan, override }: { scan: ScanResult; override?: ModelVersion['scanOverride'] }) {
  const versions = Object.entries(scan.recordedVersions);
  return (
    <div className="scan-report">
      <ScanVerdict scan={scan} override={override} />
      <dl className="scan-facts">
        <div>
          <dt>Format</dt>
          <dd>{scan.format}</dd>
        </div>
        <div>
          <dt>Compression</dt>
          <dd>{scan.compression ?? 'none'}</dd>
        </div>
        <div>
          <dt>Pickle protocol</dt>
          <dd>{scan.protocol ?? '—'}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{formatBytes(scan.bytes)}</dd>
        </div>
        <div>
          <dt>SHA-256</dt>
          <dd>
            <Sha value={scan.sha256} ellipsis />
          </dd>
        </div>
      </dl>
      <Panel headingId="scan-findings-heading" title="Findings" note={scan.findings.length}>
        <ScanFindingsTable findings={scan.findings} />
      </Panel>
      <Panel headingId="scan-globals-heading" title="Globals" note="What the file imports when it loads, in the order first seen. Nothing was loaded to find them.">
        <ScanGlobalsTable globals={scan.globals} />
      </Panel>
      <Panel headingId="scan-versions-heading" title="Recorded versions" note="Library versions written into the file when it was saved.">
        {versions.length === 0 ?
          <p className="panel__empty muted">The file records no library version.</p>
        : <dl className="kv-list">
            {versions.map(([k, v]) => (
              <div key={k}>
                <dt className="mono">{k}</dt>
                <dd className="mono">{v}</dd>
              </div>
            ))}
          </dl>
        }
      </Panel>
    </div>
  );
}
