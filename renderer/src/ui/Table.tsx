import type { ComponentProps, ReactNode } from 'react';
import { cx } from './cx.js';

export interface TableColumn<T> {
  key: string;
  header: ReactNode;
  cell: (row: T, index: number) => ReactNode;
  /** On the <th> and each <td>, e.g. "num". */
  className?: string;
  /** On each cell only, e.g. "mono". */
  cellClassName?: string;
  /** The cell names its row (a <th scope="row">). */
  rowHeader?: boolean;
}

/** The header row: one <th scope="col"> a column. */
export function TableHeadRow<T>({ columns, ...tr }: { columns: readonly TableColumn<T>[] } & ComponentProps<'tr'>) {
  return (
    <tr {...tr}>
      {columns.map((c) => (
        <th key={c.key} scope="col" className={c.className}>
          {c.header}
        </th>
      ))}
    </tr>
  );
}

/** One row's cells; a row-header column's cell is a <th scope="row">. */
export function TableCells<T>({ columns, row, index }: { columns: readonly TableColumn<T>[]; row: T; index: number }) {
  return columns.map((c) => {
    const className = cx(c.className, c.cellClassName) || undefined;
    return c.rowHeader ?
        <th key={c.key} scope="row" className={className}>
          {c.cell(row, index)}
        </th>
      : <td key={c.key} className={className}>
          {c.cell(row, index)}
        </td>;
  });
}

export interface TableProps<T> {
  /** The table's accessible name. */
  caption: string;
  columns: readonly TableColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T, index: number) => string;
  className?: string;
  /** Attributes of a row's <tr>: a class, data-*. */
  rowProps?: (row: T, index: number) => ComponentProps<'tr'> & Record<`data-${string}`, string>;
  /** In a box that scrolls sideways when the table is wider than the page (the default). */
  wrapped?: boolean;
}

/** A short table, every row rendered (VirtualTable renders long ones in part). */
export function Table<T>({ caption, columns, rows, rowKey, className, rowProps, wrapped = true }: TableProps<T>) {
  const table = (
    <table className={cx('table', className)}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <TableHeadRow columns={columns} />
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={rowKey(row, index)} {...rowProps?.(row, index)}>
            <TableCells columns={columns} row={row} index={index} />
          </tr>
        ))}
      </tbody>
    </table>
  );
  return wrapped ? <div className="table-wrap">{table}</div> : table;
}
