import { useId, type ComponentPropsWithRef, type ReactNode } from 'react';
import { cx } from './cx.js';

interface FieldChrome {
  label: string;
  hint?: ReactNode;
  /** Shown instead of nothing below the input, and marks the input invalid. */
  error?: string | null;
}

function describedBy(id: string, hint: ReactNode, error: string | null | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function FieldNotes({ id, hint, error }: { id: string; hint?: ReactNode; error?: string | null }) {
  return (
    <>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
}

export interface TextFieldProps extends Omit<ComponentPropsWithRef<'input'>, 'id'>, FieldChrome {
  /** Rendered beside the input, e.g. a Browse… button. */
  addon?: ReactNode;
}

export function TextField({ label, hint, error, addon, className, ...input }: TextFieldProps) {
  const id = useId();
  return (
    <div className={cx('field', className)}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="field__row">
        <input id={id} className="input" aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} {...input} />
        {addon}
      </div>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

export interface TextAreaFieldProps extends Omit<ComponentPropsWithRef<'textarea'>, 'id'>, FieldChrome {}

export function TextAreaField({ label, hint, error, className, ...textarea }: TextAreaFieldProps) {
  const id = useId();
  return (
    <div className={cx('field', className)}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <textarea
        id={id}
        className="input textarea"
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...textarea}
      />
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

export interface SelectFieldProps extends Omit<ComponentPropsWithRef<'select'>, 'id'>, FieldChrome {}

export function SelectField({ label, hint, error, className, children, ...select }: SelectFieldProps) {
  const id = useId();
  return (
    <div className={cx('field', className)}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="select" aria-describedby={describedBy(id, hint, error)} aria-invalid={error ? true : undefined} {...select}>
        {children}
      </select>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

export interface CheckboxFieldProps extends Omit<ComponentPropsWithRef<'input'>, 'id' | 'type'> {
  label: ReactNode;
  hint?: ReactNode;
}

export function CheckboxField({ label, hint, className, ...input }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className={cx('checkbox-field', className)}>
      <input id={id} type="checkbox" className="checkbox" aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      <div className="checkbox-field__text">
        <label htmlFor={id} className="checkbox-field__label">
          {label}
        </label>
        {hint && (
          <p className="field__hint" id={`${id}-hint`}>
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}
