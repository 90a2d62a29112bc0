// The notebook page's place in the URL hash, so reload and back/forward keep it:
//   #/notebooks                    the list
//   #/notebooks/train              a notebook, latest version, its cells
//   #/notebooks/train@2/reproduce  version 2, the Reproduce tab
// Names are URI-encoded, so a literal "@" or "/" in a segment is always ours.
import { isNotebookTab, notebookRoute, type NotebookRoute } from '../../store/index.js';

const decode = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
};

/** The route of the path segments after "notebooks", or null for the list. */
export function parseNotebookPath(segments: readonly string[]): NotebookRoute | null {
  const [head, tab] = segments;
  if (!head) return null;
  const m = /^(.*?)(?:@(\d+))?$/.exec(head)!;
  const name = decode(m[1]!);
  if (!name) return null;
  const version = m[2] ? Number(m[2]) : null;
  return notebookRoute(name, { version: version && version > 0 ? version : null, tab: isNotebookTab(tab) ? tab : 'cells' });
}

/** The hash path of a route (without "#/"); the same string parseNotebookPath reads back. */
export function formatNotebookPath(route: NotebookRoute | null): string {
  if (!route) return 'notebooks';
  const path = `notebooks/${encodeURIComponent(route.name)}${route.version === null ? '' : `@${route.version}`}`;
  return route.tab === 'cells' ? path : `${path}/${route.tab}`;
}

/** An href to a notebook page. */
export const notebookHref = (name: string, over: Partial<Omit<NotebookRoute, 'name'>> = {}) => `#/${formatNotebookPath(notebookRoute(name, over))}`;
