import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileRef, NotebookAnalysis, NotebookCell } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { fsErrorToAppError } from '../errors.js';
import type { Task, TaskContext } from '../jobs/task.js';
import { ObjectStore, sha256File } from '../objects/object-store.js';
import { workspacePaths } from '../workspace/paths.js';
import { analyzeNotebook } from './analyze.js';
import { parseNotebook, sourceSha256 } from './nbformat.js';
import { renderCells } from './render-cells.js';

/** Notebooks above this are refused: they are almost all output, and JSON parsing holds them whole. */
export const MAX_NOTEBOOK_BYTES = 512 * 1024 * 1024;
/** Files a notebook reads are hashed for lineage up to this size; larger ones match by path only. */
export const MAX_HASHED_REF_BYTES = 4 * 1024 ** 3;

export interface NotebookTaskInput {
  path: string;
}

export interface NotebookReadOutput {
  sha256: string;
  sourceSha256: string;
  bytes: number;
  path: string;
  analysis: NotebookAnalysis;
  cells: NotebookCell[];
}

async function fillRef(ref: FileRef, signal: AbortSignal): Promise<FileRef> {
  try {
    const s = await stat(ref.path);
    if (!s.isFile()) return { ...ref, exists: true, sha256: null };
    const sha256 = s.size <= MAX_HASHED_REF_BYTES ? await sha256File(ref.path, { signal }) : null;
    return { ...ref, exists: true, sha256 };
  } catch (e) {
    if (signal.aborted) throw e;
    return { ...ref, exists: false, sha256: null };
  }
}

async function readBytes(path: string, signal: AbortSignal): Promise<Buffer> {
  if (!path.toLowerCase().endsWith('.ipynb')) {
    throw new AppError('INVALID_INPUT', `${path} is not a Jupyter notebook (.ipynb).`, { remedy: 'Register the .ipynb file the model was trained in.' });
  }
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new AppError('INVALID_INPUT', `${path} is a folder, not a notebook file.`, { remedy: 'Pick the .ipynb file itself.' });
    if (s.size > MAX_NOTEBOOK_BYTES) {
      throw new AppError('INVALID_INPUT', `${path} is ${(s.size / 1024 ** 2).toFixed(0)} MB; notebooks over ${MAX_NOTEBOOK_BYTES / 1024 ** 2} MB are refused.`, {
        remedy: 'Clear the outputs (Jupyter: Edit → Clear All Outputs, or "jupyter nbconvert --clear-output") and register it again.',
      });
    }
    return await readFile(path, { signal });
  } catch (e) {
    throw fsErrorToAppError(e, path);
  }
}

/** Validate, hash and analyse a notebook's bytes; the files it reads and writes are checked on disk. */
async function analyse(path: string, bytes: Buffer, ctx: TaskContext): Promise<NotebookReadOutput> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  ctx.progress(0.2, 'Parsing…');
  const nb = parseNotebook(bytes.toString('utf8'), path);
  ctx.progress(0.4, 'Analysing the code…');
  const analysis = analyzeNotebook(nb, { notebookDir: dirname(path) });
  const cells = renderCells(nb);
  ctx.signal.throwIfAborted();
  ctx.progress(0.6, 'Checking the files it reads and writes…');
  const reads: FileRef[] = [];
  for (const r of analysis.reads) reads.push(await fillRef(r, ctx.signal));
  const writes: FileRef[] = [];
  for (const w of analysis.writes) writes.push(await fillRef(w, ctx.signal));
  return { sha256, sourceSha256: sourceSha256(nb), bytes: bytes.length, path, analysis: { ...analysis, reads, writes }, cells };
}

/** notebooks.lint: the analysis only, nothing recorded. */
export const lintNotebook: Task<NotebookTaskInput, NotebookReadOutput> = async (input, ctx) => {
  ctx.progress(0, 'Reading the notebook…');
  const out = await analyse(input.path, await readBytes(input.path, ctx.signal), ctx);
  ctx.progress(1, 'Analysed');
  return out;
};

/** notebooks.register: the analysis, and the exact bytes analysed kept in the object store. */
export const registerNotebook: Task<NotebookTaskInput, NotebookReadOutput> = async (input, ctx) => {
  ctx.progress(0, 'Reading the notebook…');
  const bytes = await readBytes(input.path, ctx.signal);
  const out = await analyse(input.path, bytes, ctx);
  ctx.progress(0.9, 'Saving a snapshot…');
  await new ObjectStore(workspacePaths(ctx.workspaceRoot).objects).putBytes(bytes, out.sha256);
  ctx.progress(1, 'Registered');
  return out;
};
