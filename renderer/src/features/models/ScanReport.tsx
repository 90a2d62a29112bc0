import type { ModelVersion, ScanFinding, ScanGlobal, ScanResult } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { formatBytes } from '../../ui/format.js';
import { IconAlert, IconCheck, IconShieldCheck, IconX } from '../../ui/icons.js';
import { Sha } from '../../ui/Sha.js';
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

export function ScanFindingsTable({ findings }: { findings: readonly ScanFinding[] }) {
  if (findings.length === 0) return <p className="panel__empty muted">No findings.</p>;
  return (
    <div className="table-wrap">
      <table className="table scan-findings">
        <caption className="visually-hidden">Scan findings</caption>
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Kind</th>
            <th scope="col">What</th>
            <th scope="col" className="num">
              Offset
            </th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f, i) => (
            <tr key={`${f.kind}-${f.module}-${f.name}-${f.offset}-${i}`} className={`scan-finding scan-finding--${f.severity}`}>
              <td>
                <Badge tone={SEVERITY_TONES[f.severity]} className="scan-severity">
                  {f.severity}
                </Badge>
              </td>
              <td>{f.kind}</td>
              <td className="mono">{globalName(f.module, f.name)}</td>
              <td className="num mono">{f.offset ?? '—'}</td>
              <td>{f.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ScanGlobalsTable({ globals }: { globals: readonly ScanGlobal[] }) {
  if (globals.length === 0) return <p className="panel__empty muted">The file imports nothing.</p>;
  return (
    <div className="table-wrap">
      <table className="table table--compact scan-globals">
        <caption className="visually-hidden">Globals the file imports when it loads</caption>
        <thead>
          <tr>
            <th scope="col">Module</th>
            <th scope="col">Name</th>
            <th scope="col">Allowed</th>
            <th scope="col" className="num">
              Uses
            </th>
          </tr>
        </thead>
        <tbody>
          {globals.map((g) => (
            <tr key={`${g.module}.${g.name}`} className={cx(!g.allowed && 'scan-globals__blocked')}>
              <td className="mono">{g.module}</td>
              <th scope="row" className="mono">
                {g.name}
              </th>
              <td>
                {g.allowed ?
                  <span className="scan-allowed scan-allowed--yes">
                    <IconCheck size={14} /> allowed
                  </span>
                : <span className="scan-allowed scan-allowed--no">
                    <IconX size={14} /> not allowed
                  </span>
                }
              </td>
              <td className="num">{g.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
      <section className="panel" aria-labelledby="scan-findings-heading">
        <div className="panel__head">
          <h2 id="scan-findings-heading" className="panel__title">
            Findings
          </h2>
          <span className="muted small">{scan.findings.length}</span>
        </div>
        <ScanFindingsTable findings={scan.findings} />
      </section>
      <section className="panel" aria-labelledby="scan-globals-heading">
        <div className="panel__head">
          <h2 id="scan-globals-heading" className="panel__title">
            Globals
          </h2>
          <span className="muted small">What the file imports when it loads, in the order first seen. Nothing was loaded to find them.</span>
        </div>
        <ScanGlobalsTable globals={scan.globals} />
      </section>
      <section className="panel" aria-labelledby="scan-versions-heading">
        <div className="panel__head">
          <h2 id="scan-versions-heading" className="panel__title">
            Recorded versions
          </h2>
          <span className="muted small">Library versions written into the file when it was saved.</span>
        </div>
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
      </section>
    </div>
  );
}
