import { DockerStatus } from '../features/docker/DockerStatus.js';
import { selectRunningJobCount } from '../store/index.js';
import { useAppStore } from '../store/store-context.js';
import { Button } from '../ui/Button.js';
import { plural } from '../ui/format.js';
import { IconLeaf, IconLogOut } from '../ui/icons.js';
import { ThemeSwitch } from './ThemeSwitch.js';

export function Header() {
  const name = useAppStore((s) => s.workspace?.name ?? '');
  const path = useAppStore((s) => s.workspace?.path ?? '');
  const closing = useAppStore((s) => s.workspaceBusy === 'close');
  const running = useAppStore(selectRunningJobCount);
  const closeWorkspace = useAppStore((s) => s.closeWorkspace);

  const onClose = () => {
    // Closing stops running jobs; they end as interrupted. Ask before losing work.
    if (running > 0 && !window.confirm(`${plural(running, 'job')} still running. Closing the workspace stops them. Close anyway?`)) return;
    void closeWorkspace();
  };

  return (
    <header className="app-header">
      <div className="app-header__brand">
        <span className="brand-mark">
          <IconLeaf size={16} />
        </span>
        <span className="app-header__product">Greenhouse</span>
      </div>
      <div className="app-header__workspace">
        <span className="app-header__name">{name}</span>
        <span className="app-header__path mono" title={path}>
          {path}
        </span>
      </div>
      <div className="app-header__actions">
        <DockerStatus />
        <ThemeSwitch />
        <Button variant="ghost" size="sm" onClick={onClose} busy={closing} title="Close this workspace and go back to the workspace list">
          {!closing && <IconLogOut />}
          Close workspace
        </Button>
      </div>
    </header>
  );
}
