import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { notebookJson, type TestCell } from '../../test-support/notebooks.js';
import { jsonErrorOffset, parseNotebook, sourceSha256 } from './nbformat.js';

const PATH = '/work/nb/train.ipynb';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an error');
}

/** A minimal valid notebook as an object, to break in specific ways. */
function raw(): Record<string, unknown> & { cells: Record<string, unknown>[] } {
  return JSON.parse(
    notebookJson([
      { source: 'import pandas as pd', executionCount: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: ['a\n', 'b\n'] }] },
      { type: 'markdown', source: '# Title' },
    ]),
  );
}

describe('parseNotebook', () => {
  it('reads an nbformat 4.5 notebook: kernel, cells with joined sources, raw outputs', () => {
    const text = JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' }, language_info: { name: 'python', version: '3.11.4' } },
      cells: [
        { cell_type: 'code', id: 'a', metadata: {}, execution_count: 3, source: ['x = 1\n', 'y = 2'], outputs: [{ output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '2' }, metadata: {} }] },
        { cell_type: 'markdown', id: 'b', metadata: {}, source: ['# A\n', 'text'] },
        { cell_type: 'raw', id: 'c', metadata: {}, source: 'raw text' },
      ],
    });
    const nb = parseNotebook(text, PATH);
    expect(nb.nbformat).toBe('4.5');
    expect(nb.kernel).toEqual({ name: 'python3', displayName: 'Python 3 (ipykernel)', language: 'python', languageVersion: '3.11.4' });
    expect(nb.cells.map((c) => [c.index, c.type, c.source, c.executionCount])).toEqual([
      [0, 'code', 'x = 1\ny = 2', 3],
      [1, 'markdown', '# A\ntext', null],
      [2, 'raw', 'raw text', null],
    ]);
    expect(nb.cells[0]!.outputs).toEqual([{ output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '2' }, metadata: {} }]);
  });

  it('tolerates unknown extra fields and keeps them in the outputs', () => {
    const nb = raw();
    nb.extra = { anything: true };
    nb.cells[0]!.custom = 1;
    (nb.cells[0]!.outputs as Record<string, unknown>[])[0]!.transient = { display_id: 'x' };
    const parsed = parseNotebook(JSON.stringify(nb), PATH);
    expect(parsed.cells[0]!.outputs[0]).toMatchObject({ transient: { display_id: 'x' } });
  });

  it('tolerates missing metadata and kernel info (language unknown)', () => {
    const parsed = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 2, cells: [] }), PATH);
    expect(parsed.kernel).toEqual({ name: null, displayName: null, language: null, languageVersion: null });
    expect(parsed.nbformat).toBe('4.2');
  });

  it('reads the language from the kernel name when language_info is absent', () => {
    const parsed = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: { kernelspec: { name: 'ir', display_name: 'R' } }, cells: [] }), PATH);
    expect(parsed.kernel.language).toBe('R');
  });

  it('accepts a UTF-8 byte-order mark', () => {
    expect(parseNotebook(`\ufeff${notebookJson([{ source: 'x = 1' }])}`, PATH).cells).toHaveLength(1);
  });

  it('keeps binary and unusual outputs (base64 images, JSON data, arrays) untouched', () => {
    const outputs = [
      { output_type: 'display_data', data: { 'image/png': 'iVBORw0KGgo=\n', 'text/plain': ['<Figure>'] }, metadata: { 'image/png': { width: 10 } } },
      { output_type: 'display_data', data: { 'application/octet-stream': [0, 255, 3], 'application/json': { a: [1, 2] } }, metadata: {} },
    ];
    const nb = parseNotebook(notebookJson([{ source: 'plot()', executionCount: 1, outputs }]), PATH);
    expect(nb.cells[0]!.outputs).toEqual(outputs);
  });

  it('refuses invalid JSON with the line and column of the problem', () => {
    const text = '{\n  "nbformat": 4,\n  "cells": [\n    {"cell_type": "code",, }\n  ]\n}';
    const e = thrown(() => parseNotebook(text, PATH));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain(`${PATH} is not valid JSON`);
    expect(e.message).toContain('(line 4, column 26)');
    expect(e.remedy).toMatch(/Jupyter/);
  });

  it('gives the line for a truncated file and for a bad literal', () => {
    expect(thrown(() => parseNotebook('{"nbformat": 4,\n"cells": [', PATH)).message).toMatch(/line 2, column 11/);
    expect(thrown(() => parseNotebook('{"nbformat":\n tru}', PATH)).message).toMatch(/line 2, column 2/);
  });

  it('refuses an empty file and JSON that is not a notebook', () => {
    expect(thrown(() => parseNotebook('   \n', PATH)).message).toBe(`${PATH} is empty.`);
    expect(thrown(() => parseNotebook('[1, 2]', PATH)).message).toMatch(/not a Jupyter notebook \(it is a list/);
    expect(thrown(() => parseNotebook('{"cells": []}', PATH)).message).toMatch(/no "nbformat" field/);
    expect(thrown(() => parseNotebook('{"nbformat": "4", "cells": []}', PATH)).message).toMatch(/invalid "nbformat"/);
  });

  it('refuses nbformat 3 naming the version, with the nbconvert command', () => {
    const v3 = JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: { name: 'old' }, worksheets: [{ cells: [{ cell_type: 'code', input: 'x = 1', outputs: [], language: 'python' }] }] });
    const e = thrown(() => parseNotebook(v3, PATH));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toBe(`${PATH} is nbformat 3.0; Greenhouse reads nbformat 4 notebooks.`);
    expect(e.remedy).toContain('jupyter nbconvert --to notebook --nbformat 4');
  });

  it('refuses a version-less worksheets notebook as old, and nbformat 5 as newer', () => {
    expect(thrown(() => parseNotebook(JSON.stringify({ worksheets: [] }), PATH)).remedy).toContain('--nbformat 4');
    expect(thrown(() => parseNotebook(JSON.stringify({ nbformat: 5, nbformat_minor: 0, cells: [] }), PATH)).message).toMatch(/nbformat 5.0, newer/);
  });

  it('names the cell and field when a required field is missing', () => {
    const nb = raw();
    delete nb.cells[0]!.execution_count;
    const e = thrown(() => parseNotebook(JSON.stringify(nb), PATH));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toContain('not a valid nbformat 4 notebook');
    expect(e.message).toContain('cell 0 (code): required field "execution_count" is missing (cells[0].execution_count)');
  });

  it('names missing outputs, cells, source and cell_type', () => {
    const noOutputs = raw();
    delete noOutputs.cells[0]!.outputs;
    expect(thrown(() => parseNotebook(JSON.stringify(noOutputs), PATH)).message).toContain('cell 0 (code): required field "outputs" is missing (cells[0].outputs)');
    const noCells = raw();
    delete (noCells as Record<string, unknown>).cells;
    expect(thrown(() => parseNotebook(JSON.stringify(noCells), PATH)).message).toContain('required field "cells" is missing (cells)');
    const noSource = raw();
    delete noSource.cells[1]!.source;
    expect(thrown(() => parseNotebook(JSON.stringify(noSource), PATH)).message).toContain('cell 1 (markdown): required field "source" is missing');
    const noType = raw();
    delete noType.cells[1]!.cell_type;
    expect(thrown(() => parseNotebook(JSON.stringify(noType), PATH)).message).toContain('cell 1: "cell_type" is missing (cells[1].cell_type); expected code, markdown or raw');
    const noMinor = raw();
    delete (noMinor as Record<string, unknown>).nbformat_minor;
    expect(thrown(() => parseNotebook(JSON.stringify(noMinor), PATH)).message).toContain('"nbformat_minor" is missing');
  });

  it('names wrong types and unknown cell and output types', () => {
    const badSource = raw();
    badSource.cells[0]!.source = 42;
    expect(thrown(() => parseNotebook(JSON.stringify(badSource), PATH)).message).toContain('"source" should be a string or a list of strings, not number (cells[0].source)');
    const badCount = raw();
    badCount.cells[0]!.execution_count = 1.5;
    expect(thrown(() => parseNotebook(JSON.stringify(badCount), PATH)).message).toContain('"execution_count" should be a whole number or null');
    const badType = raw();
    badType.cells[1]!.cell_type = 'heading';
    expect(thrown(() => parseNotebook(JSON.stringify(badType), PATH)).message).toContain('unknown cell_type "heading"');
    const badOutput = raw();
    badOutput.cells[0]!.outputs = [{ output_type: 'pyout', text: 'x' }];
    expect(thrown(() => parseNotebook(JSON.stringify(badOutput), PATH)).message).toContain('cell 0 (code), output 0: unknown output_type "pyout"');
    const noText = raw();
    noText.cells[0]!.outputs = [{ output_type: 'stream', name: 'stdout' }];
    expect(thrown(() => parseNotebook(JSON.stringify(noText), PATH)).message).toContain('output 0: required field "text" is missing (cells[0].outputs[0].text)');
    const noTraceback = raw();
    noTraceback.cells[0]!.outputs = [{ output_type: 'error', ename: 'E', evalue: 'v' }];
    expect(thrown(() => parseNotebook(JSON.stringify(noTraceback), PATH)).message).toContain('"traceback" is missing');
  });

  it('says how many more problems there are beyond the first three', () => {
    const nb = raw();
    nb.cells = Array.from({ length: 5 }, () => ({ cell_type: 'code', source: 'x', outputs: [] }));
    const e = thrown(() => parseNotebook(JSON.stringify(nb), PATH));
    expect(e.message).toContain('(and 2 more problems)');
    expect((e.details as { issues: unknown[] }).issues).toHaveLength(5);
  });
});

describe('jsonErrorOffset', () => {
  it('is null for valid JSON and finds the first bad character otherwise', () => {
    expect(jsonErrorOffset('{"a": [1, 2.5e3, true, null, "x\\u00e9"]}')).toBeNull();
    expect(jsonErrorOffset('{"a": [1, 2,]}')).toBe(12);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('{"a": "b\\q"}')).toBe(9);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(jsonErrorOffset('{"a": 01}')).toBe(7);
  });
});

describe('sourceSha256', () => {
  const cells = (counts: (number | null)[], outputs: string[], code = 'x = 1', md = '# Notes'): TestCell[] => [
    { source: 'import numpy as np', executionCount: counts[0] ?? null, outputs: [{ output_type: 'stream', name: 'stdout', text: outputs[0] ?? '' }] },
    { type: 'markdown' as const, source: md },
    { source: code, executionCount: counts[1] ?? null, outputs: [{ output_type: 'execute_result', data: { 'text/plain': outputs[1] ?? '' }, metadata: {}, execution_count: counts[1] ?? null }] },
  ];
  const hash = (c: TestCell[]) => sourceSha256(parseNotebook(notebookJson(c), PATH));

  it('is stable across re-execution: other outputs and execution counts', () => {
    const a = hash(cells([1, 2], ['a', '1']));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hash(cells([7, 9], ['different output', '42']))).toBe(a);
    expect(hash(cells([null, null], []))).toBe(a);
  });

  it('ignores markdown edits, cell metadata and whitespace-only code cells', () => {
    const a = hash(cells([1, 2], []));
    expect(hash(cells([1, 2], [], 'x = 1', '# Other notes'))).toBe(a);
    expect(hash([...cells([1, 2], []), { source: '  \n' }])).toBe(a);
  });

  it('changes when code changes, and when code cells are reordered', () => {
    const a = hash(cells([1, 2], []));
    expect(hash(cells([1, 2], [], 'x = 2'))).not.toBe(a);
    const swapped = cells([1, 2], []);
    const reordered = [swapped[2]!, swapped[1]!, swapped[0]!];
    expect(hash(reordered)).not.toBe(a);
  });

  it('treats CRLF and LF line endings alike', () => {
    expect(hash(cells([1, 2], [], 'a = 1\r\nb = 2'))).toBe(hash(cells([1, 2], [], 'a = 1\nb = 2')));
  });
});
