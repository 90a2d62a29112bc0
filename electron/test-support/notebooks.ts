// Notebooks written by tests: nbformat 4.5 JSON from a list of cells.
import { writeFileSync } from 'node:fs';

export interface TestCell {
  type?: 'code' | 'markdown' | 'raw';
  source: string;
  executionCount?: number | null;
  outputs?: unknown[];
}

export function notebookJson(cells: TestCell[], opts: { language?: string; kernel?: string } = {}): string {
  const language = opts.language ?? 'python';
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: opts.kernel ?? (language === 'python' ? 'python3' : language), display_name: language === 'python' ? 'Python 3' : language, language },
      language_info: { name: language, version: language === 'python' ? '3.11.2' : '4.2.0' },
    },
    cells: cells.map((c, i) =>
      (c.type ?? 'code') === 'code'
        ? { cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: c.executionCount ?? null, outputs: c.outputs ?? [], source: c.source }
        : { cell_type: c.type, id: `c${i}`, metadata: {}, source: c.source },
    ),
  });
}

export function writeNotebook(path: string, cells: TestCell[], opts?: { language?: string }): string {
  writeFileSync(path, notebookJson(cells, opts));
  return path;
}
