import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { cx } from './cx.js';
import { TableCells, TableHeadRow, type TableProps } from './Table.js';
import './virtual-table.css';

export interface VirtualTableProps<T> extends Omit<TableProps<T>, 'rowProps' | 'wrapped'> {
  /** Every row is this high (px); the virtualiser needs it. */
  rowHeight?: number;
  /** The scroll box grows up to this height, then scrolls with the header in view. */
  maxHeight?: number;
  /** Up to this many rows are all rendered; more are virtualised. */
  threshold?: number;
  rowClassName?: (row: T, index: number) => string | undefined;
}

/**
 * A table that renders only the rows in view once it is long (packages of an environment,
 * golden examples): spacer rows keep the scroll height, aria-rowcount and aria-rowindex tell
 * assistive technology where each row is.
 */
export function VirtualTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  rowHeight = 36,
  maxHeight = 480,
  threshold = 60,
  className,
  rowClassName,
}: VirtualTableProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = rows.length > threshold;
  // The app does not use the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: virtual ? rows.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
    // Before the first measurement (and in tests, where nothing has a size) assume a full box.
    initialRect: { width: 900, height: maxHeight },
  });
  const items = virtual ? virtualizer.getVirtualItems() : rows.map((_, index) => ({ index, start: index * rowHeight, key: index }));
  const before = virtual && items.length > 0 ? items[0]!.start : 0;
  const after = virtual && items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.start - rowHeight : 0;
  const span = columns.length;

  return (
    <div ref={scrollRef} className={cx('virtual-table', virtual && 'virtual-table--scroll')} style={virtual ? { maxHeight } : undefined}>
      <table className={cx('table', className)} aria-rowcount={rows.length + 1}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <TableHeadRow columns={columns} aria-rowindex={1} />
        </thead>
        <tbody>
          {before > 0 && (
            <tr aria-hidden="true" className="virtual-table__spacer">
              <td colSpan={span} style={{ height: before }} />
            </tr>
          )}
          {items.map(({ index }) => {
            const row = rows[index]!;
            return (
              <tr key={rowKey(row, index)} aria-rowindex={index + 2} className={rowClassName?.(row, index)} style={virtual ? { height: rowHeight } : undefined}>
                <TableCells columns={columns} row={row} index={index} />
              </tr>
            );
          })}
          {after > 0 && (
            <tr aria-hidden="true" className="virtual-table__spacer">
              <td colSpan={span} style={{ height: after }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
