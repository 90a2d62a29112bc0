import { useEffect } from 'react';
import { formatDatasetPath, parseDatasetPath } from '../features/datasets/route.js';
import { isSectionId } from '../store/index.js';
import { useAppStore } from '../store/store-context.js';

/**
 * The current section lives in the URL hash (#/datasets) so reload and back/forward keep it;
 * so does the dataset page shown (#/datasets/churn@2/compare/1..2, see features/datasets/route.ts).
 */
export function useSectionHash(): void {
  const section = useAppStore((s) => s.section);
  const datasetRoute = useAppStore((s) => s.datasetRoute);
  const setSection = useAppStore((s) => s.setSection);
  const showDataset = useAppStore((s) => s.showDataset);

  useEffect(() => {
    const fromHash = () => {
      const [id, ...rest] = window.location.hash.replace(/^#\/?/, '').split('/');
      if (!isSectionId(id)) return;
      setSection(id);
      if (id === 'datasets') showDataset(parseDatasetPath(rest));
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, [setSection, showDataset]);

  useEffect(() => {
    const hash = `#/${section === 'datasets' ? formatDatasetPath(datasetRoute) : section}`;
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [section, datasetRoute]);
}
