import { useEffect, useRef } from 'react';
import type { NotebookSummary } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { formatTimestamp, plural } from '../../ui/format.js';
import { IconChevronRight, IconNotebook, IconSearch } from '../../ui/icons.js';
import { Spinner } from '../../ui/Spinner.js';
import { FindingCountBadges } from './Findings.js';
import { notebookHref } from './route.js';

const SEARCH_DEBOUNCE_MS = 200;

/** The search box and the registered notebooks, newest change first. */
export function NotebookList() {
  const notebooks = useAppStore((s) => s.notebooks);
  const status = useAppStore((s) => s.notebooksStatus);
  const error = useAppStore((s) => s.notebooksError);
  const query = useAppStore((s) => s.notebooksQuery);
  const setQuery = useAppStore((s) => s.setNotebooksQuery);
  const loadNotebooks = useAppStore((s) => s.loadNotebooks);
  const first = useRef(true);

  // The backend filters; wait for a pause in typing before asking it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      void loadNotebooks();
      return;
    }
    const timer = setTimeout(() => void loadNotebooks(), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, loadNotebooks]);

  const searching = query.trim() !== '';
  return (
    <section className="panel notebook-list" aria-labelledby="notebook-list-heading">
      <div className="panel__head notebook-list__head">
        <h2 id="notebook-list-heading" className="panel__title">
          Registered notebooks
        </h2>
        <div className="search">
          <IconSearch className="search__icon" />
          <input
            type="search"
            className="input input--sm search__input"
            placeholder="Search by name or path"
            aria-label="Search notebooks"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        <span className="muted small notebook-list__count" aria-live="polite">
          {status === 'loading' ? <Spinner /> : null}
          {status === 'ready' && (searching ? plural(notebooks.length, 'match', 'matches') : plural(notebooks.length, 'notebook'))}
        </span>
      </div>
      {error && (
        <ErrorBanner
          error={error}
          title="Could not load the notebooks"
          actions={
            <Button size="sm" onClick={() => void loadNotebooks()}>
              Try again
            </Button>
          }
        />
      )}
      {notebooks.length === 0 ? (
        status === 'ready' && <p className="panel__empty muted">{searching ? `No notebook matches “${query.trim()}”.` : 'No notebooks registered yet.'}</p>
      ) : (
        <ul className="notebook-list__rows" aria-label="Notebooks">
          {notebooks.map((n) => (
            <li key={n.name} className="notebook-row">
              <NotebookRow notebook={n} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NotebookRow({ notebook: n }: { notebook: NotebookSummary }) {
  return (
    <a className="notebook-row__link" href={notebookHref(n.name)}>
      <span className="notebook-row__icon" aria-hidden="true">
        <IconNotebook size={18} />
      </span>
      <span className="notebook-row__text">
        <span className="notebook-row__name">{n.name}</span>
        <span className="notebook-row__path mono path-start-ellipsis" title={n.path}>
          <bdi>{n.path}</bdi>
        </span>
      </span>
      <span className="notebook-row__meta">
        {n.kernel && <span className="notebook-row__kernel muted small">{n.kernel}</span>}
        <FindingCountBadges counts={n.findings} compact />
        <LastRunBadge state={n.lastRun} />
        <span className="notebook-row__version" title={plural(n.versions, 'version')}>
          v{n.latestVersion}
        </span>
        <span className="notebook-row__date muted small">{formatTimestamp(n.updatedAt)}</span>
      </span>
      <IconChevronRight className="notebook-row__chevron" />
    </a>
  );
}

export function LastRunBadge({ state }: { state: 'passed' | 'failed' | null }) {
  if (state === 'passed') return <Badge tone="success">Reproduced</Badge>;
  if (state === 'failed') return <Badge tone="danger">Run failed</Badge>;
  return <Badge>Not run</Badge>;
}
