import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { Job } from '../../../../shared/contract/index.js';
import type { Result } from '../../../../shared/result.js';
import type { AppState, Registration } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { TextField } from '../../ui/Field.js';
import { Modal } from '../../ui/Modal.js';
import { FilePicker, type FilePickerProps } from '../datasets/FilePicker.js';
import { PathField, type NativePicker } from './PathField.js';

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
  /** The submit button; "Register" by default. */
  submitLabel?: string;
  /** The title when prefilled for a new version; "Register a new version of NAME" by default. */
  versionTitle?: (name: string) => string;
}

export interface RegisterDialogConfig<K extends string = 'file' | 'directory'> {
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
  nativePickers: readonly NativePicker<K>[];
  pickNative: (kind: K) => Promise<Result<string | null>>;
  /** How the in-app picker (browser mode) filters. */
  picker?: Pick<FilePickerProps, 'isWanted' | 'allowFolder'>;
  card: (registration: Registration) => ReactNode;
  /** The feature's own fields, below the path and the name. */
  fields?: ReactNode;
  /** Above the path: ready-made choices that fill it in (e.g. the interpreters found on this machine). */
  choices?: (path: string, choose: (path: string) => void) => ReactNode;
  /** The path field's hint, when the default does not say enough. */
  pathHint?: string;
}

/** Register by path (typed, pasted, or picked), then follow its job. */
export function RegisterDialogView<K extends string = 'file' | 'directory'>({
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
  choices,
  pathHint,
}: RegisterDialogProps & RegisterDialogConfig<K>) {
  const [step, setStep] = useState<'form' | 'browse'>('form');
  const [path, setPath] = useState(initialPath);
  const [name, setName] = useState(initialName);
  const [pathError, setPathError] = useState<string | null>(null);
  const pathRef = useRef<HTMLInputElement>(null);
  const previousStep = useRef(step);
  useEffect(() => {
    // Back from the picker: focus returns to the path it filled in.
    if (previousStep.current === 'browse' && step === 'form') pathRef.current?.focus();
    previousStep.current = step;
  }, [step]);

  const { registration, outcome, finished, submitting, start, close, backToForm } = useRegistrationFlow({ registrations, opened, dismiss, onRegistration, onClose });

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
    await start(() => register(path, name));
  };

  const footer =
    step === 'browse' ? undefined : (
      <RegisterFooter
        formId={texts.formId}
        submitLabel={texts.submitLabel}
        submitting={submitting}
        started={registration !== null}
        finished={finished}
        outcome={outcome}
        runningNote={texts.runningNote}
        onClose={close}
        onBack={() => {
          backToForm();
          setStep('form');
        }}
      />
    );

  return (
    <Modal
      title={step === 'browse' ? texts.browseTitle : initialName ? (texts.versionTitle?.(initialName) ?? `Register a new version of ${initialName}`) : texts.title}
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
          {choices?.(path, choose)}
          <PathField
            inputRef={pathRef}
            label={texts.pathLabel}
            name="path"
            placeholder={texts.pathPlaceholder}
            value={path}
            error={pathError}
            onChange={choose}
            hint={pathHint}
            nativePickers={nativePickers}
            pickNative={pickNative}
            onBrowse={() => setStep('browse')}
          />
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

export interface RegistrationFlowOptions extends Pick<RegisterDialogProps, 'onClose' | 'onRegistration'> {
  /** The feature's registrations in the store. */
  registrations: (s: AppState) => Registration[];
  /** Where a succeeded registration's job leads: its name and page. */
  opened: (job: Job | undefined) => { name: string; href: string } | null;
  dismiss: (id: string) => void;
}

/**
 * The registration a dialog starts and then follows: its job's outcome and whether it is over, and
 * how the dialog leaves it (closed, or back to the form to register another or fix what failed).
 */
export function useRegistrationFlow({ registrations, opened, dismiss, onRegistration, onClose }: RegistrationFlowOptions) {
  const [registrationId, setRegistrationId] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const registration = useAppStore((s) => registrations(s).find((r) => r.id === registrationId) ?? null);
  const job = useAppStore((s) => (registration?.jobId ? s.jobsById[registration.jobId] : undefined));
  const outcome = opened(job);
  const finished =
    registration !== null &&
    (registration.stage === 'failed' || registration.stage === 'cancelled' || (job !== undefined && job.state !== 'queued' && job.state !== 'running'));

  /** Start a registration (answering its id) and follow it. */
  const start = async (register: () => Promise<string>) => {
    setSubmitting(true);
    const id = await register();
    setSubmitting(false);
    setRegistrationId(id);
    onRegistration?.(id);
  };

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
  };

  return { registration, job, outcome, finished, submitting, start, close, backToForm };
}

export interface RegisterFooterProps {
  /** The form the Register button submits. */
  formId: string;
  submitting: boolean;
  submitLabel?: string;
  /** A registration was started from the dialog. */
  started: boolean;
  finished: boolean;
  /** Where a succeeded registration leads. */
  outcome: { name: string; href: string } | null;
  /** Beside Close while the job runs. */
  runningNote: string;
  onClose: () => void;
  /** Back to the form after a registration ended (to register another, or to fix what failed). */
  onBack: () => void;
}

/** A register dialog's buttons: Register; Close while it runs; then Open, Register another or Back to the form. */
export function RegisterFooter({ formId, submitting, submitLabel = 'Register', started, finished, outcome, runningNote, onClose, onBack }: RegisterFooterProps) {
  if (!started) {
    return (
      <>
        <Button onClick={onClose}>Cancel</Button>
        <Button type="submit" form={formId} variant="primary" busy={submitting}>
          {submitLabel}
        </Button>
      </>
    );
  }
  if (!finished) {
    return (
      <>
        <span className="modal__footer-note muted small">{runningNote}</span>
        <Button onClick={onClose}>Close</Button>
      </>
    );
  }
  if (outcome) {
    return (
      <>
        <Button onClick={onBack}>Register another</Button>
        <Button onClick={onClose}>Close</Button>
        <a className="btn btn--primary" href={outcome.href} onClick={onClose}>
          Open {outcome.name}
        </a>
      </>
    );
  }
  return (
    <>
      <Button onClick={onClose}>Close</Button>
      <Button variant="primary" onClick={onBack}>
        Back to the form
      </Button>
    </>
  );
}
