import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNotebook } from '../../test-support/notebooks.js';
import { runCliCaptured } from '../../test-support/cli.js';
import { tempDir } from '../../test-support/temp.js';

const cli = runCliCaptured;

describe('greenhouse notebook', () => {
  it('lints without a workspace: JSON with the agreed fields, exit 1 on an error finding, 0 when clean', async () => {
    const dir = tempDir();
    const dirty = writeNotebook(join(dir, 'dirty.ipynb'), [
      { source: 'import sklearn\n%pip install pandas', executionCount: 1 },
      { source: 'api_key = "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e"', executionCount: 2 },
      { source: 'boom()', executionCount: 3, outputs: [{ output_type: 'error', ename: 'NameError', evalue: "name 'boom' is not defined", traceback: [] }] },
    ]);
    const r = await cli(['notebook', 'lint', dirty, '--json'], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out);
    for (const key of ['sha256', 'sourceSha256', 'kernel', 'imports', 'reads', 'writes', 'findings']) expect(out).toHaveProperty(key);
    expect(out.imports).toEqual(expect.arrayContaining([expect.objectContaining({ module: 'sklearn', package: 'scikit-learn' })]));
    const rules = out.findings.map((f: { rule: string; cell: number }) => `${f.rule}@${f.cell}`);
    expect(rules).toEqual(expect.arrayContaining(['secret@1', 'error-output@2', 'unpinned-pip@0']));
    for (const f of out.findings) expect(f).toEqual(expect.objectContaining({ rule: expect.any(String), severity: expect.any(String), message: expect.any(String) }));
    expect(JSON.stringify(out)).not.toContain('sk-live-4f9a8b7c6d5e4f3a2b1c0d9e');

    const human = await cli(['notebook', 'lint', dirty], dir);
    expect(human.code).toBe(1);
    expect(human.out).toMatch(/ERROR\s+cell 2/);
    expect(human.err).toMatch(/finding.*of error severity/);

    const clean = writeNotebook(join(dir, 'clean.ipynb'), [{ source: 'x = 1\nprint(x)', executionCount: 1 }]);
    expect((await cli(['notebook', 'lint', clean], dir)).code).toBe(0);
  }, 30_000);

  it('adds, shows and runs a notebook; a failing run exits 1 naming the cell', async () => {
    const ws = tempDir();
    await cli(['init'], ws);
    const nb = writeNotebook(join(ws, 'fit.ipynb'), [
      { source: 'total = 0', executionCount: 1 },
      { source: 'for i in range(4):\n    total += i\nprint(total)', executionCount: 2 },
    ]);
    const add = await cli(['notebook', 'add', nb, '--json'], ws);
    expect(add.code, add.err).toBe(0);
    expect(JSON.parse(add.out)).toMatchObject({ outcome: 'created', name: 'fit', version: 1, kernel: { name: 'python3' } });
    const show = await cli(['notebook', 'show', 'fit'], ws);
    expect(show.out).toMatch(/fit version 1 of 1/);

    const run = await cli(['notebook', 'run', 'fit', '--python', '/usr/bin/python3', '--json'], ws);
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ state: 'passed', cells: [{ status: 'ok' }, { status: 'ok' }] });

    writeNotebook(nb, [{ source: 'total = 0', executionCount: 1 }, { source: 'raise ValueError("bad input")', executionCount: 2 }]);
    expect(JSON.parse((await cli(['notebook', 'add', nb, '--json'], ws)).out)).toMatchObject({ outcome: 'new-version', version: 2 });
    const failed = await cli(['notebook', 'run', 'fit', '--python', '/usr/bin/python3'], ws);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/Cell 2 raised ValueError: bad input/);
    expect(failed.err).toMatch(/failed at cell 2/);
    const list = JSON.parse((await cli(['notebook', 'list', '--json'], ws)).out);
    expect(list).toEqual([expect.objectContaining({ name: 'fit', latestVersion: 2, lastRun: 'failed' })]);
  }, 60_000);
});
