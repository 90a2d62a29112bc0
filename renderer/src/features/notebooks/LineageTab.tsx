import type { FileRef, LineageLink, NotebookDetail } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { plural } from '../../ui/format.js';
import { datasetHref } from '../datasets/route.js';
import { CellLink } from './CellLink.js';

export interface LineageTabProps {
  detail: NotebookDetail;
  onGoToCell: (index: number) => void;
}

/** The registered datasets it reads, every file it reads and writes, and where in the code. */
export function LineageTab({ detail, onGoToCell }: LineageTabProps) {
  const { reads, writes, codeAnalysed } = detail.analysis;
  const datasets = detail.links.filter((l) => l.kind === 'dataset');
  return (
    <div className="nb-tab-stack">
      {!codeAnalysed && <p className="muted">This notebook’s kernel is not Python, so the files it reads and writes were not analysed.</p>}
      <section className="panel" aria-labelledby="lineage-datasets-heading">
        <div className="panel__head">
          <h2 id="lineage-datasets-heading" className="panel__title">
            Datasets it reads
          </h2>
          <span className="muted small">{plural(datasets.length, 'registered dataset')}</span>
        </div>
        {datasets.length === 0 ? (
          <p className="panel__empty muted">
            None of the files it reads is a registered dataset. Register them on the Datasets page to tie this notebook to the exact data it used.
          </p>
        ) : (
          <ul className="nb-links" aria-label="Datasets it reads">
            {datasets.map((l) => (
              <DatasetLink key={`${l.name}@${l.version}`} link={l} />
            ))}
          </ul>
        )}
      </section>
      <FileTable title="Files it reads" refs={reads} links={datasets} onGoToCell={onGoToCell} empty="No file reads found in the code." />
      <FileTable title="Files it writes" refs={writes} links={[]} onGoToCell={onGoToCell} empty="No file writes found in the code." />
    </div>
  );
}

function DatasetLink({ link }: { link: LineageLink }) {
  return (
    <li className="nb-links__item">
      <a className="nb-links__name" href={datasetHref(link.name, link.version === null ? {} : { version: link.version })}>
        {link.name}
        {link.version !== null && <span className="muted"> v{link.version}</span>}
      </a>
      <Badge tone={link.matchedBy === 'sha256' ? 'success' : 'neutral'}>{link.matchedBy === 'sha256' ? 'same bytes' : 'same path'}</Badge>
      <span className="mono small muted path-start-ellipsis" title={link.path}>
        <bdi>{link.path}</bdi>
      </span>
    </li>
  );
}

function FileTable({
  title,
  refs,
  links,
  onGoToCell,
  empty,
}: {
  title: string;
  refs: readonly FileRef[];
  links: readonly LineageLink[];
  onGoToCell: (index: number) => void;
  empty: string;
}) {
  const id = `lineage-${title.replace(/\W+/g, '-').toLowerCase()}`;
  const withDataset = links.length > 0;
  return (
    <section className="panel" aria-labelledby={id}>
      <div className="panel__head">
        <h2 id={id} className="panel__title">
          {title}
        </h2>
      </div>
      {refs.length === 0 ? (
        <p className="panel__empty muted">{empty}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--compact">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">As written</th>
                <th scope="col">Call</th>
                <th scope="col">Where</th>
                <th scope="col">Resolved path</th>
                {withDataset && <th scope="col">Dataset</th>}
              </tr>
            </thead>
            <tbody>
              {refs.map((r, i) => {
                const matched = links.filter((l) => l.path === r.path);
                return (
                  <tr key={`${r.cell}-${r.line}-${i}`}>
                    <td>
                      <code>{r.literal}</code>
                    </td>
                    <td className="mono small">{r.call}</td>
                    <td className="nowrap">
                      <CellLink cell={r.cell} line={r.line} onGoToCell={onGoToCell} />
                    </td>
                    <td className="mono small nb-path-cell" title={r.path}>
                      <span className="path-start-ellipsis">
                        <bdi>{r.path}</bdi>
                      </span>
                      {!r.exists && <span className="muted small"> (missing at registration)</span>}
                    </td>
                    {withDataset && (
                      <td>
                        {matched.length === 0 ? (
                          <span className="muted">—</span>
                        ) : (
                          matched.map((l) => (
                            <a key={`${l.name}@${l.version}`} href={datasetHref(l.name, l.version === null ? {} : { version: l.version })}>
                              {l.name}
                              {l.version !== null ? ` v${l.version}` : ''}
                            </a>
                          ))
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
