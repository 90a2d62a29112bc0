import type { NotebookSummary } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { formatTimestamp, plural } from '../../ui/format.js';
import { IconChevronRight, IconNotebook } from '../../ui/icons.js';
import { SearchableList } from '../../ui/SearchableList.js';
import { useListSource, type ListSource } from '../shared/CatalogList.js';
import { FindingCountBadges } from './Findings.js';
import { notebookHref } from './route.js';

const NOTEBOOKS: ListSource<NotebookSummary> = {
  items: (s) => s.notebooks, status: (s) => s.notebooksStatus, error: (s) => s.notebooksError,
  query: (s) => s.notebooksQuery, setQuery: (s) => s.setNotebooksQuery, load: (s) => s.loadNotebooks,
};

/** The search box and the registered notebooks, newest change first. */
export function NotebookList() {
  const list = useListSource(NOTEBOOKS);
  return (
    <SearchableList
      block="notebook-list"
      rowClass="notebook-row"
      title="Registered notebooks"
      noun="notebook"
      label="Notebooks"
      itemKey={(n) => n.name}
      renderItem={(n) => <NotebookRow notebook={n} />}
      {...list}
    />
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
