import { lstat, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { DirEntry, DirListing } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { fsErrorToAppError } from '../errors.js';

export const MAX_DIR_ENTRIES = 5000;

/**
 * One folder on the backend's machine, folders first then files, by name: what the browser-mode
 * file picker shows. Symlinks are followed for their kind; unreadable entries show as 'other'.
 */
export async function listDir(path: string | undefined, fallback: string | null, showHidden = false): Promise<DirListing> {
  const dir = resolve(path ?? fallback ?? homedir());
  if (path !== undefined && !isAbsolute(path)) {
    throw new AppError('INVALID_INPUT', `"${path}" is not an absolute path.`, { remedy: 'Give the full path, starting at / (or a drive letter on Windows).' });
  }
  let names: string[];
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) throw new AppError('INVALID_INPUT', `${dir} is a file, not a folder.`, { remedy: 'Open the folder that holds it.' });
    names = await readdir(dir);
  } catch (e) {
    throw fsErrorToAppError(e, dir);
  }
  const visible = names.filter((n) => showHidden || !n.startsWith('.')).sort((a, b) => a.localeCompare(b));
  const truncated = visible.length > MAX_DIR_ENTRIES;
  const entries: DirEntry[] = [];
  for (const name of visible.slice(0, MAX_DIR_ENTRIES)) {
    const full = join(dir, name);
    try {
      const s = await stat(full).catch(() => lstat(full));
      entries.push({
        name,
        kind: s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other',
        bytes: s.isFile() ? s.size : null,
        modifiedAt: s.mtime.toISOString(),
      });
    } catch {
      entries.push({ name, kind: 'other', bytes: null, modifiedAt: null });
    }
  }
  entries.sort((a, b) => Number(b.kind === 'directory') - Number(a.kind === 'directory') || a.name.localeCompare(b.name));
  const parent = dirname(dir);
  return { path: dir, parent: parent === dir ? null : parent, entries, truncated };
}
