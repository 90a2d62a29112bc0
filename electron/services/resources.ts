import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The resources/ folder (Python helpers, templates): process.resourcesPath/resources in the
 * packaged app, else found from this module — the repo root when run from sources or from
 * dist/host or dist/electron bundles.
 */
export function resourcesDir(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    ...(packaged ? [join(packaged, 'resources')] : []),
    fileURLToPath(new URL('../../resources/', import.meta.url)),
    fileURLToPath(new URL('../../../resources/', import.meta.url)),
  ];
  const found = candidates.find((c) => existsSync(join(c, 'README.md')));
  return found ?? candidates[candidates.length - 1]!;
}

export const resourcePath = (...parts: string[]) => join(resourcesDir(), ...parts);
