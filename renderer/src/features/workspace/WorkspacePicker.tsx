import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { RecentWorkspace } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import type { WorkspaceAction } from '../../store/workspace-slice.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { TextField } from '../../ui/Field.js';
import { formatDate } from '../../ui/format.js';
import { IconClock, IconFolder, IconFolderPlus, IconLeaf } from '../../ui/icons.js';

const ERROR_TITLES: Record<WorkspaceAction, string> = {
  load: 'Could not reach Greenhouse',
  create: 'Could not create the workspace',
  open: 'Could not open the workspace',
  close: 'Could not close the workspace',
  forget: 'Could not remove it from the list',
  browse: 'Could not show the folder dialog',
};

/** Which card shows an error: the one whose action caused it. */
type Origin = 'create' | 'open' | 'recent';

/** Shown while no workspace is open: create one, open one by path, or pick a recent one. */
export function WorkspacePicker() {
  const nativeDialogs = useAppStore((s) => s.appInfo?.nativeDialogs ?? false);
  const busy = useAppStore((s) => s.workspaceBusy);
  const error = useAppStore((s) => s.workspaceError);
  const { createWorkspace, openWorkspace, browseForFolder, dismissWorkspaceError } = useAppStore(
    useShallow((s) => ({
      createWorkspace: s.createWorkspace,
      openWorkspace: s.openWorkspace,
      browseForFolder: s.browseForFolder,
      dismissWorkspaceError: s.dismissWorkspaceError,
    })),
  );
  const [origin, setOrigin] = useState<Origin>('create');
  const [createPath, setCreatePath] = useState('');
  const [name, setName] = useState('');
  const [openPath, setOpenPath] = useState('');

  const errorFor = (card: Origin) =>
    error && origin === card && error.action !== 'load' ? (
      <ErrorBanner error={error.error} title={ERROR_TITLES[error.action]} onDismiss={dismissWorkspaceError} />
    ) : null;

  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    setOrigin('create');
    void createWorkspace(createPath, name);
  };
  const onOpen = (e: FormEvent) => {
    e.preventDefault();
    setOrigin('open');
    void openWorkspace(openPath);
  };
  const browse = async (card: Origin, title: string, apply: (path: string) => void) => {
    setOrigin(card);
    const path = await browseForFolder(title);
    if (path) apply(path);
  };

  return (
    <main id="main" className="picker">
      <div className="picker__inner">
        <header className="picker__brand">
          <span className="brand-mark brand-mark--large">
            <IconLeaf size={26} />
          </span>
          <div>
            <h1 className="picker__title">Greenhouse</h1>
            <p className="picker__tagline">Hand a model over from analysis to operations, with its data, notebook and environment.</p>
          </div>
        </header>

        <div className="picker__grid">
          <div className="picker__column">
            <section className="card" aria-labelledby="create-heading">
              <h2 id="create-heading" className="card__title">
                <IconFolderPlus /> Create a workspace
              </h2>
              <p className="card__intro">
                A workspace is a folder for one project. Greenhouse keeps its catalog and snapshots in a <code>.greenhouse</code> folder inside it,
                so the whole project can be moved, zipped or versioned.
              </p>
              <form className="form" onSubmit={onCreate} aria-labelledby="create-heading">
                <TextField
                  label="Folder"
                  name="path"
                  placeholder="/home/you/projects/churn-model"
                  required
                  autoComplete="off"
                  spellCheck={false}
                  value={createPath}
                  onChange={(e) => setCreatePath(e.target.value)}
                  hint="Created if it does not exist yet."
                  addon={
                    nativeDialogs && (
                      <Button onClick={() => void browse('create', 'Folder for the new workspace', setCreatePath)}>Browse…</Button>
                    )
                  }
                />
                <TextField
                  label="Name"
                  name="name"
                  placeholder="Churn model"
                  autoComplete="off"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  hint="Optional. Defaults to the folder name."
                />
                {errorFor('create')}
                <div className="form__actions">
                  <Button type="submit" variant="primary" busy={busy === 'create'} disabled={busy !== null && busy !== 'create'}>
                    Create workspace
                  </Button>
                </div>
              </form>
            </section>

            <section className="card" aria-labelledby="open-heading">
              <h2 id="open-heading" className="card__title">
                <IconFolder /> Open a workspace
              </h2>
              <form className="form" onSubmit={onOpen} aria-labelledby="open-heading">
                <TextField
                  label="Workspace folder"
                  name="open-path"
                  placeholder="/home/you/projects/churn-model"
                  required
                  autoComplete="off"
                  spellCheck={false}
                  value={openPath}
                  onChange={(e) => setOpenPath(e.target.value)}
                  hint="A folder created by Greenhouse (it contains .greenhouse)."
                  addon={
                    nativeDialogs && <Button onClick={() => void browse('open', 'Open a workspace', setOpenPath)}>Browse…</Button>
                  }
                />
                {errorFor('open')}
                <div className="form__actions">
                  <Button type="submit" busy={busy === 'open' && origin === 'open'} disabled={busy !== null && busy !== 'open'}>
                    Open workspace
                  </Button>
                </div>
              </form>
            </section>
          </div>

          <section className="card picker__recent" aria-labelledby="recent-heading">
            <h2 id="recent-heading" className="card__title">
              <IconClock /> Recent workspaces
            </h2>
            {errorFor('recent')}
            <RecentList
              busy={busy !== null}
              onOpen={(path) => {
                setOrigin('recent');
                void openWorkspace(path);
              }}
              onForget={() => setOrigin('recent')}
            />
          </section>
        </div>
      </div>
    </main>
  );
}

function RecentList({ busy, onOpen, onForget }: { busy: boolean; onOpen: (path: string) => void; onForget: () => void }) {
  const recent = useAppStore((s) => s.recent);
  const forgetWorkspace = useAppStore((s) => s.forgetWorkspace);
  if (recent.length === 0) {
    return <p className="muted recent-empty">Workspaces you create or open appear here, so you can come back to them in one click.</p>;
  }
  return (
    <ul className="recent-list" aria-label="Recent workspaces">
      {recent.map((w) => (
        <RecentItem
          key={w.path}
          workspace={w}
          busy={busy}
          onOpen={() => onOpen(w.path)}
          onForget={() => {
            onForget();
            void forgetWorkspace(w.path);
          }}
        />
      ))}
    </ul>
  );
}

function RecentItem({ workspace, busy, onOpen, onForget }: { workspace: RecentWorkspace; busy: boolean; onOpen: () => void; onForget: () => void }) {
  return (
    <li className={workspace.exists ? 'recent-item' : 'recent-item recent-item--missing'}>
      <div className="recent-item__text">
        <span className="recent-item__name">
          {workspace.name}
          {!workspace.exists && <Badge tone="warning">Missing</Badge>}
        </span>
        <span className="recent-item__path mono path-start-ellipsis" title={workspace.path}>
          <bdi>{workspace.path}</bdi>
        </span>
        <span className="recent-item__meta">
          {workspace.exists ? `Opened ${formatDate(workspace.openedAt)}` : 'The folder was moved or deleted.'}
        </span>
      </div>
      <div className="recent-item__actions">
        <Button size="sm" onClick={onOpen} disabled={busy || !workspace.exists} aria-label={`Open ${workspace.name}`}>
          Open
        </Button>
        <Button size="sm" variant="ghost" onClick={onForget} aria-label={`Forget ${workspace.name}`} title="Remove from this list (the folder is not touched)">
          Forget
        </Button>
      </div>
    </li>
  );
}
