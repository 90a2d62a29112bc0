import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { AppError } from '../../../shared/errors.js';
import type { Task } from '../jobs/task.js';
import { spawnPython } from '../python/spawn-python.js';
import { resourcePath } from '../resources.js';

export interface RunTaskInput {
  /** The stored copy of the exact version (object store); only read. */
  notebookPath: string;
  /** The notebook's own folder: the kernel's working directory, so its relative paths resolve. */
  workDir: string;
  /** Where the executed copy goes (inside the workspace). */
  runDir: string;
  python: string;
  timeoutSeconds: number;
}

export interface RunTaskOutput {
  state: 'passed' | 'failed';
  python: string;
  pythonVersion: string | null;
  durationMs: number;
  cells: { index: number; status: 'ok' | 'error' | 'not-run'; durationMs: number | null }[];
  failedCell: number | null;
  error: { ename: string; evalue: string; traceback: string } | null;
  executedPath: string | null;
}

type RunnerEvent =
  | { event: 'start'; python: string; version: string; cells: number[] }
  | { event: 'cell'; index: number; status: 'ok' | 'error'; durationMs: number; ename?: string; evalue?: string; traceback?: string }
  | { event: 'done'; state: 'passed' | 'failed' }
  | { event: 'fatal'; code: string; message: string };

/**
 * Run a copy of a notebook top to bottom in the chosen Python through nbclient (the runner script
 * in resources/python), one JSON line per cell. Cancel kills the runner's whole process group,
 * kernel included.
 */
export const runNotebook: Task<RunTaskInput, RunTaskOutput> = async (input, ctx) => {
  ctx.progress(0, `Starting ${input.python}…`);
  await mkdir(input.runDir, { recursive: true });
  const copy = join(input.runDir, 'input.ipynb');
  const executed = join(input.runDir, 'executed.ipynb');
  await copyFile(input.notebookPath, copy);

  const started = Date.now();
  // Its own process group: cancel kills the runner and its kernel together.
  const runner = spawnPython(input.python, [resourcePath('python', 'run_notebook.py'), copy, executed, input.workDir, String(input.timeoutSeconds)], {
    cwd: input.workDir,
    stdout: 'pipe',
    signal: ctx.signal,
    env: { PYDEVD_DISABLE_FILE_VALIDATION: '1', PYTHONUNBUFFERED: '1' },
    stderrTail: 8000,
  });

  let codeCells: number[] = [];
  let pythonVersion: string | null = null;
  let state: 'passed' | 'failed' | null = null;
  let fatal: { code: string; message: string } | null = null;
  const done = new Map<number, RunTaskOutput['cells'][number]>();
  let error: RunTaskOutput['error'] = null;
  let failedCell: number | null = null;
  for await (const line of createInterface({ input: runner.child.stdout! })) {
    let ev: RunnerEvent;
    try {
      ev = JSON.parse(line) as RunnerEvent;
    } catch {
      continue; // a print from the kernel's startup, not ours
    }
    if (ev.event === 'start') {
      codeCells = ev.cells;
      pythonVersion = ev.version;
      ctx.progress(0.02, `Running ${codeCells.length} code cells in Python ${ev.version}…`);
    } else if (ev.event === 'cell') {
      done.set(ev.index, { index: ev.index, status: ev.status, durationMs: ev.durationMs });
      if (ev.status === 'error') {
        failedCell = ev.index;
        error = { ename: ev.ename ?? 'Error', evalue: ev.evalue ?? '', traceback: stripVTControlCharacters(ev.traceback ?? '') };
      }
      ctx.progress(codeCells.length ? done.size / codeCells.length : 1, `Cell ${ev.index + 1}: ${ev.status === 'ok' ? 'ok' : `${ev.ename}`}`);
    } else if (ev.event === 'done') state = ev.state;
    else if (ev.event === 'fatal') fatal = ev;
  }
  const exit = await runner.exited;
  ctx.signal.throwIfAborted();
  if (exit.spawnError) {
    const code = exit.spawnError.code;
    throw new AppError(code === 'ENOENT' ? 'NOT_FOUND' : 'INTERNAL', `Could not start ${input.python}: ${exit.spawnError.message}`, {
      remedy: 'Pick a Python interpreter that exists (for example the one in your project\'s virtual environment).',
    });
  }
  if (fatal) throw new AppError('INVALID_INPUT', fatal.message, { remedy: 'Install nbclient and ipykernel into that Python (pip install nbclient ipykernel), or choose another environment.' });
  if (state === null) {
    throw new AppError('INTERNAL', `The notebook runner stopped unexpectedly (exit ${exit.code}): ${stripVTControlCharacters(exit.stderr.trim().split('\n').slice(-3).join(' ')) || 'no message'}`, {
      remedy: 'Run the notebook in Jupyter to see the problem, or check that the Python environment works.',
    });
  }
  return {
    state,
    python: input.python,
    pythonVersion,
    durationMs: Date.now() - started,
    cells: codeCells.map((index) => done.get(index) ?? { index, status: 'not-run' as const, durationMs: null }),
    failedCell,
    error,
    executedPath: executed,
  };
};
