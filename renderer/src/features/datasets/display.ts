// How dataset facts read: profile values, histogram bins, hashes, registration outcomes, PSI.
import type { ColumnKind, DatasetFormat, HistogramBin, Job, RegisterResult, Scalar } from '../../../../shared/contract/index.js';
import type { psiBand } from '../../../../shared/stats/psi.js';
import type { Registration } from '../../store/index.js';
import type { BadgeTone } from '../../ui/Badge.js';
import { formatCompact, formatCount, formatNumber, plural } from '../../ui/format.js';
import { registrationStatusText } from '../shared/registration-status.js';

export const FORMAT_LABELS: Record<DatasetFormat, string> = { csv: 'CSV', tsv: 'TSV', jsonl: 'JSON Lines', parquet: 'Parquet' };

export const isDataFileName = (name: string) => /\.(csv|tsv|tab|txt|jsonl|ndjson|parquet|pq)(\.gz)?$/i.test(name);

const isTemporal = (kind: ColumnKind) => kind === 'date' || kind === 'timestamp';

/** A date or timestamp as people read it: 2025-03-01, or 2025-03-01 14:05 (UTC as stored). */
function formatTemporal(value: string, kind: ColumnKind): string {
  if (kind === 'date') return value.slice(0, 10);
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?/.exec(value);
  return m ? `${m[1]} ${m[2]}${m[3] && m[3] !== ':00' ? m[3] : ''}` : value;
}

/** A value from a profile (min, max, a quantile, a frequent value). */
export function formatScalar(value: Scalar | null | undefined, kind: ColumnKind): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isTemporal(kind)) return formatTemporal(value, kind);
  return value;
}

/** A statistic that may be missing (mean and std of a text column). */
export const formatStat = (value: number | null | undefined) => (value === null || value === undefined ? '—' : formatNumber(value));

/** A short label for a histogram bin's lower edge, for an axis. */
export function binTick(value: Scalar, kind: ColumnKind): string {
  if (typeof value === 'number') return formatCompact(value);
  if (typeof value === 'string' && isTemporal(kind)) return value.slice(0, 10);
  return String(value);
}

/** A histogram bin as a range: "10 – 20", "2025-01-01 – 2025-02-01". */
export const binLabel = (bin: HistogramBin, kind: ColumnKind) => `${formatScalar(bin.lower, kind)} – ${formatScalar(bin.upper, kind)}`;

/** A cell of the sample table. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export type PsiBand = ReturnType<typeof psiBand>;
export const PSI_TONES: Record<PsiBand, BadgeTone> = { stable: 'success', 'moderate shift': 'warning', 'major shift': 'danger' };

export const formatPsi = (value: number) => (value < 0.001 ? '<0.001' : value.toFixed(3));

/** The headline of a finished registration. */
export function outcomeText(result: RegisterResult): string {
  switch (result.outcome) {
    case 'created':
      return `Registered ${result.name} as a new dataset (version ${result.version}).`;
    case 'new-version':
      return `Registered version ${result.version} of ${result.name}.`;
    case 'unchanged':
      return `Nothing changed: the bytes are identical to ${result.name} version ${result.version}, so no new version was made.`;
  }
}

/** What a registration card says while it is not finished or when it could not start. */
export const registrationStatus = (registration: Registration, job: Job | undefined) => registrationStatusText(registration, job, 'Hashing and profiling…');

export const rowsAndColumns = (rows: number, columns: number) => `${formatCount(rows)} ${rows === 1 ? 'row' : 'rows'} × ${plural(columns, 'column')}`;
