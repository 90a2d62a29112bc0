import type { GoldenSet, Introspection, ModelCard, ModelCardSection, ModelLinks, ModelMetrics, ScanResult, Signature } from '../../../shared/contract/index.js';
import { MODEL_CARD_SECTIONS } from '../../../shared/contract/index.js';

export interface CardFacts {
  name: string;
  version: number;
  sha256: string;
  createdBy: string;
  createdAt: string;
  introspection: Introspection;
  signature: Signature;
  golden: Pick<GoldenSet, 'count' | 'seed' | 'dataset' | 'libraryVersions'>;
  metrics: ModelMetrics | null;
  lineage: ModelLinks;
  scan: Pick<ScanResult, 'safe' | 'format' | 'findings'>;
  /** Rows of each training dataset version. */
  trainingRows: Record<string, number>;
}

const TODO_MARK = "_To be written by the model's owner:";
const TODO = (what: string) => `${TODO_MARK} ${what}_`;

/** The card's sections still to write: empty, or still holding a prompt for the owner. */
export function cardGaps(card: ModelCard): string[] {
  return (Object.keys(MODEL_CARD_SECTIONS) as ModelCardSection[]).filter((k) => !card[k]?.trim() || card[k].includes(TODO_MARK)).map((k) => MODEL_CARD_SECTIONS[k]);
}

/** Whether a smaller value of the metric is better (errors and losses, also per slice: "rmse[plan=pro]"). */
export const lowerIsBetter = (metric: string) => /(^|_)(rmse|mse|mae|loss|error|log_?loss|brier)/i.test(metric);
const fmt = (n: number) => (Math.abs(n) >= 1000 || Number.isInteger(n) ? String(n) : n.toFixed(4));

/** A metrics table in markdown: value, baseline and whether the model beats it. */
export function metricsTable(m: ModelMetrics): string {
  const lines = ['| Metric | Model | Baseline | Better than baseline |', '| --- | --- | --- | --- |'];
  for (const [k, v] of Object.entries(m.values)) {
    const b = m.baseline?.values[k];
    const better = b === undefined ? '—' : (lowerIsBetter(k) ? v < b : v > b) ? 'yes' : '**no**';
    lines.push(`| ${k} | ${fmt(v)} | ${b === undefined ? '—' : fmt(b)} | ${better} |`);
  }
  return lines.join('\n');
}

/**
 * A model card pre-filled from what Greenhouse knows, in the nine sections of Mitchell et al.
 * (2019). Facts are filled in; judgements (intended use, factors, ethics) are left as prompts for
 * the model's owner, never invented.
 */
export function draftModelCard(f: CardFacts): ModelCard {
  const i = f.introspection;
  const training = f.lineage.training.map((t) => `${t.name}@${t.version} (target \`${t.target}\`${f.trainingRows[`${t.name}@${t.version}`] !== undefined ? `, ${f.trainingRows[`${t.name}@${t.version}`]} rows` : ''})`);
  const libs = Object.entries(i.libraryVersions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const details = [
    `- **Name and version:** ${f.name} v${f.version}`,
    `- **Type:** ${i.className} (${i.framework}, ${i.task}) from \`${i.module}\``,
    `- **Artifact:** ${f.scan.format}, SHA-256 \`${f.sha256}\``,
    `- **Registered by:** ${f.createdBy} on ${f.createdAt.slice(0, 10)}`,
    `- **Environment:** ${f.lineage.environment ? `${f.lineage.environment.name}@${f.lineage.environment.version}` : 'not recorded'}${libs ? ` (${libs})` : ''}`,
    f.lineage.notebook ? `- **Trained in:** notebook ${f.lineage.notebook.name}@${f.lineage.notebook.version}` : '- **Trained in:** no notebook linked',
    i.steps.length > 0 ? `- **Pipeline:** ${i.steps.map((s) => `${s.path} (${s.className})`).join(' → ')}` : null,
  ]
    .filter(Boolean)
    .join('\n');
  const inputs = f.signature.inputs.map((s) => `\`${s.name}\` (${s.dtype})`).join(', ');
  const outputs = f.signature.outputs.map((o) => `\`${o.name}\``).join(', ');
  const metrics = f.metrics
    ? [
        `Metrics ${f.metrics.source === 'computed' ? `computed by Greenhouse on ${f.metrics.dataset ? `${f.metrics.dataset.name}@${f.metrics.dataset.version}` : 'the evaluation data'}${f.metrics.rows !== null ? ` (${f.metrics.rows} rows)` : ''}` : f.metrics.source === 'file' ? 'read from a metrics file' : 'entered by hand'}.`,
        f.metrics.baseline ? `The baseline predicts the ${f.metrics.baseline.strategy === 'majority' ? 'majority class' : 'training mean'} for every row.` : '',
        '',
        metricsTable(f.metrics),
      ].join('\n')
    : TODO('which metrics matter for this use, and why; none are recorded yet.');
  return {
    details,
    intendedUse: TODO('the primary intended uses and users, and uses that are out of scope.'),
    factors: TODO('the groups, instruments or environments whose performance should be reported separately.'),
    metrics,
    evaluationData: f.lineage.evaluation
      ? `Dataset ${f.lineage.evaluation.name}@${f.lineage.evaluation.version}.\n\n${TODO('how it was collected and why it represents production data.')}`
      : TODO('no evaluation dataset is linked; say what the model was evaluated on.'),
    trainingData: [
      training.length > 0 ? `Trained on ${training.join(', ')}.` : 'No training dataset is linked.',
      `Input features (${f.signature.inputs.length}, from the ${f.signature.inputsFrom}): ${inputs || 'none'}.`,
      `Outputs: ${outputs}.`,
      `Golden examples: ${f.golden.count} rows sampled with seed ${f.golden.seed} from ${f.golden.dataset.name}@${f.golden.dataset.version}; the serving container must reproduce their predictions.`,
    ].join('\n\n'),
    quantitativeAnalyses: f.metrics ? `${TODO('results per factor (see Factors).')}` : TODO('results per factor, once metrics are recorded.'),
    ethicalConsiderations: TODO('sensitive data used, risks and harms, and how they are mitigated.'),
    caveats: [
      f.scan.safe ? null : '- The model file did not pass the pickle safety scan and was loaded on an explicit override.',
      i.warnings.length > 0 ? `- Loading printed warnings: ${i.warnings.map((w) => `"${w.slice(0, 200)}"`).join('; ')}` : null,
      TODO('known limitations and recommendations for use.'),
    ]
      .filter(Boolean)
      .join('\n'),
  };
}

/** The card as one markdown document (for bundles and reports). */
export function cardMarkdown(name: string, version: number, card: ModelCard): string {
  const parts = [`# Model card: ${name} v${version}`];
  for (const [key, title] of Object.entries(MODEL_CARD_SECTIONS)) parts.push(`## ${title}\n\n${card[key as keyof ModelCard].trim()}`);
  return parts.join('\n\n') + '\n';
}
