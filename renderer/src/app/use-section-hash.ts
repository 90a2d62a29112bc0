import { useEffect } from 'react';
import { formatDatasetPath, parseDatasetPath } from '../features/datasets/route.js';
import { formatEnvironmentPath, parseEnvironmentPath } from '../features/environments/route.js';
import { formatModelPath, parseModelPath } from '../features/models/route.js';
import { formatNotebookPath, parseNotebookPath } from '../features/notebooks/route.js';
import { isSectionId } from '../store/index.js';
import { useAppStore } from '../store/store-context.js';

/**
 * The current section lives in the URL hash (#/datasets) so reload and back/forward keep it;
 * so does the page shown in it: a dataset (#/datasets/churn@2/compare/1..2, see
 * features/datasets/route.ts), a notebook (#/notebooks/train@2/reproduce), an environment
 * (#/environments/py311/used-by) or a model (#/models/churn@2/scan, #/models/~lineage).
 */
export function useSectionHash(): void {
  const section = useAppStore((s) => s.section);
  const datasetRoute = useAppStore((s) => s.datasetRoute);
  const setSection = useAppStore((s) => s.setSection);
  const showDataset = useAppStore((s) => s.showDataset);
  const notebookRoute = useAppStore((s) => s.notebookRoute);
  const showNotebook = useAppStore((s) => s.showNotebook);
  const environmentRoute = useAppStore((s) => s.environmentRoute);
  const showEnvironment = useAppStore((s) => s.showEnvironment);
  const modelRoute = useAppStore((s) => s.modelRoute);
  const modelsView = useAppStore((s) => s.modelsView);
  const showModel = useAppStore((s) => s.showModel);
  const showModelsView = useAppStore((s) => s.showModelsView);

  useEffect(() => {
    const fromHash = () => {
      const [id, ...rest] = window.location.hash.replace(/^#\/?/, '').split('/');
      if (!isSectionId(id)) return;
      setSection(id);
      if (id === 'datasets') showDataset(parseDatasetPath(rest));
      if (id === 'notebooks') showNotebook(parseNotebookPath(rest));
      if (id === 'environments') showEnvironment(parseEnvironmentPath(rest));
      if (id === 'models') {
        const { route, view } = parseModelPath(rest);
        showModelsView(view);
        showModel(route);
      }
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, [setSection, showDataset, showNotebook, showEnvironment, showModel, showModelsView]);

  useEffect(() => {
    const path =
      section === 'datasets' ? formatDatasetPath(datasetRoute)
      : section === 'notebooks' ? formatNotebookPath(notebookRoute)
      : section === 'environments' ? formatEnvironmentPath(environmentRoute)
      : section === 'models' ? formatModelPath(modelRoute, modelsView)
      : section;
    const hash = `#/${path}`;
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [section, datasetRoute, notebookRoute, environmentRoute, modelRoute, modelsView]);
}
