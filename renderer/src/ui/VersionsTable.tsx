import type { ReactNode } from 'react';
import { Badge } from './Badge.js';
import { Button } from './Button.js';
import { cx } from './cx.js';
import { Panel } from './Panel.js';
import { Timestamp } from './Timestamp.js';

export interface VersionColumn<V> {
  key: string;
  header: ReactNode;
  cell: (version: V) => ReactNode;
  className?: string;
}

/** The last column's button, which shows a version. */
export interface ShowVersion {
  /** The column's hidden header. */
  header: string;
  label: string;
  /** The button's accessible name. */
  ariaLabel: (version: number) => string;
}

const SHOW: ShowVersion = { header: 'Show', label: 'Show', ariaLabel: (version) => `Show version ${version}` };

type Versioned = { version: number; createdAt: string; createdBy: string };

export interface VersionsTableProps<V extends Versioned> {
  /** "Versions of churn". */
  caption: string;
  versions: readonly V[];
  /** The version the page shows. */
  shown: number;
  /** Columns between "Registered / By" and "Show". */
  columns: readonly VersionColumn<V>[];
  /** Columns before "Version" (a checkbox to pick it). */
  leading?: readonly VersionColumn<V>[];
  onShow: (version: number) => void;
  show?: ShowVersion;
  className?: string;
}

/** Every version of an entry, newest first, with when and by whom, and a way to show one. */
export function VersionsTable<V extends Versioned>({ caption, versions, shown, columns, leading = [], onShow, show = SHOW, className }: VersionsTableProps<V>) {
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  const latest = newestFirst[0]?.version;
  const headers = (cols: readonly VersionColumn<V>[]) =>
    cols.map((c) => (
      <th key={c.key} scope="col" className={c.className}>
        {c.header}
      </th>
    ));
  const cells = (cols: readonly VersionColumn<V>[], v: V) =>
    cols.map((c) => (
      <td key={c.key} className={c.className}>
        {c.cell(v)}
      </td>
    ));
  return (
    <div className="table-wrap">
      <table className={cx('table versions-table', className)}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {headers(leading)}
            <th scope="col">Version</th>
            <th scope="col">Registered</th>
            <th scope="col">By</th>
            {headers(columns)}
            <th scope="col">
              <span className="visually-hidden">{show.header}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((v) => (
            <tr key={v.version} className={cx(v.version === shown && 'is-current')}>
              {cells(leading, v)}
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
              {cells(columns, v)}
              <td className="nowrap">
                {v.version === shown ?
                  <span className="muted small">shown</span>
                : <Button size="sm" variant="ghost" onClick={() => onShow(v.version)} aria-label={show.ariaLabel(v.version)}>
                    {show.label}
                  </Button>
                }
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The Versions tab of an entry page: what makes a new version, then the table. */
export function VersionsPanel<V extends Versioned>({
  headingId,
  note,
  detail,
  ...table
}: Omit<VersionsTableProps<V>, 'caption' | 'versions' | 'shown'> & {
  headingId: string;
  note: ReactNode;
  /** The entry shown: its name, its versions and the version shown. */
  detail: { name: string; versions: readonly V[]; version: { version: number } };
}) {
  return (
    <Panel headingId={headingId} title="Versions" note={note}>
      <VersionsTable caption={`Versions of ${detail.name}`} versions={detail.versions} shown={detail.version.version} {...table} />
    </Panel>
  );
}
