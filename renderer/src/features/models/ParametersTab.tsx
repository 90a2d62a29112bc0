import { useId } from 'react';
import type { TooltipContentProps } from 'recharts';
import type { ModelDetail, PipelineStep } from '../../../../shared/contract/index.js';
import { formatNumber, formatPercent } from '../../ui/format.js';
import { Panel } from '../../ui/Panel.js';
import { Table, type TableColumn } from '../../ui/Table.js';
import { VirtualTable } from '../../ui/VirtualTable.js';
import { HorizontalBars, TooltipBox } from '../datasets/charts.js';
import { formatValue } from './display.js';

type Param = [name: string, value: string | number | boolean | null];

const PARAM_COLUMNS: readonly TableColumn<Param>[] = [
  { key: 'name', header: 'Parameter', rowHeader: true, className: 'mono', cell: ([name]) => name },
  { key: 'value', header: 'Value', className: 'mono', cell: ([, value]) => <span title={formatValue(value)}>{formatValue(value)}</span> },
];

/** Hyperparameters as the model reports them, its pipeline as a tree, and what drives its predictions. */
export function ParametersTab({ detail }: { detail: ModelDetail }) {
  const intro = detail.introspection;
  const params = Object.entries(intro.params).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="model-stack">
      <Panel headingId="model-steps-heading" title="Pipeline" note="Each step, and the columns a column transformer routes to it.">
        {intro.steps.length === 0 ?
          <p className="panel__empty muted">
            A single estimator: <code>{intro.className}</code>.
          </p>
        : <PipelineTree steps={intro.steps} />}
      </Panel>
      <Panel headingId="model-importances-heading" title="Feature importances">
        {intro.featureImportances && intro.featureImportances.length > 0 ?
          <FeatureImportances importances={intro.featureImportances} />
        : <p className="panel__empty muted">The model reports no feature importances (only tree ensembles and linear models do).</p>}
      </Panel>
      <Panel headingId="model-params-heading" title="Parameters" note={`${params.length} from get_params(), nested steps as step__parameter.`}>
        {params.length === 0 ?
          <p className="panel__empty muted">The model reports no parameters.</p>
        : <VirtualTable caption="Parameters" columns={PARAM_COLUMNS} rows={params} rowKey={([name]) => name} className="model-params table--named-rows" />}
      </Panel>
    </div>
  );
}

interface TreeNode {
  name: string;
  step: PipelineStep | null;
  children: TreeNode[];
}

/** Steps are slash-joined paths ("prep/num"): nest them under their parents, in the order given. */
export function buildStepTree(steps: readonly PipelineStep[]): TreeNode[] {
  const root: TreeNode = { name: '', step: null, children: [] };
  for (const step of steps) {
    let node = root;
    for (const part of step.path.split('/')) {
      let child = node.children.find((c) => c.name === part);
      if (!child) {
        child = { name: part, step: null, children: [] };
        node.children.push(child);
      }
      node = child;
    }
    node.step = step;
  }
  return root.children;
}

function PipelineTree({ steps }: { steps: readonly PipelineStep[] }) {
  return <StepList nodes={buildStepTree(steps)} label="Pipeline steps" />;
}

function StepList({ nodes, label }: { nodes: TreeNode[]; label?: string }) {
  return (
    <ul className="pipeline-tree" aria-label={label}>
      {nodes.map((n) => (
        <li key={n.name} className="pipeline-tree__item">
          <div className="pipeline-tree__step">
            <span className="pipeline-tree__name">{n.name}</span>
            {n.step && <code className="pipeline-tree__class">{n.step.className}</code>}
            {n.step?.columns && n.step.columns.length > 0 && (
              <span className="pipeline-tree__columns" aria-label={`Columns: ${n.step.columns.join(', ')}`}>
                {n.step.columns.map((c) => (
                  <span key={c} className="type-tag">
                    {c}
                  </span>
                ))}
              </span>
            )}
          </div>
          {n.children.length > 0 && <StepList nodes={n.children} />}
        </li>
      ))}
    </ul>
  );
}

type Importance = { feature: string; importance: number };

const importanceColumns = (total: number): TableColumn<Importance>[] => [
  { key: 'feature', header: 'Feature', rowHeader: true, cellClassName: 'mono', cell: (f) => f.feature },
  { key: 'importance', header: 'Importance', className: 'num', cell: (f) => formatNumber(f.importance) },
  { key: 'share', header: 'Share', className: 'num', cell: (f) => formatPercent(Math.abs(f.importance) / total) },
];

function ImportanceTooltip({ active, payload }: TooltipContentProps) {
  const datum = active ? (payload?.[0]?.payload as Importance | undefined) : undefined;
  if (!datum) return null;
  return <TooltipBox label={datum.feature}>{formatNumber(datum.importance)}</TooltipBox>;
}

function FeatureImportances({ importances }: { importances: Importance[] }) {
  const titleId = useId();
  const sorted = [...importances].sort((a, b) => Math.abs(b.importance) - Math.abs(a.importance));
  const top = sorted.slice(0, 20);
  const total = sorted.reduce((s, f) => s + Math.abs(f.importance), 0) || 1;
  const data = top.map((f) => ({ tick: f.feature.length > 24 ? `${f.feature.slice(0, 23)}…` : f.feature, ...f }));
  const title = sorted.length > top.length ? `The ${top.length} most important of ${sorted.length} features` : 'Importance by feature';
  const summary = `${title}: ${top
    .slice(0, 5)
    .map((f) => `${f.feature} ${formatNumber(f.importance)}`)
    .join(', ')}.`;
  return (
    <div className="importances">
      <figure className="chart importances__chart" aria-labelledby={titleId} data-chart="feature-importances">
        <figcaption id={titleId} className="chart__title">
          {title}
        </figcaption>
        <HorizontalBars
          data={data}
          title={title}
          summary={summary}
          bar={{ dataKey: 'importance', name: 'Importance' }}
          tickFormatter={(v) => formatNumber(v)}
          tickWidth={184}
          tooltip={ImportanceTooltip}
        />
      </figure>
      <Table
        caption="Feature importances"
        columns={importanceColumns(total)}
        rows={sorted}
        rowKey={(f) => f.feature}
        className="table--compact table--named-rows importances__table"
        wrapped={false}
      />
    </div>
  );
}
