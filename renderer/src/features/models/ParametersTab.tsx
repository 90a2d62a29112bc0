import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { ModelDetail, PipelineStep } from '../../../../shared/contract/index.js';
import { formatNumber, formatPercent } from '../../ui/format.js';
import { VirtualTable, type VirtualColumn } from '../../ui/VirtualTable.js';
import { formatValue } from './display.js';

type Param = [name: string, value: string | number | boolean | null];

const PARAM_COLUMNS: readonly VirtualColumn<Param>[] = [
  { key: 'name', header: 'Parameter', rowHeader: true, className: 'mono', cell: ([name]) => name },
  { key: 'value', header: 'Value', className: 'mono', cell: ([, value]) => <span title={formatValue(value)}>{formatValue(value)}</span> },
];

/** Hyperparameters as the model reports them, its pipeline as a tree, and what drives its predictions. */
export function ParametersTab({ detail }: { detail: ModelDetail }) {
  const intro = detail.introspection;
  const params = Object.entries(intro.params).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="model-stack">
      <section className="panel" aria-labelledby="model-steps-heading">
        <div className="panel__head">
          <h2 id="model-steps-heading" className="panel__title">
            Pipeline
          </h2>
          <span className="muted small">Each step, and the columns a column transformer routes to it.</span>
        </div>
        {intro.steps.length === 0 ?
          <p className="panel__empty muted">
            A single estimator: <code>{intro.className}</code>.
          </p>
        : <PipelineTree steps={intro.steps} />}
      </section>

      <section className="panel" aria-labelledby="model-importances-heading">
        <div className="panel__head">
          <h2 id="model-importances-heading" className="panel__title">
            Feature importances
          </h2>
        </div>
        {intro.featureImportances && intro.featureImportances.length > 0 ?
          <FeatureImportances importances={intro.featureImportances} />
        : <p className="panel__empty muted">The model reports no feature importances (only tree ensembles and linear models do).</p>}
      </section>
      <section className="panel" aria-labelledby="model-params-heading">
        <div className="panel__head">
          <h2 id="model-params-heading" className="panel__title">
            Parameters
          </h2>
          <span className="muted small">{params.length} from get_params(), nested steps as step__parameter.</span>
        </div>
        {params.length === 0 ?
          <p className="panel__empty muted">The model reports no parameters.</p>
        : <VirtualTable caption="Parameters" columns={PARAM_COLUMNS} rows={params} rowKey={([name]) => name} className="model-params" />}
      </section>

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

const TICK = { fill: 'var(--text-muted)', fontSize: 11.5 };

function ImportanceTooltip({ active, payload }: TooltipContentProps) {
  const datum = active ? (payload?.[0]?.payload as { feature: string; importance: number } | undefined) : undefined;
  if (!datum) return null;
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip__label">{datum.feature}</p>
      <p className="chart-tooltip__value">{formatNumber(datum.importance)}</p>
    </div>
  );
}

function FeatureImportances({ importances }: { importances: { feature: string; importance: number }[] }) {
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
        <div className="chart__plot">
          <BarChart
            responsive
            layout="vertical"
            style={{ width: '100%', height: Math.max(120, data.length * 26 + 36) }}
            data={data}
            title={title}
            desc={summary}
            barCategoryGap={4}
            margin={{ top: 4, right: 16, bottom: 0, left: 0 }}
          >
            <CartesianGrid horizontal={false} className="chart__grid" />
            <XAxis type="number" tick={TICK} tickFormatter={(v: number) => formatNumber(v)} tickLine={false} height={24} />
            <YAxis type="category" dataKey="tick" tick={TICK} tickLine={false} axisLine={false} width={184} interval={0} />
            <Tooltip content={ImportanceTooltip} cursor={{ className: 'chart__cursor' }} isAnimationActive={false} />
            <Bar dataKey="importance" name="Importance" fill="currentColor" isAnimationActive={false} radius={[0, 2, 2, 0]} />
          </BarChart>
        </div>
      </figure>
      <table className="table table--compact importances__table">
        <caption className="visually-hidden">Feature importances</caption>
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col" className="num">
              Importance
            </th>
            <th scope="col" className="num">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((f) => (
            <tr key={f.feature}>
              <th scope="row" className="mono">
                {f.feature}
              </th>
              <td className="num">{formatNumber(f.importance)}</td>
              <td className="num">{formatPercent(Math.abs(f.importance) / total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
