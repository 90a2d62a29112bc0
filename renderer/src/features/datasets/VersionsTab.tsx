import { useState } from 'react';
import type { DatasetDetail } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { formatBytes, formatCount } from '../../ui/format.js';
import { Sha } from '../../ui/Sha.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { latestVersion } from '../../ui/VersionSelect.js';
import { IconGitCompare } from '../../ui/icons.js';

export interface VersionsTabProps {
  detail: DatasetDetail;
  onShow: (version: number) => void;
  onCompare: (from: number, to: number) => void;
}

/** Every version, newest first; tick any two to compare them. */
export function VersionsTab({ detail, onShow, onCompare }: VersionsTabProps) {
  const versions = [...detail.versions].sort((a, b) => b.version - a.version);
  const [picked, setPicked] = useState<number[]>(() => versions.slice(0, 2).map((v) => v.version));
  const toggle = (version: number) =>
    setPicked((p) => (p.includes(version) ? p.filter((v) => v !== version) : [...p, version].slice(-2)));
  const [from, to] = [...picked].sort((a, b) => a - b);
  const shown = detail.version.version;

  return (
    <>
      <div className="tab-toolbar">
        <p className="muted small">
          {versions.length < 2
            ? 'Only one version so far. Register a changed file under the same name to add one.'
            : 'Tick any two versions to compare their schema and statistics.'}
        </p>
        <Button
          variant="primary"
          size="sm"
          disabled={picked.length !== 2}
          onClick={() => from !== undefined && to !== undefined && onCompare(from, to)}
        >
          <IconGitCompare />
          {picked.length === 2 ? `Compare v${from} → v${to}` : 'Compare'}
        </Button>
      </div>
      <div className="table-wrap">
        <table className="table versions-table">
          <caption className="visually-hidden">Versions of {detail.name}</caption>
          <thead>
            <tr>
              <th scope="col" className="versions-table__pick">
                <span className="visually-hidden">Compare</span>
              </th>
              <th scope="col">Version</th>
              <th scope="col">Registered</th>
              <th scope="col">By</th>
              <th scope="col">SHA-256</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">Snapshot</th>
              <th scope="col">
                <span className="visually-hidden">Profile</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} className={cx(v.version === shown && 'is-current')}>
                <td className="versions-table__pick">
                  <input
                    type="checkbox"
                    className="checkbox"
                    checked={picked.includes(v.version)}
                    onChange={() => toggle(v.version)}
                    aria-label={`Select version ${v.version} to compare`}
                  />
                </td>
                <th scope="row">
                  v{v.version}
                  {v.version === latestVersion(detail.versions) && (
                    <Badge tone="info" className="versions-table__latest">
                      latest
                    </Badge>
                  )}
                </th>
                <td className="nowrap">
                  <Timestamp value={v.createdAt} />
                </td>
                <td>{v.createdBy}</td>
                <td>
                  <Sha value={v.sha256} />
                </td>
                <td className="num">{formatCount(v.rows)}</td>
                <td className="num nowrap">{formatBytes(v.bytes)}</td>
                <td>{v.snapshot === 'copy' ? <Badge tone="success">copy</Badge> : <Badge tone="warning">reference</Badge>}</td>
                <td className="nowrap">
                  {v.version === shown ? (
                    <span className="muted small">shown</span>
                  ) : (
                    <Button size="sm" variant="ghost" onClick={() => onShow(v.version)} aria-label={`Show the profile of version ${v.version}`}>
                      Show profile
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
