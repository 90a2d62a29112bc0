import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { TaskContext } from '../jobs/task.js';
import { writeNotebook } from '../../test-support/notebooks.js';
import { tempDir } from '../../test-support/temp.js';
import { runNotebook, type RunTaskInput } from './run-task.js';

// Debian's Python with python3-nbclient and python3-ipykernel (scripts/setup.sh installs them).
const PYTHON = '/usr/bin/python3';

function context(signal = new AbortController().signal) {
  const progress: string[] = [];
  const ctx: TaskContext = { signal, progress: (_p, m) => progress.push(m), workspaceRoot: tempDir() };
  return { ctx, progress };
}

function input(dir: string, notebookPath: string, over: Partial<RunTaskInput> = {}): RunTaskInput {
  return { notebookPath, workDir: dir, runDir: join(dir, 'run'), python: PYTHON, timeoutSeconds: 60, ...over };
}

describe('reproduce run', () => {
  it('runs every code cell in the notebook folder and passes; the original is untouched', async () => {
    const dir = tempDir();
    const nb = writeNotebook(join(dir, 'train.ipynb'), [
      { type: 'markdown', source: '# Train' },
      { source: 'from pathlib import Path\nrows = Path("data.txt").read_text().split()' },
      { source: 'total = sum(int(r) for r in rows)\nprint(total)' },
    ]);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'data.txt'), '1 2 3');
    const before = readFileSync(nb, 'utf8');
    const { ctx, progress } = context();
    const out = await runNotebook(input(dir, nb), ctx);
    expect(out).toMatchObject({ state: 'passed', failedCell: null, error: null, pythonVersion: expect.stringMatching(/^3\./) });
    expect(out.cells.map((c) => [c.index, c.status])).toEqual([
      [1, 'ok'],
      [2, 'ok'],
    ]);
    expect(readFileSync(nb, 'utf8')).toBe(before);
    const executed = JSON.parse(readFileSync(out.executedPath!, 'utf8'));
    expect(JSON.stringify(executed.cells[2].outputs)).toContain('6');
    expect(progress.some((m) => /Running 2 code cells/.test(m))).toBe(true);
  }, 60_000);

  it('stops at the failing cell and reports its error; later cells are not run', async () => {
    const dir = tempDir();
    const nb = writeNotebook(join(dir, 'broken.ipynb'), [
      { source: 'x = 1' },
      { source: 'import missing_module_for_greenhouse_test' },
      { source: 'print("never")' },
    ]);
    const out = await runNotebook(input(dir, nb), context().ctx);
    expect(out.state).toBe('failed');
    expect(out.failedCell).toBe(1);
    expect(out.error).toMatchObject({ ename: 'ModuleNotFoundError', evalue: expect.stringContaining('missing_module_for_greenhouse_test') });
    expect(out.error!.traceback).not.toContain(String.fromCharCode(27));
    // The kernel's own traceback, not nbclient's wrapper text.
    expect(out.error!.traceback).not.toMatch(/An error occurred while executing/);
    expect(out.error!.traceback).toMatch(/ModuleNotFoundError/);
    expect(out.cells.map((c) => c.status)).toEqual(['ok', 'error', 'not-run']);
  }, 60_000);

  it('times out a cell that runs too long', async () => {
    const dir = tempDir();
    const nb = writeNotebook(join(dir, 'slow.ipynb'), [{ source: 'import time\ntime.sleep(30)' }]);
    const out = await runNotebook(input(dir, nb, { timeoutSeconds: 2 }), context().ctx);
    expect(out).toMatchObject({ state: 'failed', failedCell: 0, error: { ename: 'Timeout' } });
  }, 60_000);

  it('says what to do when the Python is missing or lacks nbclient', async () => {
    const dir = tempDir();
    const nb = writeNotebook(join(dir, 'a.ipynb'), [{ source: 'x = 1' }]);
    await expect(runNotebook(input(dir, nb, { python: join(dir, 'no-python') }), context().ctx)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A Python without nbclient: an empty virtual-environment-like interpreter is the stdlib-only one, run isolated.
    const bare = join(dir, 'bare-python');
    const { writeFileSync, chmodSync } = await import('node:fs');
    writeFileSync(bare, `#!/bin/sh\nexec ${PYTHON} -I -S "$@"\n`);
    chmodSync(bare, 0o755);
    const err = await runNotebook(input(dir, nb, { python: bare }), context().ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/lacks nbformat, nbclient, ipykernel/);
    expect((err as AppError).remedy).toMatch(/pip install nbclient ipykernel/);
  }, 60_000);

  it('cancels by killing the runner and its kernel', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'kernel.pid');
    const nb = writeNotebook(join(dir, 'long.ipynb'), [
      { source: `import os\nopen(${JSON.stringify(pidFile)}, "w").write(str(os.getpid()))` },
      { source: 'import time\ntime.sleep(60)' },
    ]);
    const abort = new AbortController();
    const running = runNotebook(input(dir, nb), context(abort.signal).ctx);
    await expect.poll(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').length > 0, { timeout: 20_000 }).toBe(true);
    const kernelPid = Number(readFileSync(pidFile, 'utf8'));
    const alive = () => {
      try {
        process.kill(kernelPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    abort.abort();
    await expect(running).rejects.toThrow();
    await expect.poll(alive, { timeout: 5000 }).toBe(false);
  }, 60_000);
});
