import { useState, type ReactNode } from 'react';
import { useAppStore } from '../../store/store-context.js';
import { IconLayers } from '../../ui/icons.js';
import { useFocusOnChange } from '../../ui/use-focus-on-change.js';
import type { SectionProps } from '../section-props.js';
import { RegistrationList } from '../shared/RegistrationList.js';
import { ListOrEmpty, nothingYet, SectionListPage } from '../shared/SectionList.js';
import { CaptureCard } from './CaptureCard.js';
import { CaptureDialog } from './CaptureDialog.js';
import { EnvironmentList } from './EnvironmentList.js';
import { EnvironmentPage } from './EnvironmentPage.js';
import './environments.css';

interface DialogState {
  path?: string;
  name?: string;
}

/** The Environments section: the captured environments, or one environment's page. */
export function EnvironmentsView({ headingRef }: SectionProps) {
  const route = useAppStore((s) => s.environmentRoute);
  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [inDialog, setInDialog] = useState<string | null>(null);

  // Opening another environment moves focus to its heading, as changing sections does.
  useFocusOnChange(route?.name ?? null, headingRef);

  return (
    <div className="environments-view">
      {route ?
        <EnvironmentPage
          route={route}
          headingRef={headingRef}
          onRegisterVersion={(detail) => setDialog({ path: detail.version.path, name: detail.name })}
          registrations={<Captures exclude={inDialog} />}
        />
      : <ListPage headingRef={headingRef} onCapture={() => setDialog({})} captures={<Captures exclude={inDialog} />} />}
      {dialog && <CaptureDialog initialPath={dialog.path} initialName={dialog.name} onClose={() => setDialog(null)} onRegistration={setInDialog} />}
    </div>
  );
}

function ListPage({ headingRef, onCapture, captures }: SectionProps & { onCapture: () => void; captures: ReactNode }) {
  const empty = useAppStore((s) => nothingYet(s.environmentsStatus, s.environments, s.environmentsQuery));
  const action = { label: 'Capture environment', onClick: onCapture };
  return (
    <SectionListPage
      title="Environments"
      headingRef={headingRef}
      description="The Python interpreter and packages your model was trained with, pinned for the image."
      action={action}
      registrations={captures}
    >
      <ListOrEmpty
        empty={empty}
        icon={<IconLayers size={28} />}
        emptyTitle="No environment captured yet"
        action={action}
        explanation={
          <p>
            Pick the Python environment your model needs: an interpreter found on this machine (virtualenv, conda, pyenv or system), or a{' '}
            <code>requirements.txt</code>, <code>pyproject.toml</code> or <code>environment.yml</code>. Models are loaded in it when you register
            them, and the Docker image is built from it, so training and serving use the same versions.
          </p>
        }
        list={<EnvironmentList />}
      />
    </SectionListPage>
  );
}

/** Captures started here that are running or whose outcome has not been dismissed. */
function Captures({ exclude }: { exclude: string | null }) {
  const captures = useAppStore((s) => s.captures);
  return <RegistrationList registrations={captures} exclude={exclude} card={(r) => <CaptureCard registration={r} />} />;
}
