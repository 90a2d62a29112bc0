import type { ModelDetail } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { formatBytes } from '../../ui/format.js';
import { Sha } from '../../ui/Sha.js';
import { VersionsPanel } from '../../ui/VersionsTable.js';

type Version = ModelDetail['versions'][number];

const COLUMNS = [
  { key: 'sha', header: 'SHA-256', cell: (v: Version) => <Sha value={v.sha256} /> },
  { key: 'class', header: 'Class', className: 'mono', cell: (v: Version) => v.className },
  { key: 'size', header: 'Size', className: 'num nowrap', cell: (v: Version) => formatBytes(v.bytes) },
  {
    key: 'state',
    header: 'State',
    cell: (v: Version) => (
      <span className="model-version-state">
        {v.bundled && <Badge tone="info">bundled</Badge>}
        {v.scanOverride && <Badge tone="danger">loaded despite the scan</Badge>}
      </span>
    ),
  },
];

/** Every version of the model, newest first. */
export function ModelVersionsTab({ detail, onShow }: { detail: ModelDetail; onShow: (version: number) => void }) {
  return (
    <VersionsPanel
      headingId="model-versions-heading"
      note="Registering a changed file under this name adds a version; a bundled version can no longer change."
      detail={detail}
      columns={COLUMNS}
      onShow={onShow}
    />
  );
}
