import { useEffect } from 'react';
import { formatDatasetPath, parseDatasetPath } from '../features/datasets/route.js';
import { formatNotebookPath, parseNotebookPath } from '../features/notebooks/route.js';
import { isSectionId } from '../store/index.js';
import { useAppStore } from '../store/store-context.js';

/**
 * The current section lives in the URL hash (#/datasets) so reload and back/forward keep it;
 * so does the dataset page shown (#/datasets/churn@2/compare/1..2, see features/datasets/route.ts)
 * and the notebook page (#/notebooks/train@2/reproduce, see features/notebooks/route.ts).
 */
export function useSectionHash(): void {
  const section = useAppStore((s) => s.section);
  const datasetRoute = useAppStore((s) => s.datasetRoute);
  const setSection = useAppStore((s) => s.setSection);
  const showDataset = useAppStore((s) => s.showDataset);
  const notebookRoute = useAppStore((s) => s.notebookRoute);
  const showNotebook = useAppStore((s) => s.showNotebook);

  useEffect(() => {
    const fromHash = () => {
      const [id, ...rest] = window.location.hash.replace(/^#\/?/, '').split('/');
      if (!isSectionId(id)) return;
      setSection(id);
      if (id === 'datasets') showDataset(parseDatasetPath(rest));
      if (id === 'notebooks') showNotebook(parseNotebookPath(rest));
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, [setSection, showDataset, showNotebook]);

  useEffect(() => {
    const path =
      section === 'datasets' ? formatDatasetPath(datasetRoute)
      : section === 'notebooks' ? formatNotebookPath(notebookRoute)
      : section;
    const hash = `#/${path}`;
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [section, datasetRoute, notebookRoute]);
}
