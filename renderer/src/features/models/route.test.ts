import { describe, expect, it } from 'vitest';
import { modelRoute } from '../../store/index.js';
import { formatModelPath, modelHref, MODELS_LINEAGE_HREF, parseModelPath } from './route.js';

describe('model routes', () => {
  it('reads and writes a model page, its version and tab', () => {
    for (const route of [modelRoute('churn'), modelRoute('churn', { version: 2, tab: 'scan' }), modelRoute('a/b @x', { tab: 'lineage' })]) {
      const path = formatModelPath(route);
      expect(parseModelPath(path.split('/').slice(1))).toEqual({ route, view: 'list' });
    }
    expect(modelHref('churn', { version: 3, tab: 'card' })).toBe('#/models/churn@3/card');
  });

  it('has a place for the workspace lineage that no model name can take', () => {
    expect(MODELS_LINEAGE_HREF).toBe('#/models/~lineage');
    expect(parseModelPath(['~lineage'])).toEqual({ route: null, view: 'lineage' });
    expect(parseModelPath([])).toEqual({ route: null, view: 'list' });
    expect(parseModelPath(['churn', 'nonsense'])).toEqual({ route: modelRoute('churn'), view: 'list' });
  });
});
