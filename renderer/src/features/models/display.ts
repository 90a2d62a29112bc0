// How model facts read: frameworks, tasks, scan severities, metrics against their baseline,
// registration outcomes.
import type { Job, ModelFramework, ModelRegisterResult, ModelTask, ScanResult, ScanSeverity } from '../../../../shared/contract/index.js';
import type { Registration } from '../../store/index.js';
import type { BadgeTone } from '../../ui/Badge.js';
import { formatNumber } from '../../ui/format.js';
import { registrationStatusText } from '../shared/registration-status.js';

export const FRAMEWORK_LABELS: Record<ModelFramework, string> = {
  'scikit-learn': 'scikit-learn',
  xgboost: 'XGBoost',
  onnx: 'ONNX',
  other: 'Other',
};

export const TASK_LABELS: Record<ModelTask, string> = {
  classification: 'Classification',
  regression: 'Regression',
  other: 'Other task',
};

export const SEVERITY_TONES: Record<ScanSeverity, BadgeTone> = {
  critical: 'danger',
  high: 'danger',
  medium: 'warning',
  low: 'info',
  info: 'neutral',
};

/** How many findings of each severity, most severe first; only the severities present. */
export function severityCounts(scan: ScanResult): { severity: ScanSeverity; count: number }[] {
  const order: ScanSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];
  return order.map((severity) => ({ severity, count: scan.findings.filter((f) => f.severity === severity).length })).filter((c) => c.count > 0);
}

/** One line for a scan: what it found, or that it found nothing to worry about. */
export function scanSummary(scan: ScanResult): string {
  const counts = severityCounts(scan);
  const imports = `${scan.globals.length} import${scan.globals.length === 1 ? '' : 's'}`;
  if (counts.length === 0) return `No findings: all ${imports} are on the allowlist.`;
  const parts = counts.map((c) => `${c.count} ${c.severity}`);
  return `${parts.join(', ')} finding${scan.findings.length === 1 ? '' : 's'} among ${imports}.`;
}

/** The dotted name a finding or global is about: "posix.system". */
export const globalName = (module: string | null, name: string | null) => [module, name].filter(Boolean).join('.') || '—';

// Metrics where less is better; every other metric (accuracy, f1, roc_auc, r2…) is better higher.
const LOWER_IS_BETTER = /(loss|error|mse|mae|rmse|mape|brier|deviance|hinge)/i;
export const lowerIsBetter = (metric: string) => LOWER_IS_BETTER.test(metric);

export type BaselineVerdict = 'beats' | 'ties' | 'loses' | 'no-baseline';

/** Whether a metric value beats the trivial model's on the same data. */
export function compareWithBaseline(metric: string, value: number, baseline: number | undefined): BaselineVerdict {
  if (baseline === undefined || !Number.isFinite(baseline)) return 'no-baseline';
  const diff = value - baseline;
  if (Math.abs(diff) < 1e-12) return 'ties';
  return (lowerIsBetter(metric) ? diff < 0 : diff > 0) ? 'beats' : 'loses';
}

/** The signed difference as people read it: "+0.04", "−0.09". */
export function formatDelta(value: number, baseline: number): string {
  const d = value - baseline;
  if (d === 0) return '±0';
  return `${d > 0 ? '+' : '−'}${formatNumber(Math.abs(d))}`;
}

/** A value of a golden row or parameter as text: JSON scalars as written, null as an em dash. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatNumber(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The headline of a finished registration. */
export function modelOutcomeText(result: ModelRegisterResult): string {
  const env = `in ${result.environment.name} v${result.environment.version}`;
  return result.outcome === 'created'
    ? `Registered ${result.name} as a new model (version ${result.version}), loaded ${env}.`
    : `Registered version ${result.version} of ${result.name}, loaded ${env}.`;
}

/** What a registration card says while it is not finished or when it could not start. */
export const modelRegistrationStatus = (registration: Registration, job: Job | undefined) =>
  registrationStatusText(registration, job, 'Loading the model in its environment…');

export const isModelFileName = (name: string) => /\.(joblib|pkl|pickle|onnx|sav|gz|z|bz2|xz|lzma)$/i.test(name);
