import { describe, expect, it } from 'vitest';
import { datasetRoute } from '../../store/index.js';
import { datasetHref, formatDatasetPath, parseDatasetPath } from './route.js';

const parse = (hashPath: string) => parseDatasetPath(hashPath.split('/').slice(1));

describe('dataset routes in the URL hash', () => {
  it('reads the list, a dataset, a version, a tab, a column and a comparison', () => {
    expect(parse('datasets')).toBeNull();
    expect(parse('datasets/customers')).toEqual(datasetRoute('customers'));
    expect(parse('datasets/customers@2/sample')).toEqual(datasetRoute('customers', { version: 2, tab: 'sample' }));
    expect(parse('datasets/customers/columns/monthly%20spend')).toEqual(datasetRoute('customers', { column: 'monthly spend' }));
    expect(parse('datasets/customers/compare/1..3')).toEqual(datasetRoute('customers', { tab: 'compare', compare: { from: 1, to: 3 } }));
  });

  it('ignores what it does not know instead of failing', () => {
    expect(parse('datasets/customers/nonsense')).toEqual(datasetRoute('customers'));
    expect(parse('datasets/customers@0')).toEqual(datasetRoute('customers'));
    expect(parse('datasets/customers/compare/one..two')).toEqual(datasetRoute('customers', { tab: 'compare' }));
    expect(parse('datasets/%E0%A4%A')).toBeNull();
  });

  it('writes what it reads, with names and columns encoded', () => {
    const routes = [
      datasetRoute('Q1 sales.v2'),
      datasetRoute('a', { version: 3, tab: 'versions' }),
      datasetRoute('a', { column: 'price/unit @ eur' }),
      datasetRoute('a', { tab: 'compare', compare: { from: 2, to: 1 } }),
      datasetRoute('a', { tab: 'datasheet' }),
    ];
    for (const route of routes) expect(parse(formatDatasetPath(route))).toEqual(route);
    expect(formatDatasetPath(null)).toBe('datasets');
    expect(formatDatasetPath(routes[0]!)).toBe('datasets/Q1%20sales.v2');
    expect(datasetHref('a', { tab: 'sample' })).toBe('#/datasets/a/sample');
  });
});
