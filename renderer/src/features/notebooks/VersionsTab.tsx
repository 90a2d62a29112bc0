import type { NotebookDetail } from '../../../../shared/contract/index.js';
import { formatBytes } from '../../ui/format.js';
import { Sha } from '../../ui/Sha.js';
import { VersionsPanel } from '../../ui/VersionsTable.js';
import { FindingCountBadges } from './Findings.js';

export interface NotebookVersionsTabProps {
  detail: NotebookDetail;
  onShow: (version: number) => void;
}

type Version = NotebookDetail['versions'][number];

const COLUMNS = [
  { key: 'sha', header: 'File SHA-256', cell: (v: Version) => <Sha value={v.sha256} /> },
  { key: 'code', header: 'Code SHA-256', cell: (v: Version) => <Sha value={v.sourceSha256} /> },
  { key: 'size', header: 'Size', className: 'num nowrap', cell: (v: Version) => formatBytes(v.bytes) },
  { key: 'findings', header: 'Findings', cell: (v: Version) => <FindingCountBadges counts={v.findings} compact /> },
];

/** Every version, newest first: a new one is made only when the code changed. */
export function NotebookVersionsTab({ detail, onShow }: NotebookVersionsTabProps) {
  return (
    <VersionsPanel
      headingId="nb-versions-heading"
      note="A new version is made when the code changes; re-running the notebook (new outputs) does not make one."
      detail={detail}
      columns={COLUMNS}
      onShow={onShow}
    />
  );
}
