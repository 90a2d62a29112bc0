import { useState } from 'react';
import type { DatasetDetail } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { formatBytes, formatCount } from '../../ui/format.js';
import { Sha } from '../../ui/Sha.js';
import { VersionsTable } from '../../ui/VersionsTable.js';
import { IconGitCompare } from '../../ui/icons.js';

export interface VersionsTabProps {
  detail: DatasetDetail;
  onShow: (version: number) => void;
  onCompare: (from: number, to: number) => void;
}

type Version = DatasetDetail['versions'][number];

const COLUMNS = [
  { key: 'sha', header: 'SHA-256', cell: (v: Version) => <Sha value={v.sha256} /> },
  { key: 'rows', header: 'Rows', className: 'num', cell: (v: Version) => formatCount(v.rows) },
  { key: 'size', header: 'Size', className: 'num nowrap', cell: (v: Version) => formatBytes(v.bytes) },
  { key: 'snapshot', header: 'Snapshot', cell: (v: Version) => (v.snapshot === 'copy' ? <Badge tone="success">copy</Badge> : <Badge tone="warning">reference</Badge>) },
];

const SHOW_PROFILE = { header: 'Profile', label: 'Show profile', ariaLabel: (version: number) => `Show the profile of version ${version}` };

/** Every version, newest first; tick any two to compare them. */
export function VersionsTab({ detail, onShow, onCompare }: VersionsTabProps) {
  const versions = [...detail.versions].sort((a, b) => b.version - a.version);
  const [picked, setPicked] = useState<number[]>(() => versions.slice(0, 2).map((v) => v.version));
  const toggle = (version: number) =>
    setPicked((p) => (p.includes(version) ? p.filter((v) => v !== version) : [...p, version].slice(-2)));
  const [from, to] = [...picked].sort((a, b) => a - b);

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
      <VersionsTable
        caption={`Versions of ${detail.name}`}
        versions={detail.versions}
        shown={detail.version.version}
        leading={[
          {
            key: 'pick',
            header: <span className="visually-hidden">Compare</span>,
            className: 'versions-table__pick',
            cell: (v: Version) => (
              <input
                type="checkbox"
                className="checkbox"
                checked={picked.includes(v.version)}
                onChange={() => toggle(v.version)}
                aria-label={`Select version ${v.version} to compare`}
              />
            ),
          },
        ]}
        columns={COLUMNS}
        onShow={onShow}
        show={SHOW_PROFILE}
      />
    </>
  );
}
