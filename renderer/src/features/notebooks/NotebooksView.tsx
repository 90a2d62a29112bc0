import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useAppStore } from '../../store/store-context.js';
import { DropOverlay } from '../../ui/DropOverlay.js';
import { IconNotebook } from '../../ui/icons.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { useFileDrop } from '../../ui/use-file-drop.js';
import { useFocusOnChange } from '../../ui/use-focus-on-change.js';
import type { SectionProps } from '../section-props.js';
import { RegistrationList } from '../shared/RegistrationList.js';
import { ListOrEmpty, nothingYet, SectionListPage } from '../shared/SectionList.js';
import { isNotebookFileName } from './display.js';
import { NotebookList } from './NotebookList.js';
import { NotebookRegistrationCard } from './NotebookRegistrationCard.js';
import './notebooks.css';
import { RegisterNotebookDialog } from './RegisterNotebookDialog.js';

// The page brings the code highlighter, markdown and sanitiser: load them when a notebook is opened.
const NotebookPage = lazy(() => import('./NotebookPage.js').then((m) => ({ default: m.NotebookPage })));

interface DialogState {
  path?: string;
  name?: string;
}

/** The Notebooks section: the list, or one notebook's page; .ipynb files dropped on it are registered. */
export function NotebooksView({ headingRef }: SectionProps) {
  const route = useAppStore((s) => s.notebookRoute);
  const registerFile = useAppStore((s) => s.registerNotebookFile);
  const rejectDrop = useAppStore((s) => s.rejectNotebookDrop);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [inDialog, setInDialog] = useState<string | null>(null);
  const drop = useFileDrop((files, folders) => {
    // On a notebook's page a dropped notebook becomes its next version; on the list, a notebook of its own.
    const options = route ? { name: route.name } : {};
    for (const file of files) {
      if (isNotebookFileName(file.name)) void registerFile(file, options);
      else
        rejectDrop(file.name, {
          code: 'INVALID_INPUT',
          message: `${file.name} is not a Jupyter notebook (.ipynb).`,
          remedy: 'Drop .ipynb files here; register data files on the Datasets page.',
        });
    }
    for (const folder of folders) {
      rejectDrop(folder.name, {
        code: 'UNSUPPORTED',
        message: `${folder.name} is a folder.`,
        remedy: 'Drop the .ipynb files themselves, or register each by its path with Register notebook.',
      });
    }
  });

  // Opening another notebook moves focus to its heading, as changing sections does.
  useFocusOnChange(route?.name ?? null, headingRef);

  return (
    <div className="notebooks-view" {...drop.handlers} data-dragging={drop.over || undefined}>
      {route ? (
        <Suspense fallback={<LoadingLine>Loading {route.name}…</LoadingLine>}>
          <NotebookPage
            route={route}
            headingRef={headingRef}
            onRegisterVersion={(detail) => setDialog({ path: detail.version.path, name: detail.name })}
            registrations={<Registrations exclude={inDialog} />}
          />
        </Suspense>
      ) : (
        <ListPage headingRef={headingRef} onRegister={() => setDialog({})} registrations={<Registrations exclude={inDialog} />} />
      )}
      {drop.over && (
        <DropOverlay title={route ? `Drop to register a new version of ${route.name}` : 'Drop to register'} hint="Jupyter notebooks (.ipynb)" />
      )}
      {dialog && (
        <RegisterNotebookDialog initialPath={dialog.path} initialName={dialog.name} onClose={() => setDialog(null)} onRegistration={setInDialog} />
      )}
    </div>
  );
}

function ListPage({ headingRef, onRegister, registrations }: SectionProps & { onRegister: () => void; registrations: ReactNode }) {
  const empty = useAppStore((s) => nothingYet(s.notebooksStatus, s.notebooks, s.notebooksQuery));
  const nativeDrop = useAppStore((s) => s.appInfo?.mode === 'electron');
  const action = { label: 'Register notebook', onClick: onRegister };
  return (
    <SectionListPage
      title="Notebooks"
      headingRef={headingRef}
      description="The Jupyter notebooks that prepared the data and trained the model: their code, findings, the datasets they read, and whether they reproduce."
      action={action}
      registrations={registrations}
    >
      <ListOrEmpty
        empty={empty}
        icon={<IconNotebook size={28} />}
        emptyTitle="No notebooks yet"
        action={action}
        explanation={
          <>
            <p>
              Register the <code>.ipynb</code> notebooks behind your model. Greenhouse reads their kernel and imports, links them to the datasets they
              read, reports hygiene findings (secrets, absolute paths, out-of-order execution…) and can re-run a copy to check that they reproduce.
              Nothing in a notebook runs when you register or view it.
            </p>
            <p className="small">
              Or drop <code>.ipynb</code> files on this page{nativeDrop ? '' : ' (they are uploaded into the workspace)'}, or run{' '}
              <code>greenhouse notebook add PATH</code>.
            </p>
          </>
        }
        list={<NotebookList />}
        dropHint="Drop .ipynb files anywhere on this page to register them."
      />
    </SectionListPage>
  );
}

/** Registrations started here that are running or whose outcome has not been dismissed. */
function Registrations({ exclude }: { exclude: string | null }) {
  const registrations = useAppStore((s) => s.notebookRegistrations);
  return <RegistrationList registrations={registrations} exclude={exclude} card={(r) => <NotebookRegistrationCard registration={r} />} />;
}
