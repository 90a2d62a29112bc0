import type { EnvironmentDetail } from '../../../../shared/contract/index.js';
import { plural } from '../../ui/format.js';
import { modelHref } from '../models/route.js';
import { MismatchCounts, MismatchTable } from './MismatchTable.js';

/** The model versions registered with this environment version, and what each of them lacks in it. */
export function UsedByTab({ detail }: { detail: EnvironmentDetail }) {
  const users = detail.usedBy;
  return (
    <section className="panel" aria-labelledby="env-used-by-heading">
      <div className="panel__head">
        <h2 id="env-used-by-heading" className="panel__title">
          Used by
        </h2>
        <span className="muted small">{plural(users.length, 'model version')}</span>
      </div>
      {users.length === 0 ?
        <p className="panel__empty muted">No model is registered with this version yet. Pick it as the environment when you register a model.</p>
      : <ul className="env-users" aria-label="Models that use this environment">
          {users.map((u) => (
            <li key={`${u.model}@${u.version}`} className="env-users__item">
              <p className="env-users__head">
                <a href={modelHref(u.model, { version: u.version })} className="env-users__name">
                  {u.model} <span className="muted">v{u.version}</span>
                </a>
                <MismatchCounts mismatches={u.mismatches} />
              </p>
              {u.mismatches.length > 0 && <MismatchTable mismatches={u.mismatches} caption={`What ${u.model} v${u.version} needs that this environment lacks`} />}
            </li>
          ))}
        </ul>
      }
    </section>
  );
}
