import { useEffect, useRef, useState, type FormEvent } from 'react';
import { notebookName } from '../../../../shared/contract/index.js';
import type { AppErrorData } from '../../../../shared/result.js';
import { notebookRegistrationOutcome } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { TextField } from '../../ui/Field.js';
import { Modal } from '../../ui/Modal.js';
import { FilePicker } from '../datasets/FilePicker.js';
import { isNotebookFileName } from './display.js';
import { NotebookRegistrationCard } from './NotebookRegistrationCard.js';
import { notebookHref } from './route.js';

/** The contract's rule for names, checked here to say it before the round trip. */
export function nameProblem(name: string): string | null {
  if (!name.trim()) return null;
  const r = notebookName.safeParse(name);
  return r.success ? null : (r.error.issues[0]?.message ?? 'Not a valid name.');
}

export interface RegisterNotebookDialogProps {
  onClose: () => void;
  /** Prefill, e.g. "New version" of a notebook: its name and last path. */
  initialPath?: string;
  initialName?: string;
  /** Told which registration the dialog follows (the page need not show it twice). */
  onRegistration?: (id: string | null) => void;
}

/** Register a .ipynb by path (typed, pasted, or picked), then follow its job. */
export function RegisterNotebookDialog({ onClose, initialPath = '', initialName = '', onRegistration }: RegisterNotebookDialogProps) {
  const nativeDialogs = useAppStore((s) => s.appInfo?.nativeDialogs ?? false);
  const registerNotebook = useAppStore((s) => s.registerNotebook);
  const pickNotebookPath = useAppStore((s) => s.pickNotebookPath);
  const dismissRegistration = useAppStore((s) => s.dismissNotebookRegistration);
  const [step, setStep] = useState<'form' | 'browse'>('form');
  const [path, setPath] = useState(initialPath);
  const [name, setName] = useState(initialName);
  const [pathError, setPathError] = useState<string | null>(null);
  const [pickError, setPickError] = useState<AppErrorData | null>(null);
  const [registrationId, setRegistrationId] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const pathRef = useRef<HTMLInputElement>(null);
  const previousStep = useRef(step);
  useEffect(() => {
    // Back from the picker: focus returns to the path it filled in.
    if (previousStep.current === 'browse' && step === 'form') pathRef.current?.focus();
    previousStep.current = step;
  }, [step]);

  const registration = useAppStore((s) => s.notebookRegistrations.find((r) => r.id === registrationId) ?? null);
  const job = useAppStore((s) => (registration?.jobId ? s.jobsById[registration.jobId] : undefined));
  const outcome = notebookRegistrationOutcome(job);
  const finished =
    registration !== null &&
    (registration.stage === 'failed' || registration.stage === 'cancelled' || (job !== undefined && job.state !== 'queued' && job.state !== 'running'));

  const close = () => {
    // A finished registration was seen here; a running one stays on the page with its progress.
    if (registration && finished) dismissRegistration(registration.id);
    onRegistration?.(null);
    onClose();
  };

  const backToForm = () => {
    if (registration) dismissRegistration(registration.id);
    setRegistrationId(null);
    onRegistration?.(null);
    setStep('form');
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!path.trim()) {
      setPathError('Enter the path of a .ipynb file, or browse for it.');
      pathRef.current?.focus();
      return;
    }
    if (nameProblem(name)) return;
    setSubmitting(true);
    const id = await registerNotebook({ path, name });
    setSubmitting(false);
    setRegistrationId(id);
    onRegistration?.(id);
  };

  const pickNative = async () => {
    setPickError(null);
    const r = await pickNotebookPath();
    if (!r.ok) setPickError(r.error);
    else if (r.value) {
      setPath(r.value);
      setPathError(null);
    }
  };

  const footer =
    step === 'browse' ? undefined
    : registration === null ?
      <>
        <Button onClick={close}>Cancel</Button>
        <Button type="submit" form="register-notebook-form" variant="primary" busy={submitting}>
          Register
        </Button>
      </>
    : !finished ?
      <>
        <span className="modal__footer-note muted small">Closing keeps it running; its progress stays on the Notebooks page.</span>
        <Button onClick={close}>Close</Button>
      </>
    : outcome ?
      <>
        <Button onClick={backToForm}>Register another</Button>
        <Button onClick={close}>Close</Button>
        <a className="btn btn--primary" href={notebookHref(outcome.name, { version: outcome.outcome === 'unchanged' ? outcome.version : null })} onClick={close}>
          Open {outcome.name}
        </a>
      </>
    : <>
        <Button onClick={close}>Close</Button>
        <Button variant="primary" onClick={backToForm}>
          Back to the form
        </Button>
      </>;

  return (
    <Modal
      title={step === 'browse' ? 'Choose a notebook' : initialName ? `Register a new version of ${initialName}` : 'Register a notebook'}
      description={
        step === 'browse'
          ? 'Files on the computer that runs Greenhouse.'
          : 'A Jupyter notebook (.ipynb). Greenhouse reads it as a job: its kernel, imports, the files it reads and writes, and hygiene findings. Nothing in it is run.'
      }
      onClose={close}
      footer={footer}
      size={step === 'browse' ? 'lg' : 'md'}
      initialFocus={pathRef}
    >
      {step === 'browse' ? (
        <FilePicker
          startPath={path}
          isWanted={isNotebookFileName}
          allowFolder={false}
          onCancel={() => setStep('form')}
          onChoose={(picked) => {
            setPath(picked);
            setPathError(null);
            setStep('form');
          }}
        />
      ) : registration ? (
        <NotebookRegistrationCard registration={registration} dismissible={false} openLink={false} className="registration--in-dialog" />
      ) : (
        <form id="register-notebook-form" className="form" onSubmit={submit} noValidate>
          <TextField
            ref={pathRef}
            label="Notebook file"
            name="path"
            placeholder="/home/you/project/train.ipynb"
            autoComplete="off"
            spellCheck={false}
            value={path}
            error={pathError}
            onChange={(e) => {
              setPath(e.target.value);
              setPathError(null);
            }}
            hint="Type or paste a path on this computer, or browse for it."
            addon={
              nativeDialogs ? (
                <Button onClick={() => void pickNative()}>Browse…</Button>
              ) : (
                <Button onClick={() => setStep('browse')}>Browse…</Button>
              )
            }
          />
          {pickError && <ErrorBanner error={pickError} title="Could not show the file dialog" onDismiss={() => setPickError(null)} />}
          <TextField
            label="Name"
            name="name"
            placeholder="train"
            autoComplete="off"
            value={name}
            error={nameProblem(name)}
            onChange={(e) => setName(e.target.value)}
            hint="Optional; defaults to the file name. Registering under an existing name adds a version when the code changed (outputs and execution counts do not count)."
          />
        </form>
      )}
    </Modal>
  );
}
