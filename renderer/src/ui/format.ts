// Formatting for people: sizes, durations and times in the user's locale.

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s % 60);
  if (m < 60) return `${m} min ${rest} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** Time only for today, date and time otherwise. */
export function formatTimestamp(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return sameDay(d, now)
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const integerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** A count with digit grouping: 12,345. */
export const formatCount = (n: number): string => integerFormat.format(n);

/** A measured value: up to four significant digits, grouping for large numbers, no "-0". */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= 1e15 || abs < 1e-4) return n.toExponential(2);
  if (Number.isInteger(n)) return formatCount(n);
  if (abs >= 1000) return new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(n);
  return new Intl.NumberFormat(undefined, { maximumSignificantDigits: 4 }).format(n);
}

/** A short axis label: 1.2k, 3.4M. */
export const formatCompact = (n: number): string =>
  new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 }).format(n);

/** A share 0..1 as a percentage, with a decimal where it matters (0.4%, 12%). */
export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  if (p === 0) return '0%';
  if (p < 0.1) return '<0.1%';
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}

/** The first 12 hex digits of a SHA-256, enough to tell versions apart at a glance. */
export const shortSha = (sha256: string) => sha256.slice(0, 12);
