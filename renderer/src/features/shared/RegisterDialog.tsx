import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { Job } from '../../../../shared/contract/index.js';
import type { AppErrorData, Result } from '../../../../shared/result.js';
import type { AppState, Registration } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { TextField } from '../../ui/Field.js';
import { Modal } from '../../ui/Modal.js';
import { FilePicker, type FilePickerProps } from '../datasets/FilePicker.js';

/** What every register dialog is given by the page that opens it. */
export interface RegisterDialogProps {
  onClose: () => void;
  /** Prefill, e.g. "New version": its name and last path. */
  initialPath?: string;
  initialName?: string;
  /** Told which registration the dialog follows (the page need not show it twice). */
  onRegistration?: (id: string | null) => void;
}

export interface RegisterDialogTexts {
  /** The title of the form; the dialog says "Register a new version of NAME" when prefilled. */
  title: string;
  browseTitle: string;
  description: string;
  formId: string;
  pathLabel: string;
  pathPlaceholder: string;
  /** Said when Register is pressed with no path. */
  pathMissing: string;
  namePlaceholder: string;
  nameHint: string;
  /** Beside Close while the job runs. */
  runningNote: string;
}

export interface RegisterDialogConfig {
  texts: RegisterDialogTexts;
  /** The contract's rule for names, checked here to say it before the round trip. */
  nameProblem: (name: string) => string | null;
  /** The feature's registrations in the store. */
  registrations: (s: AppState) => Registration[];
  /** Where a succeeded registration's job leads: its name and page. */
  opened: (job: Job | undefined) => { name: string; href: string } | null;
  /** Start the registration; answers its id. */
  register: (path: string, name: string) => Promise<string>;
  dismiss: (id: string) => void;
  /** The native dialog's buttons (desktop app), one per kind of path. */
  nativePickers: readonly { kind: 'file' | 'directory'; label: string }[];
  pickNative: (kind: 'file' | 'directory') => Promise<Result<string | null>>;
  /** How the in-app picker (browser mode) filters. */
  picker?: Pick<FilePickerProps, 'isWanted' | 'allowFolder'>;
  card: (registration: Registration) => ReactNode;
  /** The feature's own fields, below the path and the name. */
  fields?: ReactNode;
}

/** Register by path (typed, pasted, or picked), then follow its job. */
export function RegisterDialogView({
  onClose,
  initialPath = '',
  initialName = '',
  onRegistration,
  texts,
  nameProblem,
  registrations,
  opened,
  register,
  dismiss,
  nativePickers,
  pickNative,
  picker,
  card,
  fields,
}: RegisterDialogProps & RegisterDialogConfig) {
  const nativeDialogs = useAppStore((s) => s.appInfo?.nativeDialogs ?? false);
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

  const registration = useAppStore((s) => registrations(s).find((r) => r.id === registrationId) ?? null);
  const job = useAppStore((s) => (registration?.jobId ? s.jobsById[registration.jobId] : undefined));
  const outcome = opened(job);
  const finished =
    registration !== null &&
    (registration.stage === 'failed' || registration.stage === 'cancelled' || (job !== undefined && job.state !== 'queued' && job.state !== 'running'));

  const close = () => {
    // A finished registration was seen here; a running one stays on the page with its progress.
    if (registration && finished) dismiss(registration.id);
    onRegistration?.(null);
    onClose();
  };

  const backToForm = () => {
    if (registration) dismiss(registration.id);
    setRegistrationId(null);
    onRegistration?.(null);
    setStep('form');
  };

  const choose = (picked: string) => {
    setPath(picked);
    setPathError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!path.trim()) {
      setPathError(texts.pathMissing);
      pathRef.current?.focus();
      return;
    }
    if (nameProblem(name)) return;
    setSubmitting(true);
    const id = await register(path, name);
    setSubmitting(false);
    setRegistrationId(id);
    onRegistration?.(id);
  };

  const pick = async (kind: 'file' | 'directory') => {
    setPickError(null);
    const r = await pickNative(kind);
    if (!r.ok) setPickError(r.error);
    else if (r.value) choose(r.value);
  };

  const footer =
    step === 'browse' ? undefined
    : registration === null ?
      <>
        <Button onClick={close}>Cancel</Button>
        <Button type="submit" form={texts.formId} variant="primary" busy={submitting}>
          Register
        </Button>
      </>
    : !finished ?
      <>
        <span className="modal__footer-note muted small">{texts.runningNote}</span>
        <Button onClick={close}>Close</Button>
      </>
    : outcome ?
      <>
        <Button onClick={backToForm}>Register another</Button>
        <Button onClick={close}>Close</Button>
        <a className="btn btn--primary" href={outcome.href} onClick={close}>
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
      title={step === 'browse' ? texts.browseTitle : initialName ? `Register a new version of ${initialName}` : texts.title}
      description={step === 'browse' ? 'Files on the computer that runs Greenhouse.' : texts.description}
      onClose={close}
      footer={footer}
      size={step === 'browse' ? 'lg' : 'md'}
      initialFocus={pathRef}
    >
      {step === 'browse' ?
        <FilePicker
          startPath={path}
          {...picker}
          onCancel={() => setStep('form')}
          onChoose={(picked) => {
            choose(picked);
            setStep('form');
          }}
        />
      : registration ?
        card(registration)
      : <form id={texts.formId} className="form" onSubmit={submit} noValidate>
          <TextField
            ref={pathRef}
            label={texts.pathLabel}
            name="path"
            placeholder={texts.pathPlaceholder}
            autoComplete="off"
            spellCheck={false}
            value={path}
            error={pathError}
            onChange={(e) => choose(e.target.value)}
            hint="Type or paste a path on this computer, or browse for it."
            addon={
              nativeDialogs ?
                nativePickers.map((p) => (
                  <Button key={p.kind} onClick={() => void pick(p.kind)}>
                    {p.label}
                  </Button>
                ))
              : <Button onClick={() => setStep('browse')}>Browse…</Button>
            }
          />
          {pickError && <ErrorBanner error={pickError} title="Could not show the file dialog" onDismiss={() => setPickError(null)} />}
          <TextField
            label="Name"
            name="name"
            placeholder={texts.namePlaceholder}
            autoComplete="off"
            value={name}
            error={nameProblem(name)}
            onChange={(e) => setName(e.target.value)}
            hint={texts.nameHint}
          />
          {fields}
        </form>
      }
    </Modal>
  );
}
