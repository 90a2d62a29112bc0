// The model page's place in the URL hash, so reload and back/forward keep it:
//   #/models                 the list
//   #/models/~lineage        the lineage graph of the whole workspace
//   #/models/churn           a model, latest version, its overview
//   #/models/churn@2/scan    version 2, the Scan tab
// A model name starts with a letter, digit or underscore, so "~lineage" is never one.
import { isModelTab, modelRoute, type ModelRoute, type ModelsView } from '../../store/index.js';
import { formatNameVersion, parseNameVersion } from '../shared/entity-route.js';

export const LINEAGE_SEGMENT = '~lineage';

/** What the path segments after "models" show: a model's page, or the list or lineage view. */
export function parseModelPath(segments: readonly string[]): { route: ModelRoute | null; view: ModelsView } {
  const [head, tab] = segments;
  if (head === LINEAGE_SEGMENT) return { route: null, view: 'lineage' };
  const entry = parseNameVersion(head);
  if (!entry) return { route: null, view: 'list' };
  return { route: modelRoute(entry.name, { version: entry.version, tab: isModelTab(tab) ? tab : 'overview' }), view: 'list' };
}

/** The hash path (without "#/"); the same string parseModelPath reads back. */
export function formatModelPath(route: ModelRoute | null, view: ModelsView = 'list'): string {
  if (!route) return view === 'lineage' ? `models/${LINEAGE_SEGMENT}` : 'models';
  const path = `models/${formatNameVersion(route.name, route.version)}`;
  return route.tab === 'overview' ? path : `${path}/${route.tab}`;
}

/** An href to a model page. */
export const modelHref = (name: string, over: Partial<Omit<ModelRoute, 'name'>> = {}) => `#/${formatModelPath(modelRoute(name, over))}`;

export const MODELS_LINEAGE_HREF = `#/${formatModelPath(null, 'lineage')}`;
