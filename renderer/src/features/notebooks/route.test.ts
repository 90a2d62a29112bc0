import { describe, expect, it } from 'vitest';
import { notebookRoute } from '../../store/index.js';
import { formatNotebookPath, notebookHref, parseNotebookPath } from './route.js';

const parse = (hashPath: string) => parseNotebookPath(hashPath.split('/').slice(1));

describe('notebook routes in the URL hash', () => {
  it('reads the list, a notebook, a version and a tab', () => {
    expect(parse('notebooks')).toBeNull();
    expect(parse('notebooks/train')).toEqual(notebookRoute('train'));
    expect(parse('notebooks/train@2/reproduce')).toEqual(notebookRoute('train', { version: 2, tab: 'reproduce' }));
  });

  it('ignores what it does not know instead of failing', () => {
    expect(parse('notebooks/train/nonsense')).toEqual(notebookRoute('train'));
    expect(parse('notebooks/train@0')).toEqual(notebookRoute('train'));
    expect(parse('notebooks/%E0%A4%A')).toBeNull();
  });

  it('writes what it reads, with names encoded', () => {
    const routes = [notebookRoute('EDA 2024.v2'), notebookRoute('a@b', { version: 3, tab: 'versions' }), notebookRoute('a/b', { tab: 'lineage' })];
    for (const route of routes) expect(parse(formatNotebookPath(route))).toEqual(route);
    expect(formatNotebookPath(null)).toBe('notebooks');
    expect(formatNotebookPath(routes[0]!)).toBe('notebooks/EDA%202024.v2');
    expect(notebookHref('a', { tab: 'environment' })).toBe('#/notebooks/a/environment');
  });
});
