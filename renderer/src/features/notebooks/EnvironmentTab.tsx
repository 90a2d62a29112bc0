import type { NotebookDetail, NotebookImport } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { plural } from '../../ui/format.js';
import { CellLink } from './CellLink.js';

export interface EnvironmentTabProps {
  detail: NotebookDetail;
  onGoToCell: (index: number) => void;
}

/** What the notebook needs and fixes: imports with their packages, pip installs, seeds and hyperparameters. */
export function EnvironmentTab({ detail, onGoToCell }: EnvironmentTabProps) {
  const { imports, pipInstalls, seeds, hyperparameters, codeAnalysed } = detail.analysis;
  const modules = uniqueImports(imports);
  return (
    <div className="nb-tab-stack">
      {!codeAnalysed && <p className="muted">This notebook’s kernel is not Python, so its imports and calls were not analysed.</p>}
      <section className="panel" aria-labelledby="env-imports-heading">
        <div className="panel__head">
          <h2 id="env-imports-heading" className="panel__title">
            Imports
          </h2>
          <span className="muted small">
            {plural(modules.filter((m) => !m.stdlib).length, 'third-party module')}, {modules.filter((m) => m.stdlib).length} from the standard library
          </span>
        </div>
        {modules.length === 0 ? (
          <p className="panel__empty muted">No imports found.</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--compact nb-table">
              <caption className="visually-hidden">Imported modules and the packages that provide them</caption>
              <thead>
                <tr>
                  <th scope="col">Module</th>
                  <th scope="col">Package</th>
                  <th scope="col">First imported</th>
                </tr>
              </thead>
              <tbody>
                {modules.map((m) => (
                  <tr key={m.module}>
                    <th scope="row" className="mono">
                      {m.module}
                    </th>
                    <td>{m.stdlib ? <Badge>standard library</Badge> : m.package ? <span className="mono">{m.package}</span> : <span className="muted">unknown</span>}</td>
                    <td>
                      <CellLink cell={m.cell} onGoToCell={onGoToCell} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="env-pip-heading">
        <div className="panel__head">
          <h2 id="env-pip-heading" className="panel__title">
            pip installs
          </h2>
        </div>
        {pipInstalls.length === 0 ? (
          <p className="panel__empty muted">The notebook installs nothing itself.</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--compact nb-table">
              <caption className="visually-hidden">Packages the notebook installs with pip</caption>
              <thead>
                <tr>
                  <th scope="col">Requirement</th>
                  <th scope="col">Pinned</th>
                  <th scope="col">Where</th>
                </tr>
              </thead>
              <tbody>
                {pipInstalls.map((p, i) => (
                  <tr key={`${p.requirement}-${i}`}>
                    <th scope="row" className="mono">
                      {p.requirement}
                    </th>
                    <td>{p.pinned ? <Badge tone="success">pinned</Badge> : <Badge tone="warning">unpinned</Badge>}</td>
                    <td>
                      <CellLink cell={p.cell} line={p.line} onGoToCell={onGoToCell} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="env-seeds-heading">
        <div className="panel__head">
          <h2 id="env-seeds-heading" className="panel__title">
            Seeds
          </h2>
        </div>
        {seeds.length === 0 ? (
          <p className="panel__empty muted">No random seed is set.</p>
        ) : (
          <ul className="nb-plain-list">
            {seeds.map((s, i) => (
              <li key={i}>
                <code>
                  {s.call}({s.value})
                </code>{' '}
                <CellLink cell={s.cell} line={s.line} onGoToCell={onGoToCell} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel" aria-labelledby="env-hyper-heading">
        <div className="panel__head">
          <h2 id="env-hyper-heading" className="panel__title">
            Hyperparameters
          </h2>
        </div>
        {hyperparameters.length === 0 ? (
          <p className="panel__empty muted">No estimator constructed with literal parameters was found.</p>
        ) : (
          <ul className="nb-hyper">
            {hyperparameters.map((h, i) => (
              <li key={i} className="nb-hyper__item">
                <p className="nb-hyper__head">
                  <span className="mono nb-hyper__estimator">{h.estimator}</span> <CellLink cell={h.cell} line={h.line} onGoToCell={onGoToCell} />
                </p>
                {Object.keys(h.params).length === 0 ? (
                  <p className="muted small">Default parameters.</p>
                ) : (
                  <dl className="nb-params">
                    {Object.entries(h.params).map(([k, v]) => (
                      <div key={k}>
                        <dt className="mono">{k}</dt>
                        <dd className="mono">{v}</dd>
                      </div>
                    ))}
                  </dl>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** One row per top-level module, at its first import. */
function uniqueImports(imports: readonly NotebookImport[]): NotebookImport[] {
  const seen = new Map<string, NotebookImport>();
  for (const i of imports) if (!seen.has(i.module)) seen.set(i.module, i);
  return [...seen.values()].sort((a, b) => Number(a.stdlib) - Number(b.stdlib) || a.module.localeCompare(b.module));
}
