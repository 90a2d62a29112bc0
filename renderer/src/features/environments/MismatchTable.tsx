import type { EnvironmentMismatch } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { IconAlert, IconWarning } from '../../ui/icons.js';
import { MISMATCH_DISPLAY } from './display.js';

/** What a model needs that its environment lacks: missing packages in red, other versions in amber. */
export function MismatchTable({ mismatches, caption }: { mismatches: readonly EnvironmentMismatch[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="table mismatch-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Problem</th>
            <th scope="col">Package</th>
            <th scope="col">Needs</th>
            <th scope="col">Has</th>
            <th scope="col">Needed by</th>
          </tr>
        </thead>
        <tbody>
          {mismatches.map((m) => {
            const display = MISMATCH_DISPLAY[m.kind];
            return (
              <tr key={`${m.kind}-${m.package}-${m.source}`} className={cx('mismatch', `mismatch--${m.kind}`)}>
                <td className="nowrap">
                  <Badge tone={display.tone} className="mismatch__badge">
                    {m.kind === 'missing-package' ? <IconAlert size={12} /> : <IconWarning size={12} />}
                    {display.label}
                  </Badge>
                </td>
                <th scope="row" className="mono">
                  {m.package}
                </th>
                <td className="mono">{m.expected ?? <span className="muted">any version</span>}</td>
                <td className="mono">{m.actual ?? <span className="mismatch__none">not installed</span>}</td>
                <td>
                  <span className="mismatch__source">{m.source}</span>
                  <span className="mismatch__message muted small">{m.message}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** "2 missing · 1 version differs" as badges; "No mismatches" when it fits. */
export function MismatchCounts({ mismatches }: { mismatches: readonly EnvironmentMismatch[] }) {
  const missing = mismatches.filter((m) => m.kind === 'missing-package').length;
  const differs = mismatches.length - missing;
  if (mismatches.length === 0) return <Badge tone="success">No mismatches</Badge>;
  return (
    <span className="mismatch-counts">
      {missing > 0 && <Badge tone="danger">{missing} missing</Badge>}
      {differs > 0 && <Badge tone="warning">{differs === 1 ? '1 version differs' : `${differs} versions differ`}</Badge>}
    </span>
  );
}
