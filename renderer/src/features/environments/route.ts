// The environment page's place in the URL hash, so reload and back/forward keep it:
//   #/environments                          the list
//   #/environments/py311                    an environment, latest version, its packages
//   #/environments/py311@2/used-by          version 2, the models that use it
//   #/environments/py311/compare/conda-ml@1 compared with another environment's version
import { environmentRoute, isEnvironmentTab, type EnvironmentRoute } from '../../store/index.js';
import { formatNameVersion, parseNameVersion } from '../shared/entity-route.js';

/** The route of the path segments after "environments", or null for the list. */
export function parseEnvironmentPath(segments: readonly string[]): EnvironmentRoute | null {
  const [head, tab, detail] = segments;
  const entry = parseNameVersion(head);
  if (!entry) return null;
  const route = environmentRoute(entry.name, { version: entry.version });
  if (!isEnvironmentTab(tab)) return route;
  route.tab = tab;
  const other = tab === 'compare' ? parseNameVersion(detail) : null;
  if (other?.version) route.compare = { name: other.name, version: other.version };
  return route;
}

/** The hash path of a route (without "#/"); the same string parseEnvironmentPath reads back. */
export function formatEnvironmentPath(route: EnvironmentRoute | null): string {
  if (!route) return 'environments';
  const path = `environments/${formatNameVersion(route.name, route.version)}`;
  if (route.tab === 'compare' && route.compare) return `${path}/compare/${formatNameVersion(route.compare.name, route.compare.version)}`;
  return route.tab === 'packages' ? path : `${path}/${route.tab}`;
}

/** An href to an environment page. */
export const environmentHref = (name: string, over: Partial<Omit<EnvironmentRoute, 'name'>> = {}) =>
  `#/${formatEnvironmentPath(environmentRoute(name, over))}`;
