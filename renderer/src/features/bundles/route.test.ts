import { describe, expect, it } from 'vitest';
import { archiveRoute, bundleRoute } from '../../store/index.js';
import { archiveHref, bundleHref, formatBundlePath, packageHref, parseBundlePath } from './route.js';

describe('bundle routes', () => {
  it('reads and writes a bundle page, its version and tab', () => {
    for (const route of [bundleRoute('churn', { version: 2 }), bundleRoute('churn', { version: 2, tab: 'build' }), bundleRoute('a b', { tab: 'export' })]) {
      const path = formatBundlePath(route);
      expect(parseBundlePath(path.split('/').slice(1))).toEqual({ route, view: 'list', wizard: null, archive: null });
    }
    expect(bundleHref('churn', { version: 3, tab: 'smoke' })).toBe('#/bundles/churn@3/smoke');
    expect(parseBundlePath(['churn@1', 'nonsense'])).toEqual({ route: bundleRoute('churn', { version: 1 }), view: 'list', wizard: null, archive: null });
    expect(parseBundlePath([])).toEqual({ route: null, view: 'list', wizard: null, archive: null });
  });

  it('has the readiness tab, and the Files tab can name the file it shows', () => {
    expect(bundleHref('churn', { version: 2, tab: 'readiness' })).toBe('#/bundles/churn@2/readiness');
    expect(parseBundlePath(['churn@2', 'readiness']).route).toEqual(bundleRoute('churn', { version: 2, tab: 'readiness' }));
    const withFile = bundleRoute('churn', { version: 2, tab: 'files', file: 'model/golden.json' });
    expect(formatBundlePath(withFile)).toBe('bundles/churn@2/files/model%2Fgolden.json');
    expect(parseBundlePath(formatBundlePath(withFile).split('/').slice(1)).route).toEqual(withFile);
    // Only the Files tab shows a file.
    expect(parseBundlePath(['churn@2', 'build', 'Dockerfile']).route).toEqual(bundleRoute('churn', { version: 2, tab: 'build' }));
    expect(formatBundlePath(bundleRoute('churn', { version: 2, tab: 'build', file: 'Dockerfile' }))).toBe('bundles/churn@2/build');
  });

  it('has a place for the package wizard, with or without a model version, that no model name can take', () => {
    expect(packageHref()).toBe('#/bundles/~package');
    expect(packageHref('churn', 2)).toBe('#/bundles/~package/churn@2');
    expect(packageHref('churn')).toBe('#/bundles/~package/churn');
    expect(parseBundlePath(['~package'])).toEqual({ route: null, view: 'wizard', wizard: { model: null, version: null }, archive: null });
    expect(parseBundlePath(['~package', 'churn@2'])).toEqual({ route: null, view: 'wizard', wizard: { model: 'churn', version: 2 }, archive: null });
    expect(formatBundlePath(null, 'wizard', { model: 'churn', version: null })).toBe('bundles/~package/churn');
  });

  it('has a place for an archive opened for review, by its id, with its verification tab', () => {
    expect(archiveHref(3)).toBe('#/bundles/~archives/3');
    expect(archiveHref(3, 'verification')).toBe('#/bundles/~archives/3/verification');
    expect(parseBundlePath(['~archives', '3'])).toEqual({ route: null, view: 'list', wizard: null, archive: archiveRoute(3) });
    expect(parseBundlePath(['~archives', '3', 'verification']).archive).toEqual(archiveRoute(3, 'verification'));
    expect(parseBundlePath(['~archives', '3', 'nonsense']).archive).toEqual(archiveRoute(3));
    // No id, or not one: the list.
    for (const bad of [['~archives'], ['~archives', 'x'], ['~archives', '0'], ['~archives', '-1']]) expect(parseBundlePath(bad)).toEqual({ route: null, view: 'list', wizard: null, archive: null });
    // A bundle page or the wizard comes first (the store may still hold the archive shown before).
    expect(formatBundlePath(bundleRoute('churn', { version: 1 }), 'list', null, archiveRoute(3))).toBe('bundles/churn@1');
    expect(formatBundlePath(null, 'wizard', null, archiveRoute(3))).toBe('bundles/~package');
    expect(formatBundlePath(null, 'list', null, archiveRoute(3, 'verification'))).toBe('bundles/~archives/3/verification');
  });
});
