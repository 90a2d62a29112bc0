import type { EnvironmentDetail } from '../../../../shared/contract/index.js';
import { plural } from '../../ui/format.js';
import { Panel } from '../../ui/Panel.js';
import { modelHref } from '../models/route.js';
import { MismatchCounts, MismatchTable } from './MismatchTable.js';

/** The model versions registered with this environment version, and what each of them lacks in it. */
export function UsedByTab({ detail }: { detail: EnvironmentDetail }) {
  const users = detail.usedBy;
  return (
    <Panel headingId="env-used-by-heading" title="Used by" note={plural(users.length, 'model version')}>
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
    </Panel>
  );
}
