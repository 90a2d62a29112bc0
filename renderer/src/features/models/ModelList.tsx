import type { ModelSummary } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { IconCpu } from '../../ui/icons.js';
import { CatalogList, CatalogRow, type ListSource } from '../shared/CatalogList.js';
import { FRAMEWORK_LABELS, TASK_LABELS } from './display.js';
import { modelHref } from './route.js';

const MODELS: ListSource<ModelSummary> = {
  items: (s) => s.models, status: (s) => s.modelsStatus, error: (s) => s.modelsError,
  query: (s) => s.modelsQuery, setQuery: (s) => s.setModelsQuery, load: (s) => s.loadModels,
};

/** The search box and the virtualised list of models; the rows share the datasets' row styles. */
export function ModelList() {
  return <CatalogList source={MODELS} title="Registered models" noun="model" label="Models" row={(m) => <ModelRow model={m} />} />;
}

export function SafeBadge({ safe }: { safe: boolean }) {
  return safe ? <Badge tone="success">safe</Badge> : <Badge tone="danger">unsafe</Badge>;
}

function ModelRow({ model: m }: { model: ModelSummary }) {
  return (
    <CatalogRow href={modelHref(m.name)} icon={<IconCpu size={18} />} entry={m} sub={m.className}>
      <SafeBadge safe={m.safe} />
      <Badge>{FRAMEWORK_LABELS[m.framework]}</Badge>
      <span className="dataset-row__fact">{TASK_LABELS[m.task]}</span>
    </CatalogRow>
  );
}
