// How a drift check reads: the PSI bands, the tests, p-values and shares, the buckets' names.
import type { ColumnKind, DriftBucket, DriftCheck, DriftFeature, DriftThresholds, SchemaViolationKind } from '../../../../shared/contract/index.js';
import type { BadgeTone } from '../../ui/Badge.js';
import { formatPercent } from '../../ui/format.js';
import { binTick } from '../datasets/display.js';

export const PSI_BAND_DISPLAY: Record<NonNullable<DriftFeature['psiBand']>, { label: string; tone: BadgeTone }> = {
  stable: { label: 'stable', tone: 'success' },
  moderate: { label: 'moderate', tone: 'warning' },
  significant: { label: 'significant', tone: 'danger' },
};

export const TEST_LABELS: Record<NonNullable<DriftFeature['test']>, { short: string; long: string }> = {
  ks: { short: 'KS', long: 'Kolmogorov–Smirnov' },
  chi2: { short: 'χ²', long: 'chi-square' },
};

export const VIOLATION_LABELS: Record<SchemaViolationKind, string> = {
  'missing-column': 'Missing column',
  'unknown-column': 'Unknown column',
  'wrong-type': 'Wrong type',
  'unexpected-null': 'Unexpected nulls',
  'out-of-range': 'Out of range',
  'new-category': 'New categories',
};

/** The names of the thresholds, as the form and the facts say them. */
export const THRESHOLD_FIELDS: { key: keyof DriftThresholds; label: string; hint: string; step: string; max: number }[] = [
  { key: 'psiModerate', label: 'Moderate PSI', hint: 'from here a feature can drift, with JS too', step: '0.01', max: 10 },
  { key: 'psiSignificant', label: 'Significant PSI', hint: 'from here a feature drifts', step: '0.01', max: 10 },
  { key: 'js', label: 'Jensen–Shannon', hint: 'with a moderate PSI', step: '0.01', max: 1 },
  { key: 'pValue', label: 'p-value below', hint: 'the test must agree', step: '0.001', max: 1 },
  { key: 'datasetShare', label: 'Share of features', hint: 'for the batch to drift', step: '0.05', max: 1 },
];

/** A statistic to three decimals, very small ones in exponent form. */
export function formatStat(x: number | null): string {
  if (x === null) return '—';
  if (x !== 0 && Math.abs(x) < 0.001) return x.toExponential(1);
  return x.toFixed(3);
}

/** A p-value: 0.863, 0.004, 4.2e-33. */
export function formatP(p: number | null): string {
  if (p === null) return '—';
  if (p === 0) return '0';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

/** A share of features: "50 %" style, whole percent unless it matters. */
export const formatShare = (share: number | null): string => (share === null ? '—' : formatPercent(share));

/** A threshold as typed in the form. */
export const formatThreshold = (x: number): string => String(Number(x.toPrecision(6)));

/** A bucket's short name under its bar: a category's value, a bin's range, and the two special buckets named for what they hold. */
export function bucketTick(b: DriftBucket, kind: ColumnKind): string {
  if (b.kind === 'null') return 'null';
  if (b.kind === 'other') return 'other/new';
  if (b.kind === 'value') {
    const v = b.value === null ? b.label : String(b.value);
    return v.length > 14 ? `${v.slice(0, 13)}…` : v || '(empty)';
  }
  return b.lower === null ? b.label : binTick(b.lower, kind);
}

/** A bucket's full name, in the tooltip and the table. */
export function bucketLabel(b: DriftBucket): string {
  if (b.kind === 'null') return 'null (missing values)';
  if (b.kind === 'other') return 'other/new (values the reference does not list)';
  if (b.kind === 'value') return b.value === null ? b.label : String(b.value) || '(empty)';
  return b.label;
}

/** The verdict in a sentence: how many features drifted against the share that makes the batch drift. */
export function verdictSentence(c: Pick<DriftCheck, 'drift' | 'checked' | 'drifted' | 'share' | 'thresholds'>): string {
  const threshold = formatPercent(c.thresholds.datasetShare);
  if (c.checked === 0) return 'No feature could be compared, so there is no verdict.';
  const n = c.drifted.length;
  const of = `${n} of ${c.checked} feature${c.checked === 1 ? '' : 's'} drifted (${formatShare(c.share)})`;
  return c.drift ? `${of}, at or above the ${threshold} that makes the batch drift.` : `${of}, below the ${threshold} that makes the batch drift.`;
}

/** What a feature's row says in its Drift column. */
export function featureState(f: Pick<DriftFeature, 'drifted' | 'skipped'>): { label: string; tone: BadgeTone } {
  if (f.skipped) return { label: 'not compared', tone: 'neutral' };
  return f.drifted ? { label: 'drift', tone: 'danger' } : { label: 'no drift', tone: 'success' };
}

/** The last part of a path, for lists where the whole one is on hover. */
export const baseName = (path: string): string => path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || path;

/** A dataset name for a hand-back: letters, digits, dot, dash and underscore only. */
export const handBackName = (model: string, id: number): string => `${model.replace(/[^\w.-]+/g, '-').replace(/^[^\w]+/, '') || 'batch'}-drift-${id}`;
