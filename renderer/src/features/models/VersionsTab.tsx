import type { ModelDetail } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { formatBytes } from '../../ui/format.js';
import { Sha } from '../../ui/Sha.js';
import { VersionsTable } from '../../ui/VersionsTable.js';

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
    <section className="panel" aria-labelledby="model-versions-heading">
      <div className="panel__head">
        <h2 id="model-versions-heading" className="panel__title">
          Versions
        </h2>
        <span className="muted small">Registering a changed file under this name adds a version; a bundled version can no longer change.</span>
      </div>
      <VersionsTable caption={`Versions of ${detail.name}`} versions={detail.versions} shown={detail.version.version} columns={COLUMNS} onShow={onShow} />
    </section>
  );
}
