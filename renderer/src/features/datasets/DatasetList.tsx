import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { DatasetSummary } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { formatBytes, formatCount, formatTimestamp, plural } from '../../ui/format.js';
import { IconChevronRight, IconSearch, IconTable } from '../../ui/icons.js';
import { Spinner } from '../../ui/Spinner.js';
import { FORMAT_LABELS } from './display.js';
import { datasetHref } from './route.js';

export const DATASET_ROW_HEIGHT = 68;
/** The list scrolls inside its panel beyond this height, so the page header stays in view. */
const MAX_LIST_HEIGHT = 560;
const SEARCH_DEBOUNCE_MS = 200;

/** The search box and the virtualised list of datasets (only the visible rows are in the DOM). */
export function DatasetList() {
  const datasets = useAppStore((s) => s.datasets);
  const status = useAppStore((s) => s.datasetsStatus);
  const error = useAppStore((s) => s.datasetsError);
  const query = useAppStore((s) => s.datasetsQuery);
  const setQuery = useAppStore((s) => s.setDatasetsQuery);
  const loadDatasets = useAppStore((s) => s.loadDatasets);
  const first = useRef(true);

  // The backend filters; wait for a pause in typing before asking it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      void loadDatasets();
      return;
    }
    const timer = setTimeout(() => void loadDatasets(), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, loadDatasets]);

  const searching = query.trim() !== '';
  return (
    <section className="panel dataset-list" aria-labelledby="dataset-list-heading">
      <div className="panel__head dataset-list__head">
        <h2 id="dataset-list-heading" className="panel__title">
          Registered datasets
        </h2>
        <div className="search">
          <IconSearch className="search__icon" />
          <input
            type="search"
            className="input input--sm search__input"
            placeholder="Search by name or path"
            aria-label="Search datasets"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        <span className="muted small dataset-list__count" aria-live="polite">
          {status === 'loading' ? <Spinner /> : null}
          {status === 'ready' && (searching ? `${plural(datasets.length, 'match', 'matches')}` : plural(datasets.length, 'dataset'))}
        </span>
      </div>
      {error && (
        <ErrorBanner
          error={error}
          title="Could not load the datasets"
          actions={
            <Button size="sm" onClick={() => void loadDatasets()}>
              Try again
            </Button>
          }
        />
      )}
      {datasets.length === 0 ? (
        status === 'ready' && (
          <p className="panel__empty muted">{searching ? `No dataset matches “${query.trim()}”.` : 'No datasets registered yet.'}</p>
        )
      ) : (
        <VirtualRows datasets={datasets} />
      )}
    </section>
  );
}

function VirtualRows({ datasets }: { datasets: DatasetSummary[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The app does not use the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: datasets.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => DATASET_ROW_HEIGHT,
    overscan: 6,
    // Before the first measurement (and in tests, where nothing has a size) assume a full panel.
    initialRect: { width: 900, height: MAX_LIST_HEIGHT },
    getItemKey: (i) => datasets[i]!.name,
  });
  const height = Math.min(MAX_LIST_HEIGHT, datasets.length * DATASET_ROW_HEIGHT);
  return (
    <div ref={scrollRef} className="dataset-list__scroll" style={{ height }}>
      <ul className="dataset-list__rows" aria-label="Datasets" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const d = datasets[item.index]!;
          return (
            <li
              key={item.key}
              className="dataset-row"
              aria-setsize={datasets.length}
              aria-posinset={item.index + 1}
              style={{ height: item.size, transform: `translateY(${item.start}px)` }}
            >
              <DatasetRow dataset={d} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function DatasetRow({ dataset: d }: { dataset: DatasetSummary }) {
  return (
    <a className="dataset-row__link" href={datasetHref(d.name)}>
      <span className="dataset-row__icon" aria-hidden="true">
        <IconTable size={18} />
      </span>
      <span className="dataset-row__text">
        <span className="dataset-row__name">{d.name}</span>
        <span className="dataset-row__path mono path-start-ellipsis" title={d.sourcePath}>
          <bdi>{d.sourcePath}</bdi>
        </span>
      </span>
      <span className="dataset-row__meta">
        <Badge>{FORMAT_LABELS[d.format]}</Badge>
        <span className="dataset-row__fact">
          {formatCount(d.rows)} <span className="muted">rows</span>
        </span>
        <span className="dataset-row__fact">
          {d.columnCount} <span className="muted">cols</span>
        </span>
        <span className="dataset-row__fact">{formatBytes(d.bytes)}</span>
        <span className="dataset-row__fact dataset-row__version" title={plural(d.versions, 'version')}>
          v{d.latestVersion}
        </span>
        <span className="dataset-row__fact dataset-row__date muted">{formatTimestamp(d.updatedAt)}</span>
      </span>
      <IconChevronRight className="dataset-row__chevron" />
    </a>
  );
}
