import type { NotebookDetail } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { formatBytes } from '../../ui/format.js';
import { Sha } from '../../ui/Sha.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { FindingCountBadges } from './Findings.js';

export interface NotebookVersionsTabProps {
  detail: NotebookDetail;
  onShow: (version: number) => void;
}

/** Every version, newest first: a new one is made only when the code changed. */
export function NotebookVersionsTab({ detail, onShow }: NotebookVersionsTabProps) {
  const versions = [...detail.versions].sort((a, b) => b.version - a.version);
  const latest = versions[0]?.version;
  const shown = detail.version.version;
  return (
    <section className="panel" aria-labelledby="nb-versions-heading">
      <div className="panel__head">
        <h2 id="nb-versions-heading" className="panel__title">
          Versions
        </h2>
        <span className="muted small">A new version is made when the code changes; re-running the notebook (new outputs) does not make one.</span>
      </div>
      <div className="table-wrap">
        <table className="table versions-table">
          <caption className="visually-hidden">Versions of {detail.name}</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Registered</th>
              <th scope="col">By</th>
              <th scope="col">File SHA-256</th>
              <th scope="col">Code SHA-256</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">Findings</th>
              <th scope="col">
                <span className="visually-hidden">Show</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} className={cx(v.version === shown && 'is-current')}>
                <th scope="row">
                  v{v.version}
                  {v.version === latest && (
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
                <td>
                  <Sha value={v.sourceSha256} />
                </td>
                <td className="num nowrap">{formatBytes(v.bytes)}</td>
                <td>
                  <FindingCountBadges counts={v.findings} compact />
                </td>
                <td className="nowrap">
                  {v.version === shown ? (
                    <span className="muted small">shown</span>
                  ) : (
                    <Button size="sm" variant="ghost" onClick={() => onShow(v.version)} aria-label={`Show version ${v.version}`}>
                      Show
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
