import { join } from 'node:path';

export const GREENHOUSE_DIR = '.greenhouse';

export const workspacePaths = (root: string) => ({
  root,
  meta: join(root, GREENHOUSE_DIR),
  catalog: join(root, GREENHOUSE_DIR, 'catalog.db'),
  objects: join(root, GREENHOUSE_DIR, 'objects'),
  tmp: join(root, GREENHOUSE_DIR, 'tmp'),
  /** Files dropped on the browser-mode page, one folder per upload. */
  uploads: join(root, GREENHOUSE_DIR, 'uploads'),
  /** Reproduce runs of notebooks: the executed copies. */
  runs: join(root, GREENHOUSE_DIR, 'runs'),
  bundles: join(root, 'bundles'),
});
export type WorkspacePaths = ReturnType<typeof workspacePaths>;
