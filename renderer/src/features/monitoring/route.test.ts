import { describe, expect, it } from 'vitest';
import { monitoringRoute } from '../../store/index.js';
import { formatMonitoringPath, monitoringHref, parseMonitoringPath } from './route.js';

describe('monitoring routes', () => {
  it('reads and writes a model’s monitoring page, its version and the check shown', () => {
    for (const route of [monitoringRoute('churn'), monitoringRoute('churn', { version: 2 }), monitoringRoute('a/b @x', { check: 12 }), monitoringRoute('churn', { version: 1, check: 3 })]) {
      const path = formatMonitoringPath(route);
      expect(parseMonitoringPath(path.split('/').slice(1))).toEqual(route);
    }
    expect(monitoringHref('churn', { check: 7 })).toBe('#/monitoring/churn/checks/7');
    expect(monitoringHref('churn', { version: 2 })).toBe('#/monitoring/churn@2');
  });

  it('the list has no model; a garbled check is the newest', () => {
    expect(formatMonitoringPath(null)).toBe('monitoring');
    expect(parseMonitoringPath([])).toBeNull();
    expect(parseMonitoringPath(['churn', 'checks', 'x'])).toEqual(monitoringRoute('churn'));
    expect(parseMonitoringPath(['churn', 'checks', '0'])).toEqual(monitoringRoute('churn'));
  });
});
