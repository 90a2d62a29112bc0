import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { notebookCell, type CellOutput } from '../../../shared/contract/index.js';
import { notebookJson, type TestCell } from '../../test-support/notebooks.js';
import { parseNotebook } from './nbformat.js';
import { checkImage, cleanText, cutToBytes, renderCells } from './render-cells.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).toString('base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]).toString('base64');
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1').toString('base64');

function render(cells: TestCell[], opts?: { maxTextBytes?: number }) {
  const out = renderCells(parseNotebook(notebookJson(cells), '/nb/x.ipynb'), opts);
  z.array(notebookCell).parse(out);
  return out;
}
const outputsOf = (outputs: unknown[], opts?: { maxTextBytes?: number }): CellOutput[] => render([{ source: 'x', executionCount: 1, outputs }], opts)[0]!.outputs;
const bundle = (data: Record<string, unknown>, type = 'display_data') => ({ output_type: type, data, metadata: {}, ...(type === 'execute_result' ? { execution_count: 1 } : {}) });

describe('renderCells', () => {
  it('keeps every cell, its index, type, source and execution count', () => {
    const cells = render([{ source: 'a = 1', executionCount: 4 }, { type: 'markdown', source: '# Title' }, { type: 'raw', source: 'raw' }]);
    expect(cells.map((c) => [c.index, c.type, c.source, c.executionCount, c.outputs])).toEqual([
      [0, 'code', 'a = 1', 4, []],
      [1, 'markdown', '# Title', null, []],
      [2, 'raw', 'raw', null, []],
    ]);
  });

  it('passes markdown with script tags and javascript: links on unchanged, as text (the UI sanitises it)', () => {
    const md = '# Hi\n<script>alert(1)</script>\n[click](javascript:alert(2))\n<img src=x onerror="alert(3)">';
    const [cell] = render([{ type: 'markdown', source: md }]);
    expect(cell).toEqual({ index: 0, type: 'markdown', source: md, executionCount: null, outputs: [] });
  });

  it('streams: ANSI codes stripped, carriage returns overwrite, consecutive writes merged', () => {
    const out = outputsOf([
      { output_type: 'stream', name: 'stdout', text: ['\u001b[31mred\u001b[0m\n', 'progress 10%\rprogress 50%\rprogress 100%\n'] },
      { output_type: 'stream', name: 'stdout', text: 'more\n' },
      { output_type: 'stream', name: 'stderr', text: 'warn\n' },
    ]);
    expect(out).toEqual([
      { type: 'stream', name: 'stdout', text: 'red\nprogress 100%\nmore\n', truncated: false },
      { type: 'stream', name: 'stderr', text: 'warn\n', truncated: false },
    ]);
  });

  it('cuts long text and says so', () => {
    const out = outputsOf([{ output_type: 'stream', name: 'stdout', text: 'é'.repeat(5000) }], { maxTextBytes: 1001 });
    expect(out[0]).toMatchObject({ type: 'stream', truncated: true });
    const text = (out[0] as { text: string }).text;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1001);
    expect(text).toBe('é'.repeat(500));
  });

  it('text/plain of results and displays; never HTML', () => {
    const out = outputsOf([
      bundle({ 'text/html': '<table><script>steal()</script></table>', 'text/plain': '   a  b\n0  1  2' }, 'execute_result'),
      bundle({ 'text/plain': ['42'] }, 'execute_result'),
    ]);
    expect(out).toEqual([
      { type: 'text', text: '   a  b\n0  1  2', truncated: false },
      { type: 'text', text: '42', truncated: false },
    ]);
    expect(JSON.stringify(out)).not.toContain('<script>');
  });

  it('omits HTML, JavaScript, SVG, widgets and unknown types with a reason', () => {
    const out = outputsOf([
      bundle({ 'text/html': '<b>x</b>' }),
      bundle({ 'application/javascript': 'alert(1)' }),
      bundle({ 'image/svg+xml': '<svg onload="alert(1)"/>' }),
      bundle({ 'application/vnd.jupyter.widget-view+json': { model_id: 'abc' }, 'text/html': '<div/>' }),
      bundle({ 'application/vnd.plotly.v1+json': { data: [] } }),
      bundle({ 'application/octet-stream': [0, 1, 2] }),
      bundle({}),
    ]);
    expect(out).toEqual([
      { type: 'omitted', reason: 'HTML output is not shown' },
      { type: 'omitted', reason: 'JavaScript output is not shown' },
      { type: 'omitted', reason: 'SVG images are not shown' },
      { type: 'omitted', reason: 'Interactive widget output is not shown' },
      { type: 'omitted', reason: 'Interactive chart output is not shown' },
      { type: 'omitted', reason: 'Output of type application/octet-stream is not shown' },
      { type: 'omitted', reason: 'Empty output' },
    ]);
  });

  it('shows markdown/latex output as text when text/plain is only a placeholder, and JSON pretty-printed', () => {
    const out = outputsOf([
      bundle({ 'text/markdown': '**bold**', 'text/plain': '<IPython.core.display.Markdown object>' }),
      bundle({ 'text/latex': '$x^2$' }),
      bundle({ 'application/json': { a: 1 } }),
    ]);
    expect(out).toEqual([
      { type: 'text', text: '**bold**', truncated: false },
      { type: 'text', text: '$x^2$', truncated: false },
      { type: 'text', text: '{\n  "a": 1\n}', truncated: false },
    ]);
  });

  it('passes PNG, JPEG and GIF images as checked base64 (list form and newlines joined)', () => {
    const out = outputsOf([
      bundle({ 'image/png': [PNG.slice(0, 8), `${PNG.slice(8)}\n`], 'text/plain': '<Figure size 640x480>' }),
      bundle({ 'image/jpeg': JPEG }),
      bundle({ 'image/gif': GIF }),
    ]);
    expect(out).toEqual([
      { type: 'image', mime: 'image/png', data: PNG },
      { type: 'image', mime: 'image/jpeg', data: JPEG },
      { type: 'image', mime: 'image/gif', data: GIF },
    ]);
  });

  it('drops images that are not base64, not what they claim, or too large', () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>').toString('base64');
    const out = outputsOf([
      bundle({ 'image/png': 'not base64 at all!' }),
      bundle({ 'image/png': html, 'text/plain': '<Figure>' }),
      bundle({ 'image/jpeg': { binary: true } }),
    ]);
    expect(out).toEqual([
      { type: 'omitted', reason: 'The PNG image is not valid base64 and is not shown.' },
      { type: 'omitted', reason: "The PNG image's data is not a PNG file and is not shown." },
      { type: 'text', text: '<Figure>', truncated: false },
      { type: 'omitted', reason: 'The JPEG image is not stored as text and is not shown.' },
    ]);
    const big = PNG + 'A'.repeat(3 * 1024 * 1024);
    expect(checkImage('image/png', big, 2 * 1024 * 1024)).toEqual({ reason: expect.stringMatching(/^The PNG image is 2\.\d MB, too large to show\.$/) });
  });

  it('errors: name, value and traceback as plain text', () => {
    const out = outputsOf([{ output_type: 'error', ename: 'ValueError', evalue: 'bad \u001b[1mvalue\u001b[0m', traceback: ['\u001b[0;31m---------\u001b[0m', '\u001b[0;31mValueError\u001b[0m: bad value'] }]);
    expect(out).toEqual([{ type: 'error', ename: 'ValueError', evalue: 'bad value', traceback: '---------\nValueError: bad value' }]);
  });

  it('cuts a huge traceback and notes it', () => {
    const out = outputsOf([{ output_type: 'error', ename: 'E', evalue: 'v', traceback: ['x'.repeat(5000)] }], { maxTextBytes: 1024 });
    expect((out[0] as { traceback: string }).traceback).toMatch(/^x{1024}\n… \(traceback cut at 1 kB\)$/);
  });
});

describe('text helpers', () => {
  it('cutToBytes never splits a character', () => {
    expect(cutToBytes('abc', 10)).toEqual({ text: 'abc', truncated: false });
    expect(cutToBytes('😀😀😀', 9)).toEqual({ text: '😀😀', truncated: true });
    expect(cutToBytes('aé', 2)).toEqual({ text: 'a', truncated: true });
  });

  it('cleanText looks only at a bounded prefix of a huge string', () => {
    const huge = 'y'.repeat(50 * 1024 * 1024);
    const t = Date.now();
    const r = cleanText(huge, 1000);
    expect(r).toEqual({ text: 'y'.repeat(1000), truncated: true });
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
