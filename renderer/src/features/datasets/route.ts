// The dataset page's place in the URL hash, so reload and back/forward keep it:
//   #/datasets                         the list
//   #/datasets/churn                   a dataset, latest version, Columns tab
//   #/datasets/churn@2/columns/amount  version 2, the profile of column "amount"
//   #/datasets/churn/compare/1..3      versions 1 and 3 compared
// Names and columns are URI-encoded, so a literal "@" or "/" in a segment is always ours.
import { datasetRoute, isDatasetTab, type DatasetRoute } from '../../store/index.js';
import { decodeSegment, formatNameVersion, parseNameVersion } from '../shared/entity-route.js';

/** The route of the path segments after "datasets", or null for the list. */
export function parseDatasetPath(segments: readonly string[]): DatasetRoute | null {
  const [head, tab, detail] = segments;
  const entry = parseNameVersion(head);
  if (!entry) return null;
  const route = datasetRoute(entry.name, { version: entry.version });
  if (!isDatasetTab(tab)) return route;
  route.tab = tab;
  if (tab === 'columns' && detail) route.column = decodeSegment(detail);
  if (tab === 'compare' && detail) {
    const c = /^(\d+)\.\.(\d+)$/.exec(detail);
    if (c && Number(c[1]) > 0 && Number(c[2]) > 0) route.compare = { from: Number(c[1]), to: Number(c[2]) };
  }
  return route;
}

/** The hash path of a route (without "#/"); the same string parseDatasetPath reads back. */
export function formatDatasetPath(route: DatasetRoute | null): string {
  if (!route) return 'datasets';
  let path = `datasets/${formatNameVersion(route.name, route.version)}`;
  if (route.tab === 'columns' && route.column !== null) path += `/columns/${encodeURIComponent(route.column)}`;
  else if (route.tab === 'compare' && route.compare) path += `/compare/${route.compare.from}..${route.compare.to}`;
  else if (route.tab !== 'columns') path += `/${route.tab}`;
  return path;
}

/** An href to a dataset page. */
export const datasetHref = (name: string, over: Partial<Omit<DatasetRoute, 'name'>> = {}) => `#/${formatDatasetPath(datasetRoute(name, over))}`;
