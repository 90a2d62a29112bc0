import { useEffect } from 'react';
import { formatBundlePath, parseBundlePath } from '../features/bundles/route.js';
import { formatDatasetPath, parseDatasetPath } from '../features/datasets/route.js';
import { formatEnvironmentPath, parseEnvironmentPath } from '../features/environments/route.js';
import { formatModelPath, parseModelPath } from '../features/models/route.js';
import { formatMonitoringPath, parseMonitoringPath } from '../features/monitoring/route.js';
import { formatNotebookPath, parseNotebookPath } from '../features/notebooks/route.js';
import { isSectionId } from '../store/index.js';
import { useAppStore } from '../store/store-context.js';

/**
 * The current section lives in the URL hash (#/datasets) so reload and back/forward keep it;
 * so does the page shown in it: a dataset (#/datasets/churn@2/compare/1..2, see
 * features/datasets/route.ts), a notebook (#/notebooks/train@2/reproduce), an environment
 * (#/environments/py311/used-by), a model (#/models/churn@2/scan, #/models/~lineage) or a bundle
 * (#/bundles/churn@2/build, #/bundles/~package/churn@2, an archive opened for review:
 * #/bundles/~archives/3) or a model's monitoring page
 * (#/monitoring/churn/checks/12).
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
  const bundleRoute = useAppStore((s) => s.bundleRoute);
  const bundlesView = useAppStore((s) => s.bundlesView);
  const bundleWizardModel = useAppStore((s) => s.bundleWizard?.model ?? null);
  const bundleWizardVersion = useAppStore((s) => s.bundleWizard?.version ?? null);
  const showBundle = useAppStore((s) => s.showBundle);
  const openBundleWizard = useAppStore((s) => s.openBundleWizard);
  const archiveRoute = useAppStore((s) => s.archiveRoute);
  const showArchive = useAppStore((s) => s.showArchive);
  const monitoringRoute = useAppStore((s) => s.monitoringRoute);
  const showMonitoring = useAppStore((s) => s.showMonitoring);

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
      if (id === 'bundles') {
        const place = parseBundlePath(rest);
        if (place.wizard) openBundleWizard(place.wizard.model, place.wizard.version);
        else showBundle(place.route);
        showArchive(place.archive);
      }
      if (id === 'monitoring') showMonitoring(parseMonitoringPath(rest));
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, [setSection, showDataset, showNotebook, showEnvironment, showModel, showModelsView, showBundle, openBundleWizard, showArchive, showMonitoring]);

  useEffect(() => {
    const path =
      section === 'datasets' ? formatDatasetPath(datasetRoute)
      : section === 'notebooks' ? formatNotebookPath(notebookRoute)
      : section === 'environments' ? formatEnvironmentPath(environmentRoute)
      : section === 'models' ? formatModelPath(modelRoute, modelsView)
      : section === 'bundles' ? formatBundlePath(bundleRoute, bundlesView, { model: bundleWizardModel, version: bundleWizardVersion }, archiveRoute)
      : section === 'monitoring' ? formatMonitoringPath(monitoringRoute)
      : section;
    const hash = `#/${path}`;
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [section, datasetRoute, notebookRoute, environmentRoute, modelRoute, modelsView, bundleRoute, bundlesView, bundleWizardModel, bundleWizardVersion, archiveRoute, monitoringRoute]);
}
