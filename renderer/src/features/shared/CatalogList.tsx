// What the sections' lists (datasets, notebooks, environments, models) share: where the store
// keeps the list, its search and its state, and the row the dataset-like lists draw.
import type { ReactNode } from 'react';
import type { AppErrorData } from '../../../../shared/result.js';
import type { AppState } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import type { LoadStatus } from '../../store/types.js';
import { formatTimestamp, plural } from '../../ui/format.js';
import { IconChevronRight } from '../../ui/icons.js';
import { SearchableList } from '../../ui/SearchableList.js';

/** Where a section's list and its search live in the store. */
export interface ListSource<T> {
  items: (s: AppState) => readonly T[];
  status: (s: AppState) => LoadStatus;
  error: (s: AppState) => AppErrorData | null;
  query: (s: AppState) => string;
  setQuery: (s: AppState) => (query: string) => void;
  load: (s: AppState) => () => Promise<void>;
}

/** The list's state and actions, as SearchableList takes them. */
export function useListSource<T>(source: ListSource<T>) {
  const items = useAppStore(source.items);
  const status = useAppStore(source.status);
  const error = useAppStore(source.error);
  const query = useAppStore(source.query);
  const onQuery = useAppStore(source.setQuery);
  const onLoad = useAppStore(source.load);
  return { items, status, error, query, onQuery, onLoad };
}

/** Every row of a dataset-like list is this high (px): only the rows in view are in the DOM. */
export const CATALOG_ROW_HEIGHT = 68;

/** A section's searchable, virtualised list of entries named by their name, in the datasets' row styles. */
export function CatalogList<T extends { name: string }>({
  source,
  title,
  noun,
  label,
  row,
}: {
  source: ListSource<T>;
  title: string;
  /** "dataset": "3 datasets", "Search datasets". */
  noun: string;
  /** The list's accessible name: "Datasets". */
  label: string;
  row: (item: T) => ReactNode;
}) {
  const list = useListSource(source);
  return (
    <SearchableList
      block="dataset-list"
      rowClass="dataset-row"
      title={title}
      noun={noun}
      label={label}
      itemKey={(item) => item.name}
      renderItem={row}
      virtualRowHeight={CATALOG_ROW_HEIGHT}
      {...list}
    />
  );
}

export interface CatalogRowProps {
  href: string;
  icon: ReactNode;
  entry: { name: string; versions: number; latestVersion: number; updatedAt: string };
  /** Under the name: where the entry comes from, cut at its start when it is long… */
  path?: string;
  /** …or a short text. */
  sub?: string;
  /** Badges and facts before the version and the date. */
  children: ReactNode;
}

/** One entry of a list: its icon, name and path, its facts, latest version and last change; a link to its page. */
export function CatalogRow({ href, icon, entry, path, sub, children }: CatalogRowProps) {
  return (
    <a className="dataset-row__link" href={href}>
      <span className="dataset-row__icon" aria-hidden="true">
        {icon}
      </span>
      <span className="dataset-row__text">
        <span className="dataset-row__name">{entry.name}</span>
        {path !== undefined ?
          <span className="dataset-row__path mono path-start-ellipsis" title={path}>
            <bdi>{path}</bdi>
          </span>
        : <span className="dataset-row__path mono">{sub}</span>}
      </span>
      <span className="dataset-row__meta">
        {children}
        <span className="dataset-row__fact dataset-row__version" title={plural(entry.versions, 'version')}>
          v{entry.latestVersion}
        </span>
        <span className="dataset-row__fact dataset-row__date muted">{formatTimestamp(entry.updatedAt)}</span>
      </span>
      <IconChevronRight className="dataset-row__chevron" />
    </a>
  );
}
