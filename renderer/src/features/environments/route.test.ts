import { describe, expect, it } from 'vitest';
import { environmentRoute } from '../../store/index.js';
import { environmentHref, formatEnvironmentPath, parseEnvironmentPath } from './route.js';

describe('environment routes', () => {
  it('reads and writes an environment page, its version, tab and comparison', () => {
    for (const route of [
      environmentRoute('py311'),
      environmentRoute('py311', { version: 2, tab: 'used-by' }),
      environmentRoute('py311', { tab: 'compare', compare: { name: 'conda ml', version: 3 } }),
      environmentRoute('py311', { tab: 'compare' }),
    ]) {
      expect(parseEnvironmentPath(formatEnvironmentPath(route).split('/').slice(1))).toEqual(route);
    }
    expect(environmentHref('py311', { version: 1 })).toBe('#/environments/py311@1');
    expect(formatEnvironmentPath(null)).toBe('environments');
  });

  it('ignores a comparison without a version', () => {
    expect(parseEnvironmentPath(['py311', 'compare', 'other'])).toEqual(environmentRoute('py311', { tab: 'compare' }));
  });
});
