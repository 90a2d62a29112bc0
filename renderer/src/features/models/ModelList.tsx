import type { ModelSummary } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { formatTimestamp, plural } from '../../ui/format.js';
import { IconChevronRight, IconCpu } from '../../ui/icons.js';
import { SearchableList } from '../../ui/SearchableList.js';
import { FRAMEWORK_LABELS, TASK_LABELS } from './display.js';
import { modelHref } from './route.js';

export const MODEL_ROW_HEIGHT = 68;

/** The search box and the virtualised list of models; the rows share the datasets' row styles. */
export function ModelList() {
  const models = useAppStore((s) => s.models);
  const status = useAppStore((s) => s.modelsStatus);
  const error = useAppStore((s) => s.modelsError);
  const query = useAppStore((s) => s.modelsQuery);
  const setQuery = useAppStore((s) => s.setModelsQuery);
  const loadModels = useAppStore((s) => s.loadModels);
  return (
    <SearchableList
      block="dataset-list"
      rowClass="dataset-row"
      title="Registered models"
      noun="model"
      label="Models"
      items={models}
      itemKey={(m) => m.name}
      renderItem={(m) => <ModelRow model={m} />}
      status={status}
      error={error}
      query={query}
      onQuery={setQuery}
      onLoad={loadModels}
      virtualRowHeight={MODEL_ROW_HEIGHT}
    />
  );
}

export function SafeBadge({ safe }: { safe: boolean }) {
  return safe ? <Badge tone="success">safe</Badge> : <Badge tone="danger">unsafe</Badge>;
}

function ModelRow({ model: m }: { model: ModelSummary }) {
  return (
    <a className="dataset-row__link" href={modelHref(m.name)}>
      <span className="dataset-row__icon" aria-hidden="true">
        <IconCpu size={18} />
      </span>
      <span className="dataset-row__text">
        <span className="dataset-row__name">{m.name}</span>
        <span className="dataset-row__path mono">{m.className}</span>
      </span>
      <span className="dataset-row__meta">
        <SafeBadge safe={m.safe} />
        <Badge>{FRAMEWORK_LABELS[m.framework]}</Badge>
        <span className="dataset-row__fact">{TASK_LABELS[m.task]}</span>
        <span className="dataset-row__fact dataset-row__version" title={plural(m.versions, 'version')}>
          v{m.latestVersion}
        </span>
        <span className="dataset-row__fact dataset-row__date muted">{formatTimestamp(m.updatedAt)}</span>
      </span>
      <IconChevronRight className="dataset-row__chevron" />
    </a>
  );
}
