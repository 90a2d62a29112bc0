import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { AppErrorData, Result } from '../../../../shared/result.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { TextAreaField } from '../../ui/Field.js';
import { Modal } from '../../ui/Modal.js';

export interface ReasonDialogProps {
  title: string;
  description?: ReactNode;
  /** What the dialog is about, above the field. */
  children?: ReactNode;
  label: string;
  hint: ReactNode;
  placeholder?: string;
  /** The fewest characters the backend accepts (after trimming). */
  minLength: number;
  submitLabel: string;
  submitVariant?: 'primary' | 'danger';
  /** Do it; an answer that is not ok is shown in the dialog, which stays open. */
  onSubmit: (text: string) => Promise<Result<unknown>>;
  onClose: () => void;
}

/**
 * A dialog that asks for a note or a reason before an action that is recorded (an attestation, a
 * gate override, an export past failing gates), checks its length, and shows why it was refused.
 */
export function ReasonDialog({ title, description, children, label, hint, placeholder, minLength, submitLabel, submitVariant = 'primary', onSubmit, onClose }: ReasonDialogProps) {
  const formId = useId();
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppErrorData | null>(null);
  const length = text.trim().length;
  const problem = length < minLength ? (length === 0 ? `Write the ${label.toLowerCase()}.` : `Write at least ${minLength} characters (${length} so far).`) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (problem) {
      fieldRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const r = await onSubmit(text.trim());
    setBusy(false);
    if (r.ok) onClose();
    else setError(r.error);
  };

  return (
    <Modal
      title={title}
      description={description}
      onClose={onClose}
      initialFocus={fieldRef}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form={formId} variant={submitVariant} busy={busy}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form id={formId} className="form readiness-dialog" onSubmit={(e) => void submit(e)} noValidate>
        {children}
        <TextAreaField
          ref={fieldRef}
          label={label}
          name="reason"
          rows={4}
          placeholder={placeholder}
          value={text}
          maxLength={4000}
          onChange={(e) => setText(e.target.value)}
          error={tried ? problem : null}
          hint={hint}
        />
        {error && <ErrorBanner error={error} title="It was not recorded" />}
      </form>
    </Modal>
  );
}
