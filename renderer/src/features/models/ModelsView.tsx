import { lazy, Suspense, useState, type ReactNode } from 'react';
import type { ModelsView as SectionView } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { DropOverlay } from '../../ui/DropOverlay.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { IconCpu, IconGitCompare } from '../../ui/icons.js';
import { Panel } from '../../ui/Panel.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { TabList, TabPanel } from '../../ui/Tabs.js';
import { useFileDrop } from '../../ui/use-file-drop.js';
import { useFocusOnChange } from '../../ui/use-focus-on-change.js';
import { LineageGraph } from '../lineage/LineageGraph.js';
import type { SectionProps } from '../section-props.js';
import { RegistrationList } from '../shared/RegistrationList.js';
import { ListOrEmpty, nothingYet, SectionListPage } from '../shared/SectionList.js';
import { ModelList } from './ModelList.js';
import { ModelRegistrationCard } from './ModelRegistrationCard.js';
import './models.css';
import { RegisterModelDialog } from './RegisterModelDialog.js';

// The page brings markdown, the sanitiser and the charts: load them when a model is opened.
const ModelPage = lazy(() => import('./ModelPage.js').then((m) => ({ default: m.ModelPage })));

interface DialogState {
  path?: string;
  name?: string;
  file?: File;
}

const VIEW_TABS = [
  { id: 'list', label: 'Models' },
  {
    id: 'lineage',
    label: (
      <>
        <IconGitCompare size={14} /> Lineage
      </>
    ),
  },
] as const;

/** The Models section: the list or the workspace's lineage graph, or one model's page; a model file dropped on it opens the register form. */
export function ModelsView({ headingRef }: SectionProps) {
  const route = useAppStore((s) => s.modelRoute);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [inDialog, setInDialog] = useState<string | null>(null);
  const drop = useFileDrop((files) => {
    const file = files[0];
    if (file && !dialog) setDialog(route ? { name: route.name, file } : { file });
  });

  useFocusOnChange(route?.name ?? null, headingRef);

  const registrations = <Registrations exclude={inDialog} />;
  return (
    <div className="models-view" {...drop.handlers} data-dragging={drop.over || undefined}>
      {route ?
        <Suspense fallback={<LoadingLine>Loading {route.name}…</LoadingLine>}>
          <ModelPage
            route={route}
            headingRef={headingRef}
            onRegisterVersion={(detail) => setDialog({ path: detail.version.sourcePath, name: detail.name })}
            registrations={registrations}
          />
        </Suspense>
      : <SectionPage headingRef={headingRef} onRegister={() => setDialog({})} registrations={registrations} />}
      {drop.over && !dialog && <DropOverlay title={route ? `Drop to register a new version of ${route.name}` : 'Drop to register a model'} hint="joblib, pickle or ONNX" />}
      {dialog && (
        <RegisterModelDialog
          initialPath={dialog.path}
          initialName={dialog.name}
          initialFile={dialog.file}
          onClose={() => setDialog(null)}
          onRegistration={setInDialog}
        />
      )}
    </div>
  );
}

function SectionPage({ headingRef, onRegister, registrations }: SectionProps & { onRegister: () => void; registrations: ReactNode }) {
  const view = useAppStore((s) => s.modelsView);
  const showModelsView = useAppStore((s) => s.showModelsView);
  const empty = useAppStore((s) => nothingYet(s.modelsStatus, s.models, s.modelsQuery));
  const action = { label: 'Register model', onClick: onRegister };
  return (
    <SectionListPage
      title="Models"
      headingRef={headingRef}
      description="Trained artifacts, each version tied to the data, notebook and environment that made it."
      action={action}
      registrations={registrations}
    >
      <TabList<SectionView> label="Models views" idPrefix="models-view" tabs={VIEW_TABS} selected={view} onSelect={showModelsView} className="models-view__tabs" />
      <TabPanel idPrefix="models-view" id={view} className="models-view__panel">
        {view === 'list' ?
          <ListOrEmpty
            empty={empty}
            icon={<IconCpu size={28} />}
            emptyTitle="No models yet"
            action={action}
            explanation={
              <>
                <p>
                  Register a trained model (scikit-learn or XGBoost joblib/pickle, ONNX). Greenhouse scans the file for unsafe code without loading it,
                  then loads it in its environment and records its parameters, metrics, input signature and golden predictions. It needs the dataset it
                  was trained on, so start with <a href="#/datasets">Datasets</a>; the <a href="#/notebooks">notebook</a> and{' '}
                  <a href="#/environments">environment</a> behind it complete its lineage.
                </p>
                <p className="small">Or drop a model file on this page.</p>
              </>
            }
            list={<ModelList />}
            dropHint="Drop a model file anywhere on this page to register it."
          />
        : <WorkspaceLineage />}
      </TabPanel>
    </SectionListPage>
  );
}

function WorkspaceLineage() {
  return (
    <Panel
      headingId="models-lineage-heading"
      title="Lineage of the workspace"
      note="Datasets → notebooks → models → bundles, with the environments models run in. Open any node with a click or Enter."
      className="models-lineage"
    >
      <div className="models-lineage__body">
        <LineageGraph
          focus={null}
          label="Lineage of the workspace"
          empty={
            <EmptyState icon={<IconGitCompare size={28} />} title="Nothing to show yet">
              <p>
                The graph links the datasets, notebooks, environments and models you register. Register a <a href="#/datasets">dataset</a> and a{' '}
                <a href="#/notebooks">notebook</a> that reads it to see the first edge.
              </p>
            </EmptyState>
          }
        />
      </div>
    </Panel>
  );
}

/** Registrations started here that are running or whose outcome has not been dismissed. */
function Registrations({ exclude }: { exclude: string | null }) {
  const registrations = useAppStore((s) => s.modelRegistrations);
  return <RegistrationList registrations={registrations} exclude={exclude} card={(r) => <ModelRegistrationCard registration={r} />} />;
}
