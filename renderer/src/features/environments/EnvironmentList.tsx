import type { EnvironmentSummary } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { formatTimestamp, plural } from '../../ui/format.js';
import { IconChevronRight, IconLayers } from '../../ui/icons.js';
import { SearchableList } from '../../ui/SearchableList.js';
import { SOURCE_LABELS } from './display.js';
import { environmentHref } from './route.js';

export const ENVIRONMENT_ROW_HEIGHT = 68;

/** The search box and the virtualised list of captured environments. */
export function EnvironmentList() {
  const environments = useAppStore((s) => s.environments);
  const status = useAppStore((s) => s.environmentsStatus);
  const error = useAppStore((s) => s.environmentsError);
  const query = useAppStore((s) => s.environmentsQuery);
  const setQuery = useAppStore((s) => s.setEnvironmentsQuery);
  const loadEnvironments = useAppStore((s) => s.loadEnvironments);
  return (
    <SearchableList
      block="dataset-list"
      rowClass="dataset-row"
      title="Captured environments"
      noun="environment"
      label="Environments"
      items={environments}
      itemKey={(e) => e.name}
      renderItem={(e) => <EnvironmentRow environment={e} />}
      status={status}
      error={error}
      query={query}
      onQuery={setQuery}
      onLoad={loadEnvironments}
      virtualRowHeight={ENVIRONMENT_ROW_HEIGHT}
    />
  );
}

function EnvironmentRow({ environment: e }: { environment: EnvironmentSummary }) {
  return (
    <a className="dataset-row__link" href={environmentHref(e.name)}>
      <span className="dataset-row__icon" aria-hidden="true">
        <IconLayers size={18} />
      </span>
      <span className="dataset-row__text">
        <span className="dataset-row__name">{e.name}</span>
        <span className="dataset-row__path mono path-start-ellipsis" title={e.path}>
          <bdi>{e.path}</bdi>
        </span>
      </span>
      <span className="dataset-row__meta">
        <Badge>{SOURCE_LABELS[e.source]}</Badge>
        <span className="dataset-row__fact">{e.pythonVersion ? `Python ${e.pythonVersion}` : <span className="muted">Python not pinned</span>}</span>
        <span className="dataset-row__fact">
          {e.packages} <span className="muted">{e.packages === 1 ? 'package' : 'packages'}</span>
        </span>
        <span className="dataset-row__fact dataset-row__version" title={plural(e.versions, 'version')}>
          v{e.latestVersion}
        </span>
        <span className="dataset-row__fact dataset-row__date muted">{formatTimestamp(e.updatedAt)}</span>
      </span>
      <IconChevronRight className="dataset-row__chevron" />
    </a>
  );
}
