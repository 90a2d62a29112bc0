// A chart's numbers as a table, behind a "Show the numbers" disclosure: for whoever does not read
// the drawing, and for exact values. The rows are rendered only once it is opened.
import { useState, type ReactNode } from 'react';
import { cx } from './cx.js';

export interface ChartNumbersProps {
  /** What the table holds, for assistive technology. */
  caption: string;
  columns: readonly { label: string; numeric?: boolean }[];
  /** The body's rows. */
  rows: () => ReactNode;
  className?: string;
}

export function ChartNumbers({ caption, columns, rows, className }: ChartNumbersProps) {
  const [open, setOpen] = useState(false);
  return (
    <details className="chart__data" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Show the numbers</summary>
      {open && (
        <table className={cx('table table--compact', className)}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th key={i} scope="col" className={c.numeric ? 'num' : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{rows()}</tbody>
        </table>
      )}
    </details>
  );
}
