import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { IconDatabase, IconPlus, IconUpload } from '../../ui/icons.js';
import { PageHeader } from '../../ui/PageHeader.js';
import type { SectionProps } from '../section-props.js';
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
  const name = route?.name ?? null;
  const previous = useRef(name);
  useEffect(() => {
    if (previous.current === name) return;
    previous.current = name;
    const heading = headingRef && 'current' in headingRef ? headingRef.current : null;
    heading?.focus();
  }, [name, headingRef]);

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
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay__card">
            <IconUpload size={28} />
            <p className="drop-overlay__title">{route ? `Drop to register a new version of ${route.name}` : 'Drop to register'}</p>
            <p className="muted small">CSV, TSV, JSON Lines or Parquet</p>
          </div>
        </div>
      )}
      {dialog && (
        <RegisterDialog initialPath={dialog.path} initialName={dialog.name} onClose={() => setDialog(null)} onRegistration={setInDialog} />
      )}
    </div>
  );
}

function ListPage({ headingRef, onRegister, registrations }: SectionProps & { onRegister: () => void; registrations: ReactNode }) {
  const empty = useAppStore((s) => s.datasetsStatus === 'ready' && s.datasets.length === 0 && s.datasetsQuery.trim() === '');
  const nativeDrop = useAppStore((s) => s.appInfo?.mode === 'electron');
  return (
    <>
      <PageHeader
        title="Datasets"
        headingRef={headingRef}
        description="The tabular files behind your model, each version with its content hash, schema and column profile."
        actions={
          <Button variant="primary" onClick={onRegister}>
            <IconPlus />
            Register dataset
          </Button>
        }
      />
      {registrations}
      {empty ? (
        <EmptyState
          icon={<IconDatabase size={28} />}
          title="No datasets yet"
          actions={
            <Button variant="primary" onClick={onRegister}>
              Register dataset
            </Button>
          }
        >
          <p>
            Start here: register the CSV, TSV, Parquet or JSON Lines files that trained your model. Every model version is then tied to the exact
            data that made it, and a changed file becomes a new version you can compare.
          </p>
          <p className="small">
            Or drop files on this page{nativeDrop ? '' : ' (they are uploaded into the workspace)'}, or run <code>greenhouse dataset add PATH</code>.
          </p>
        </EmptyState>
      ) : (
        <>
          <DatasetList />
          <p className="drop-hint muted small">
            <IconUpload /> Drop data files anywhere on this page to register them.
          </p>
        </>
      )}
    </>
  );
}

/** Registrations started here that are running or whose outcome has not been dismissed. */
function Registrations({ exclude }: { exclude: string | null }) {
  const all = useAppStore((s) => s.registrations);
  const registrations = all.filter((r) => r.id !== exclude);
  if (registrations.length === 0) return null;
  return (
    <section className="registrations" aria-label="Registrations">
      {registrations.map((r) => (
        <RegistrationCard key={r.id} registration={r} />
      ))}
    </section>
  );
}

const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');

/** Drag-and-drop of files: `over` while files are dragged over the element; folders come apart. */
function useFileDrop(onDrop: (files: File[], folders: File[]) => void) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);

  // A file dropped beside the drop zone (on the navigation) must not make the browser open it
  // in place of the app.
  useEffect(() => {
    const ignore = (e: globalThis.DragEvent) => {
      if (e.dataTransfer && [...e.dataTransfer.types].includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', ignore);
    window.addEventListener('drop', ignore);
    return () => {
      window.removeEventListener('dragover', ignore);
      window.removeEventListener('drop', ignore);
    };
  }, []);

  return {
    over,
    handlers: {
      onDragEnter: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      },
      onDragOver: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      },
      onDrop: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        const items = [...(e.dataTransfer.items ?? [])].filter((item) => item.kind === 'file');
        const files: File[] = [];
        const folders: File[] = [];
        [...e.dataTransfer.files].forEach((file, i) => {
          const entry = items[i]?.webkitGetAsEntry?.();
          (entry?.isDirectory ? folders : files).push(file);
        });
        if (files.length + folders.length > 0) onDrop(files, folders);
      },
    },
  };
}
