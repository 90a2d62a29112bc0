// The Bundles section's place in the URL hash, so reload and back/forward keep it:
//   #/bundles                    the list
//   #/bundles/~package           the package wizard, no model chosen yet
//   #/bundles/~package/churn@2   the wizard for churn version 2 (churn alone: its latest version)
//   #/bundles/churn@2            the bundle of churn version 2, its overview
//   #/bundles/churn@2/build      its Build tab
//   #/bundles/churn@2/readiness  its readiness checklist
//   #/bundles/churn@2/files/model%2Fgolden.json   its Files tab showing one file (the path URI-encoded)
//   #/bundles/~archives/3        an exported archive opened for review (its id in this workspace's catalog)
//   #/bundles/~archives/3/verification   what verifying it found
// A model name starts with a letter, digit or underscore, so "~package" and "~archives" are never one.
import { archiveRoute, bundleRoute, isArchiveTab, isBundleTab, type ArchiveRoute, type BundleRoute, type BundlesView } from '../../store/index.js';
import { decodeSegment, formatNameVersion, parseNameVersion } from '../shared/entity-route.js';

export const PACKAGE_SEGMENT = '~package';
export const ARCHIVES_SEGMENT = '~archives';

export interface BundlesPlace {
  route: BundleRoute | null;
  view: BundlesView;
  /** The wizard's model version, when the path names one. */
  wizard: { model: string | null; version: number | null } | null;
  /** An archive opened for review, when the path names one. */
  archive: ArchiveRoute | null;
}

/** What the path segments after "bundles" show. */
export function parseBundlePath(segments: readonly string[]): BundlesPlace {
  const [head, second, third] = segments;
  if (head === PACKAGE_SEGMENT) {
    const entry = parseNameVersion(second);
    return { route: null, view: 'wizard', wizard: { model: entry?.name ?? null, version: entry?.version ?? null }, archive: null };
  }
  if (head === ARCHIVES_SEGMENT) {
    const id = /^\d+$/.test(second ?? '') ? Number(second) : 0;
    return { route: null, view: 'list', wizard: null, archive: id > 0 ? archiveRoute(id, isArchiveTab(third) ? third : 'review') : null };
  }
  const entry = parseNameVersion(head);
  if (!entry) return { route: null, view: 'list', wizard: null, archive: null };
  const tab = isBundleTab(second) ? second : 'overview';
  const file = tab === 'files' && third ? decodeSegment(third) : null;
  return { route: bundleRoute(entry.name, { version: entry.version, tab, ...(file ? { file } : {}) }), view: 'list', wizard: null, archive: null };
}

/**
 * The hash path (without "#/"); the same string parseBundlePath reads back. What the Bundles
 * section shows, first to last: a bundle page, the wizard, an archive's page, the list.
 */
export function formatBundlePath(
  route: BundleRoute | null,
  view: BundlesView = 'list',
  wizard: { model: string | null; version: number | null } | null = null,
  archive: ArchiveRoute | null = null,
): string {
  if (route) {
    const path = `bundles/${formatNameVersion(route.name, route.version)}`;
    if (route.tab === 'files' && route.file) return `${path}/files/${encodeURIComponent(route.file)}`;
    return route.tab === 'overview' ? path : `${path}/${route.tab}`;
  }
  if (view !== 'wizard') {
    if (!archive) return 'bundles';
    const path = `bundles/${ARCHIVES_SEGMENT}/${archive.id}`;
    return archive.tab === 'review' ? path : `${path}/${archive.tab}`;
  }
  return wizard?.model ? `bundles/${PACKAGE_SEGMENT}/${formatNameVersion(wizard.model, wizard.version)}` : `bundles/${PACKAGE_SEGMENT}`;
}

/** An href to a bundle page. */
export const bundleHref = (name: string, over: Partial<Omit<BundleRoute, 'name'>> = {}) => `#/${formatBundlePath(bundleRoute(name, over))}`;

/** An href to the package wizard, for a model version when given. */
export const packageHref = (model?: string, version?: number | null) => `#/${formatBundlePath(null, 'wizard', { model: model ?? null, version: version ?? null })}`;

/** An href to the page of an archive opened for review. */
export const archiveHref = (id: number, tab: ArchiveRoute['tab'] = 'review') => `#/${formatBundlePath(null, 'list', null, archiveRoute(id, tab))}`;

export const BUNDLES_HREF = '#/bundles';
