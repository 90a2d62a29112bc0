import { createHash } from 'node:crypto';
import type { EnvPackage } from '../../../shared/contract/index.js';

/** A distribution name as PEP 503 compares them: lower case, runs of "-", "_" and "." become "-". */
export const normalizePackageName = (name: string) => name.trim().toLowerCase().replace(/[-_.]+/g, '-');

/** One line per package, the form the identity hash and comparisons use. */
export const packageLine = (p: EnvPackage) => `${p.name}${p.version !== null ? `==${p.version}` : (p.specifier ?? '')}`;

/** Sorted by name, one entry per name (the first wins, as on sys.path). */
export function sortPackages(packages: EnvPackage[]): EnvPackage[] {
  const byName = new Map<string, EnvPackage>();
  for (const p of packages) {
    const name = normalizePackageName(p.name);
    if (!byName.has(name)) byName.set(name, { ...p, name });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The identity of an environment version: SHA-256 of its sorted package lines, with the
 * interpreter's version first when there is one (the same packages on another Python are
 * another environment).
 */
export function environmentHash(packages: EnvPackage[], pythonVersion: string | null): string {
  const lines = sortPackages(packages).map(packageLine);
  if (pythonVersion) lines.unshift(`python==${pythonVersion}`);
  return createHash('sha256').update(lines.join('\n') + '\n').digest('hex');
}
