import { useEffect } from 'react';
import { environmentName, type PythonCandidate } from '../../../../shared/contract/index.js';
import { captureFrom, captureOutcome } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { RegisterDialogView, type RegisterDialogProps } from '../shared/RegisterDialog.js';
import { CaptureCard } from './CaptureCard.js';
import { PYTHON_KIND_LABELS } from './display.js';
import { environmentHref } from './route.js';

/** The contract's rule for names, checked here to say it before the round trip. */
export function nameProblem(name: string): string | null {
  if (!name.trim()) return null;
  const r = environmentName.safeParse(name);
  return r.success ? null : (r.error.issues[0]?.message ?? 'Not a valid name.');
}

const TEXTS = {
  title: 'Capture an environment',
  browseTitle: 'Choose an interpreter or a requirement file',
  description:
    'The Python your model was trained with: pick an interpreter found on this computer, type its path, or give a requirements.txt, pyproject.toml or environment.yml. Greenhouse records its version and packages as a job.',
  formId: 'capture-environment-form',
  pathLabel: 'Interpreter or requirement file',
  pathPlaceholder: '/home/you/project/.venv/bin/python',
  pathMissing: 'Pick an interpreter above, or enter the path of an interpreter or a requirement file.',
  namePlaceholder: 'training-env',
  nameHint: 'Optional; defaults to a name from the path. Capturing under an existing name adds a version when the packages changed.',
  runningNote: 'Closing keeps it running; its progress stays on the Environments page.',
  submitLabel: 'Capture',
  versionTitle: (name: string) => `Capture a new version of ${name}`,
};

const NATIVE_PICKERS = [
  { kind: 'python', label: 'Interpreter…' },
  { kind: 'file', label: 'Requirement file…' },
] as const;
const PICKER = { isWanted: () => true, allowFolder: false };

/** Capture an interpreter (detected or typed) or a requirement file, then follow its job. */
export function CaptureDialog(props: RegisterDialogProps) {
  const captureEnvironment = useAppStore((s) => s.captureEnvironment);
  const pickEnvironmentPath = useAppStore((s) => s.pickEnvironmentPath);
  const dismissCapture = useAppStore((s) => s.dismissCapture);
  return (
    <RegisterDialogView<'python' | 'file'>
      {...props}
      texts={TEXTS}
      nameProblem={nameProblem}
      registrations={(s) => s.captures}
      opened={(job) => {
        const outcome = captureOutcome(job);
        return outcome && { name: outcome.name, href: environmentHref(outcome.name) };
      }}
      register={(path, name) => captureEnvironment({ path, name, from: captureFrom(path) })}
      dismiss={dismissCapture}
      nativePickers={NATIVE_PICKERS}
      pickNative={pickEnvironmentPath}
      picker={PICKER}
      pathHint="An interpreter (…/bin/python) is asked for its version and installed packages; a file ending in .txt, .toml or .yml is read as requirements."
      choices={(path, choose) => <DetectedPythons path={path} onChoose={choose} />}
      card={(registration) => <CaptureCard registration={registration} dismissible={false} openLink={false} className="registration--in-dialog" />}
    />
  );
}

/** The interpreters found on this computer, as choices that fill in the path. */
function DetectedPythons({ path, onChoose }: { path: string; onChoose: (path: string) => void }) {
  const candidates = useAppStore((s) => s.pythonCandidates);
  const status = useAppStore((s) => s.pythonCandidatesStatus);
  const error = useAppStore((s) => s.pythonCandidatesError);
  const detectPythons = useAppStore((s) => s.detectPythons);
  useEffect(() => {
    void detectPythons();
  }, [detectPythons]);

  return (
    <fieldset className="fieldset detected-pythons">
      <legend>Interpreters found on this computer</legend>
      {status === 'loading' && candidates.length === 0 ?
        <LoadingLine className="small">Looking for Python interpreters…</LoadingLine>
      : error ?
        <p className="field__error">
          Could not look for interpreters: {error.message} Type the path instead.
        </p>
      : candidates.length === 0 ?
        <p className="muted small">None found. Type the path of an interpreter or a requirement file below.</p>
      : <ul className="detected-pythons__list">
          {candidates.map((c) => (
            <CandidateOption key={c.path} candidate={c} checked={path.trim() === c.path} onChoose={onChoose} />
          ))}
        </ul>
      }
    </fieldset>
  );
}

function CandidateOption({ candidate: c, checked, onChoose }: { candidate: PythonCandidate; checked: boolean; onChoose: (path: string) => void }) {
  return (
    <li>
      <label className={cx('detected-python', checked && 'is-checked')}>
        <input type="radio" name="detected-python" className="detected-python__radio" checked={checked} onChange={() => onChoose(c.path)} />
        <span className="detected-python__text">
          <span className="detected-python__label">{c.label}</span>
          <span className="detected-python__path mono small muted path-start-ellipsis" title={c.path}>
            <bdi>{c.path}</bdi>
          </span>
        </span>
        <Badge>{PYTHON_KIND_LABELS[c.kind]}</Badge>
        <span className="detected-python__version small">{c.version ? `Python ${c.version}` : <span className="muted">version unknown</span>}</span>
      </label>
    </li>
  );
}
