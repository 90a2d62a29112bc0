// The notebook page's place in the URL hash, so reload and back/forward keep it:
//   #/notebooks                    the list
//   #/notebooks/train              a notebook, latest version, its cells
//   #/notebooks/train@2/reproduce  version 2, the Reproduce tab
// Names are URI-encoded, so a literal "@" or "/" in a segment is always ours.
import { isNotebookTab, notebookRoute, type NotebookRoute } from '../../store/index.js';
import { formatNameVersion, parseNameVersion } from '../shared/entity-route.js';

/** The route of the path segments after "notebooks", or null for the list. */
export function parseNotebookPath(segments: readonly string[]): NotebookRoute | null {
  const [head, tab] = segments;
  const entry = parseNameVersion(head);
  if (!entry) return null;
  return notebookRoute(entry.name, { version: entry.version, tab: isNotebookTab(tab) ? tab : 'cells' });
}

/** The hash path of a route (without "#/"); the same string parseNotebookPath reads back. */
export function formatNotebookPath(route: NotebookRoute | null): string {
  if (!route) return 'notebooks';
  const path = `notebooks/${formatNameVersion(route.name, route.version)}`;
  return route.tab === 'cells' ? path : `${path}/${route.tab}`;
}

/** An href to a notebook page. */
export const notebookHref = (name: string, over: Partial<Omit<NotebookRoute, 'name'>> = {}) => `#/${formatNotebookPath(notebookRoute(name, over))}`;
