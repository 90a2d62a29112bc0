import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';
import type { AppErrorData } from '../../../shared/result.js';
import { LoadProblem } from './LoadProblem.js';
import { plural } from './format.js';
import { IconSearch } from './icons.js';
import { Spinner } from './Spinner.js';

const SEARCH_DEBOUNCE_MS = 200;
/** A virtual list scrolls inside its panel beyond this height, so the page header stays in view. */
const MAX_LIST_HEIGHT = 560;

export interface SearchableListProps<T> {
  /** The BEM block of the panel ("dataset-list"): its __head, __count, __rows and __scroll. */
  block: string;
  /** The class of each row's <li> ("dataset-row"). */
  rowClass: string;
  title: string;
  /** What one item is called: "dataset" for "3 datasets", "Search datasets", "No dataset matches". */
  noun: string;
  /** The name of the list for assistive technology: "Datasets". */
  label: string;
  items: readonly T[];
  itemKey: (item: T) => string;
  renderItem: (item: T) => ReactNode;
  status: 'idle' | 'loading' | 'ready' | 'failed';
  error: AppErrorData | null;
  query: string;
  onQuery: (query: string) => void;
  /** Asked first, then after each pause in typing: the backend filters. */
  onLoad: () => void;
  /** Only the rows in view are in the DOM, each this high; without it every row is. */
  virtualRowHeight?: number;
}

/** A panel with a search box and a list the backend filters, with its count, error and empty states. */
export function SearchableList<T>({
  block,
  rowClass,
  title,
  noun,
  label,
  items,
  itemKey,
  renderItem,
  status,
  error,
  query,
  onQuery,
  onLoad,
  virtualRowHeight,
}: SearchableListProps<T>) {
  const first = useRef(true);

  // The backend filters; wait for a pause in typing before asking it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      onLoad();
      return;
    }
    const timer = setTimeout(onLoad, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, onLoad]);

  const searching = query.trim() !== '';
  const headingId = `${block}-heading`;
  const rows = { block, rowClass, label, items, itemKey, renderItem };
  return (
    <section className={`panel ${block}`} aria-labelledby={headingId}>
      <div className={`panel__head ${block}__head`}>
        <h2 id={headingId} className="panel__title">
          {title}
        </h2>
        <div className="search">
          <IconSearch className="search__icon" />
          <input
            type="search"
            className="input input--sm search__input"
            placeholder="Search by name or path"
            aria-label={`Search ${noun}s`}
            value={query}
            onChange={(e) => onQuery(e.target.value)}
          />
        </div>
        <span className={`muted small ${block}__count`} aria-live="polite">
          {status === 'loading' ? <Spinner /> : null}
          {status === 'ready' && (searching ? plural(items.length, 'match', 'matches') : plural(items.length, noun))}
        </span>
      </div>
      {error && (
        <LoadProblem error={error} title={`Could not load the ${noun}s`} onRetry={onLoad} />
      )}
      {items.length === 0 ?
        status === 'ready' && <p className="panel__empty muted">{searching ? `No ${noun} matches “${query.trim()}”.` : `No ${noun}s registered yet.`}</p>
      : virtualRowHeight ?
        <VirtualRows {...rows} rowHeight={virtualRowHeight} />
      : <ul className={`${block}__rows`} aria-label={label}>
          {items.map((item) => (
            <li key={itemKey(item)} className={rowClass}>
              {renderItem(item)}
            </li>
          ))}
        </ul>
      }
    </section>
  );
}

type RowsProps<T> = Pick<SearchableListProps<T>, 'block' | 'rowClass' | 'label' | 'items' | 'itemKey' | 'renderItem'> & { rowHeight: number };

function VirtualRows<T>({ block, rowClass, label, items, itemKey, renderItem, rowHeight }: RowsProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The app does not use the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 6,
    // Before the first measurement (and in tests, where nothing has a size) assume a full panel.
    initialRect: { width: 900, height: MAX_LIST_HEIGHT },
    getItemKey: (i) => itemKey(items[i]!),
  });
  const height = Math.min(MAX_LIST_HEIGHT, items.length * rowHeight);
  return (
    <div ref={scrollRef} className={`${block}__scroll`} style={{ height }}>
      <ul className={`${block}__rows`} aria-label={label} style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <li
            key={item.key}
            className={rowClass}
            aria-setsize={items.length}
            aria-posinset={item.index + 1}
            style={{ height: item.size, transform: `translateY(${item.start}px)` }}
          >
            {renderItem(items[item.index]!)}
          </li>
        ))}
      </ul>
    </div>
  );
}
