import type { BundleDetail, BundleStatus, InstallStrategyName } from '../../../../shared/contract/index.js';
import type { BadgeTone } from '../../ui/Badge.js';

export type BundleFile = BundleDetail['files'][number];

export const STATUS_DISPLAY: Record<BundleStatus, { label: string; tone: BadgeTone; says: string }> = {
  written: { label: 'written', tone: 'neutral', says: 'Written; no image built yet.' },
  'build-failed': { label: 'build failed', tone: 'danger', says: 'The last image build failed.' },
  built: { label: 'built', tone: 'info', says: 'The image is built; it has not passed a smoke test yet.' },
  'smoke-failed': { label: 'smoke failed', tone: 'danger', says: 'The image failed its last smoke test.' },
  tested: { label: 'tested', tone: 'success', says: 'The image passed its smoke test.' },
};

export const STRATEGY_DISPLAY: Record<InstallStrategyName, { label: string; explanation: string }> = {
  pip: {
    label: 'pip',
    explanation: 'Pinned pip install --no-deps from the package index, then pip check; the build needs the index.',
  },
  wheelhouse: {
    label: 'Wheelhouse',
    explanation: 'Installs only from wheels vendored into the bundle’s wheels/ folder, never an index: for air-gapped targets.',
  },
  base: {
    label: 'Base image',
    explanation: 'The base image already has the libraries; the build checks their versions and fails naming any that differ.',
  },
};

/** The Dockerfile first, then the rest by path. */
export function sortFiles<T extends Pick<BundleFile, 'path'>>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => (a.path === 'Dockerfile' ? -1 : b.path === 'Dockerfile' ? 1 : a.path.localeCompare(b.path)));
}

/** "sha256:0123…" shortened to the 12 hex digits people compare. */
export const shortImageId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** The tolerance as typed, or why it is not one. */
export function parseTolerance(text: string): { value: number; problem: null } | { value: null; problem: string } {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value > 1) return { value: null, problem: 'Enter a number above 0 and at most 1, e.g. 1e-6.' };
  return { value, problem: null };
}

/** A measured difference or tolerance: exponent notation when it is small. */
export function formatDifference(value: number): string {
  if (value === 0) return '0';
  // 1e-6 rather than 1.0e-6; 2.2e-16 keeps its digit.
  return Math.abs(value) < 1e-3 ? Number(value.toPrecision(2)).toExponential() : String(Number(value.toPrecision(3)));
}

/** A value from a golden example or an answer, as text. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
