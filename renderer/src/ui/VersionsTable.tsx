import type { ReactNode } from 'react';
import { Badge } from './Badge.js';
import { Button } from './Button.js';
import { cx } from './cx.js';
import { Timestamp } from './Timestamp.js';

export interface VersionColumn<V> {
  key: string;
  header: string;
  cell: (version: V) => ReactNode;
  className?: string;
}

export interface VersionsTableProps<V extends { version: number; createdAt: string; createdBy: string }> {
  /** "Versions of churn". */
  caption: string;
  versions: readonly V[];
  /** The version the page shows. */
  shown: number;
  /** Columns between "Registered / By" and "Show". */
  columns: readonly VersionColumn<V>[];
  onShow: (version: number) => void;
  className?: string;
}

/** Every version of an entry, newest first, with when and by whom, and a way to show one. */
export function VersionsTable<V extends { version: number; createdAt: string; createdBy: string }>({
  caption,
  versions,
  shown,
  columns,
  onShow,
  className,
}: VersionsTableProps<V>) {
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  const latest = newestFirst[0]?.version;
  return (
    <div className="table-wrap">
      <table className={cx('table versions-table', className)}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Registered</th>
            <th scope="col">By</th>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Show</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((v) => (
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
              {columns.map((c) => (
                <td key={c.key} className={c.className}>
                  {c.cell(v)}
                </td>
              ))}
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
  );
}
