import { useEffect, useRef, useState, type FormEvent } from 'react';
import { registrationOutcome } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { CheckboxField, TextField } from '../../ui/Field.js';
import { Modal } from '../../ui/Modal.js';
import type { AppErrorData } from '../../../../shared/result.js';
import { FilePicker } from './FilePicker.js';
import { RegistrationCard } from './RegistrationCard.js';
import { datasetHref } from './route.js';

/** The rule of the contract's dataset names, checked here to say it before the round trip. */
const NAME_PATTERN = /^[\w][\w.\- ]*$/;

export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return null;
  if (trimmed.length > 120) return 'Use at most 120 characters.';
  if (!NAME_PATTERN.test(trimmed)) return 'Use letters, digits, spaces, dot, dash or underscore, starting with a letter or digit.';
  return null;
}

export interface RegisterDialogProps {
  onClose: () => void;
  /** Prefill, e.g. "Register a new version" of a dataset: its name and last source path. */
  initialPath?: string;
  initialName?: string;
  /** Told which registration the dialog follows (the page need not show it twice). */
  onRegistration?: (id: string | null) => void;
}

/** Register a file or folder by path (typed, pasted, or picked), then follow its job. */
export function RegisterDialog({ onClose, initialPath = '', initialName = '', onRegistration }: RegisterDialogProps) {
  const nativeDialogs = useAppStore((s) => s.appInfo?.nativeDialogs ?? false);
  const registerDataset = useAppStore((s) => s.registerDataset);
  const pickDatasetPath = useAppStore((s) => s.pickDatasetPath);
  const dismissRegistration = useAppStore((s) => s.dismissRegistration);
  const [step, setStep] = useState<'form' | 'browse'>('form');
  const [path, setPath] = useState(initialPath);
  const [name, setName] = useState(initialName);
  const [snapshot, setSnapshot] = useState(true);
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

  const registration = useAppStore((s) => s.registrations.find((r) => r.id === registrationId) ?? null);
  const job = useAppStore((s) => (registration?.jobId ? s.jobsById[registration.jobId] : undefined));
  const outcome = registrationOutcome(job);
  const finished =
    registration !== null && (registration.stage === 'failed' || registration.stage === 'cancelled' || (job !== undefined && job.state !== 'queued' && job.state !== 'running'));
  const succeeded = outcome !== null;

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
      setPathError('Enter the path of a file or folder, or browse for it.');
      pathRef.current?.focus();
      return;
    }
    if (nameProblem(name)) return;
    setSubmitting(true);
    const id = await registerDataset({ path, name, snapshot });
    setSubmitting(false);
    setRegistrationId(id);
    onRegistration?.(id);
  };

  const pickNative = async (kind: 'file' | 'directory') => {
    setPickError(null);
    const r = await pickDatasetPath(kind);
    if (!r.ok) setPickError(r.error);
    else if (r.value) {
      setPath(r.value);
      setPathError(null);
    }
  };

  const footer =
    step === 'browse' ? undefined
    : registration === null ? (
      <>
        <Button onClick={close}>Cancel</Button>
        <Button type="submit" form="register-dataset-form" variant="primary" busy={submitting}>
          Register
        </Button>
      </>
    ) : !finished ? (
      <>
        <span className="modal__footer-note muted small">Closing keeps it running; its progress stays on the Datasets page.</span>
        <Button onClick={close}>Close</Button>
      </>
    ) : succeeded ? (
      <>
        <Button onClick={backToForm}>Register another</Button>
        <Button onClick={close}>Close</Button>
        <a className="btn btn--primary" href={datasetHref(outcome.name)} onClick={close}>
          Open {outcome.name}
        </a>
      </>
    ) : (
      <>
        <Button onClick={close}>Close</Button>
        <Button variant="primary" onClick={backToForm}>
          Back to the form
        </Button>
      </>
    );

  return (
    <Modal
      title={step === 'browse' ? 'Choose a file or folder' : initialName ? `Register a new version of ${initialName}` : 'Register a dataset'}
      description={
        step === 'browse'
          ? 'Files on the computer that runs Greenhouse.'
          : 'A CSV, TSV, JSON Lines or Parquet file, or a folder of files that share a schema. Greenhouse hashes and profiles it as a job.'
      }
      onClose={close}
      footer={footer}
      size={step === 'browse' ? 'lg' : 'md'}
      initialFocus={pathRef}
    >
      {step === 'browse' ? (
        <FilePicker
          startPath={path}
          onCancel={() => setStep('form')}
          onChoose={(picked) => {
            setPath(picked);
            setPathError(null);
            setStep('form');
          }}
        />
      ) : registration ? (
        <RegistrationCard registration={registration} dismissible={false} openLink={false} className="registration--in-dialog" />
      ) : (
        <form id="register-dataset-form" className="form" onSubmit={submit} noValidate>
          <TextField
            ref={pathRef}
            label="File or folder"
            name="path"
            placeholder="/home/you/data/customers.csv"
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
                <>
                  <Button onClick={() => void pickNative('file')}>File…</Button>
                  <Button onClick={() => void pickNative('directory')}>Folder…</Button>
                </>
              ) : (
                <Button onClick={() => setStep('browse')}>Browse…</Button>
              )
            }
          />
          {pickError && <ErrorBanner error={pickError} title="Could not show the file dialog" onDismiss={() => setPickError(null)} />}
          <TextField
            label="Name"
            name="name"
            placeholder="customers"
            autoComplete="off"
            value={name}
            error={nameProblem(name)}
            onChange={(e) => setName(e.target.value)}
            hint="Optional; defaults to the file name. Registering under an existing name adds a version when the file changed."
          />
          <CheckboxField
            label="Keep a snapshot copy in the workspace"
            checked={snapshot}
            onChange={(e) => setSnapshot(e.target.checked)}
            hint="The bytes are copied into the workspace, so this version stays readable if the file changes or moves. Files above the workspace's snapshot limit are kept by reference only."
          />
        </form>
      )}
    </Modal>
  );
}
