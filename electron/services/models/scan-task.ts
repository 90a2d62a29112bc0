import type { ScanResult } from '../../../shared/contract/index.js';
import type { Task } from '../jobs/task.js';
import { scanArtifact } from './scan/pickle-scan.js';

export interface ScanTaskInput {
  path: string;
  /** Used only to decompress bz2/xz/lzma/lz4 joblib files (never to load anything). */
  python?: string;
}

/** models.scan: the static scan alone; nothing is loaded and nothing recorded. */
export const scanModelTask: Task<ScanTaskInput, ScanResult> = async (input, ctx) => {
  ctx.progress(0, 'Scanning (nothing is loaded)…');
  const result = await scanArtifact(input.path, { signal: ctx.signal, python: input.python, onProgress: (f) => ctx.progress(f, 'Scanning (nothing is loaded)…') });
  ctx.progress(1, result.safe ? 'No problems found' : `${result.findings.length} findings`);
  return result;
};
