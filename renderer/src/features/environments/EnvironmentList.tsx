import type { EnvironmentSummary } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { IconLayers } from '../../ui/icons.js';
import { CatalogList, CatalogRow, type ListSource } from '../shared/CatalogList.js';
import { SOURCE_LABELS } from './display.js';
import { environmentHref } from './route.js';

const ENVIRONMENTS: ListSource<EnvironmentSummary> = {
  items: (s) => s.environments, status: (s) => s.environmentsStatus, error: (s) => s.environmentsError,
  query: (s) => s.environmentsQuery, setQuery: (s) => s.setEnvironmentsQuery, load: (s) => s.loadEnvironments,
};

/** The search box and the virtualised list of captured environments. */
export function EnvironmentList() {
  return <CatalogList source={ENVIRONMENTS} title="Captured environments" noun="environment" label="Environments" row={(e) => <EnvironmentRow environment={e} />} />;
}

function EnvironmentRow({ environment: e }: { environment: EnvironmentSummary }) {
  return (
    <CatalogRow href={environmentHref(e.name)} icon={<IconLayers size={18} />} entry={e} path={e.path}>
      <Badge>{SOURCE_LABELS[e.source]}</Badge>
      <span className="dataset-row__fact">{e.pythonVersion ? `Python ${e.pythonVersion}` : <span className="muted">Python not pinned</span>}</span>
      <span className="dataset-row__fact">
        {e.packages} <span className="muted">{e.packages === 1 ? 'package' : 'packages'}</span>
      </span>
    </CatalogRow>
  );
}
