import { WorkspacePicker } from '../features/workspace/WorkspacePicker.js';
import { useAppStore } from '../store/store-context.js';
import { Button } from '../ui/Button.js';
import { ErrorBanner } from '../ui/ErrorBanner.js';
import { IconLeaf } from '../ui/icons.js';
import { Spinner } from '../ui/Spinner.js';
import { Shell } from './Shell.js';
import { useApplyTheme } from './theme.js';

export function App() {
  useApplyTheme();
  const status = useAppStore((s) => s.workspaceStatus);
  const hasWorkspace = useAppStore((s) => s.workspace !== null);

  if (status === 'loading') return <Connecting />;
  if (status === 'failed') return <Unreachable />;
  return hasWorkspace ? <Shell /> : <WorkspacePicker />;
}

function Connecting() {
  return (
    <main id="main" className="splash">
      <p className="splash__text" role="status">
        <Spinner /> Connecting to Greenhouse…
      </p>
    </main>
  );
}

function Unreachable() {
  const error = useAppStore((s) => s.workspaceError?.error);
  const loadWorkspace = useAppStore((s) => s.loadWorkspace);
  return (
    <main id="main" className="splash">
      <div className="splash__card">
        <h1 className="splash__title">
          <span className="brand-mark">
            <IconLeaf size={16} />
          </span>
          Greenhouse
        </h1>
        {error && (
          <ErrorBanner
            error={error}
            title="Could not start"
            actions={
              <Button size="sm" onClick={() => void loadWorkspace()}>
                Try again
              </Button>
            }
          />
        )}
      </div>
    </main>
  );
}
