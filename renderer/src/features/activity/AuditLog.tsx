import type { AuditEntry } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { formatTimestamp } from '../../ui/format.js';

const describeDetails = (details: AuditEntry['details']): string =>
  Object.entries(details)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? (v.length === 0 ? 'none' : v.join(', ')) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(' · ');

export function AuditLog() {
  const entries = useAppStore((s) => s.auditEntries);
  const status = useAppStore((s) => s.auditStatus);
  const error = useAppStore((s) => s.auditError);
  const hasMore = useAppStore((s) => s.auditHasMore);
  const loadAudit = useAppStore((s) => s.loadAudit);
  const loadOlder = useAppStore((s) => s.loadOlderAudit);

  return (
    <section className="panel" aria-labelledby="audit-heading">
      <div className="panel__head">
        <h2 id="audit-heading" className="panel__title">
          Audit log
        </h2>
        <span className="muted small">Every action in this workspace, newest first. Entries are never changed or removed.</span>
      </div>
      {error && <ErrorBanner error={error} title="Could not load the audit log" actions={<Button size="sm" onClick={() => void loadAudit()}>Try again</Button>} />}
      {entries.length === 0 ? (
        <p className="panel__empty muted">{status === 'loading' ? 'Loading the audit log…' : 'Nothing recorded yet.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="table audit-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">
                    <time dateTime={e.at} title={new Date(e.at).toLocaleString()}>
                      {formatTimestamp(e.at)}
                    </time>
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    <code className="action-code">{e.action}</code>
                  </td>
                  <td>
                    <div className="audit-table__details">
                      {e.subject && <span className="mono audit-table__subject">{e.subject}</span>}
                      {Object.keys(e.details).length > 0 && <span className="muted">{describeDetails(e.details)}</span>}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && (
        <div className="panel__foot">
          <Button size="sm" onClick={() => void loadOlder()} busy={status === 'loading'}>
            Show older entries
          </Button>
        </div>
      )}
    </section>
  );
}
