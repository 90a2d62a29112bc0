import { useState, type ReactNode } from 'react';
import { useAppStore } from '../../store/store-context.js';
import { DropOverlay } from '../../ui/DropOverlay.js';
import { IconDatabase } from '../../ui/icons.js';
import { useFileDrop } from '../../ui/use-file-drop.js';
import { useFocusOnChange } from '../../ui/use-focus-on-change.js';
import type { SectionProps } from '../section-props.js';
import { RegistrationList } from '../shared/RegistrationList.js';
import { ListOrEmpty, nothingYet, SectionListPage } from '../shared/SectionList.js';
import { DatasetList } from './DatasetList.js';
import { DatasetPage } from './DatasetPage.js';
import { RegisterDialog } from './RegisterDialog.js';
import { RegistrationCard } from './RegistrationCard.js';

interface DialogState {
  path?: string;
  name?: string;
}

/** The Datasets section: the list, or one dataset's page; files dropped anywhere on it are registered. */
export function DatasetsView({ headingRef }: SectionProps) {
  const route = useAppStore((s) => s.datasetRoute);
  const registerFile = useAppStore((s) => s.registerFile);
  const rejectDrop = useAppStore((s) => s.rejectDrop);
  const browserMode = useAppStore((s) => s.appInfo?.mode !== 'electron');
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [inDialog, setInDialog] = useState<string | null>(null);
  const drop = useFileDrop((files, folders) => {
    // On a dataset's page a dropped file becomes its next version; on the list, a dataset of its own.
    const options = route ? { name: route.name } : {};
    for (const file of files) void registerFile(file, options);
    // The desktop app knows a dropped folder's path; a browser can only upload files.
    for (const folder of folders) {
      if (!browserMode) void registerFile(folder, options);
      else
        rejectDrop(folder.name, {
          code: 'UNSUPPORTED',
          message: `${folder.name} is a folder, and the browser can upload files only.`,
          remedy: 'Register the folder by its path: Register dataset, then type the path or browse to it.',
        });
    }
  });

  // Opening another dataset moves focus to its heading, as changing sections does.
  useFocusOnChange(route?.name ?? null, headingRef);

  return (
    <div className="datasets-view" {...drop.handlers} data-dragging={drop.over || undefined}>
      {route ? (
        <DatasetPage
          route={route}
          headingRef={headingRef}
          onRegisterVersion={(detail) => setDialog({ path: detail.version.sourcePath, name: detail.name })}
          registrations={<Registrations exclude={inDialog} />}
        />
      ) : (
        <ListPage headingRef={headingRef} onRegister={() => setDialog({})} registrations={<Registrations exclude={inDialog} />} />
      )}
      {drop.over && (
        <DropOverlay title={route ? `Drop to register a new version of ${route.name}` : 'Drop to register'} hint="CSV, TSV, JSON Lines or Parquet" />
      )}
      {dialog && (
        <RegisterDialog initialPath={dialog.path} initialName={dialog.name} onClose={() => setDialog(null)} onRegistration={setInDialog} />
      )}
    </div>
  );
}

function ListPage({ headingRef, onRegister, registrations }: SectionProps & { onRegister: () => void; registrations: ReactNode }) {
  const empty = useAppStore((s) => nothingYet(s.datasetsStatus, s.datasets, s.datasetsQuery));
  const nativeDrop = useAppStore((s) => s.appInfo?.mode === 'electron');
  const action = { label: 'Register dataset', onClick: onRegister };
  return (
    <SectionListPage
      title="Datasets"
      headingRef={headingRef}
      description="The tabular files behind your model, each version with its content hash, schema and column profile."
      action={action}
      registrations={registrations}
    >
      <ListOrEmpty
        empty={empty}
        icon={<IconDatabase size={28} />}
        emptyTitle="No datasets yet"
        action={action}
        explanation={
          <>
            <p>
              Start here: register the CSV, TSV, Parquet or JSON Lines files that trained your model. Every model version is then tied to the exact
              data that made it, and a changed file becomes a new version you can compare.
            </p>
            <p className="small">
              Or drop files on this page{nativeDrop ? '' : ' (they are uploaded into the workspace)'}, or run <code>greenhouse dataset add PATH</code>.
            </p>
          </>
        }
        list={<DatasetList />}
        dropHint="Drop data files anywhere on this page to register them."
      />
    </SectionListPage>
  );
}

/** Registrations started here that are running or whose outcome has not been dismissed. */
function Registrations({ exclude }: { exclude: string | null }) {
  const registrations = useAppStore((s) => s.registrations);
  return <RegistrationList registrations={registrations} exclude={exclude} card={(r) => <RegistrationCard registration={r} />} />;
}
