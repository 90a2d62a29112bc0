import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { workspacePaths } from './paths.js';

export const isWorkspace = (dir: string) => {
  try {
    return statSync(workspacePaths(dir).meta).isDirectory() && existsSync(workspacePaths(dir).catalog);
  } catch {
    return false;
  }
};

/** Walk up from `start` like git does; the first folder holding .greenhouse/catalog.db wins. */
export function findWorkspace(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (isWorkspace(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
