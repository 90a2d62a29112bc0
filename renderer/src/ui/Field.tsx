import { useId, type ComponentPropsWithRef, type ReactNode } from 'react';
import { cx } from './cx.js';

interface FieldChrome {
  label: string;
  hint?: ReactNode;
  /** Shown instead of nothing below the input, and marks the input invalid. */
  error?: string | null;
}

type FieldFrameProps = FieldChrome & { className?: string };

/** A field's props split into its frame's (label, notes, class) and its control's. */
function splitChrome<P extends FieldFrameProps>({ label, hint, error, className, ...control }: P): [FieldFrameProps, Omit<P, keyof FieldFrameProps>] {
  return [{ label, hint, error, className }, control];
}

/** The label, the control, and the hint and error below it; the control gets the id and ARIA links. */
function FieldFrame({
  label,
  hint,
  error,
  className,
  children,
}: FieldFrameProps & {
  children: (aria: { id: string; 'aria-describedby': string | undefined; 'aria-invalid': true | undefined }) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return (
    <div className={cx('field', className)}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {children({ id, 'aria-describedby': described.length > 0 ? described.join(' ') : undefined, 'aria-invalid': error ? true : undefined })}
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
    </div>
  );
}

export interface TextFieldProps extends Omit<ComponentPropsWithRef<'input'>, 'id'>, FieldChrome {
  /** Rendered beside the input, e.g. a Browse… button. */
  addon?: ReactNode;
}

export function TextField({ addon, ...props }: TextFieldProps) {
  const [chrome, input] = splitChrome(props);
  return (
    <FieldFrame {...chrome}>
      {(aria) => (
        <div className="field__row">
          <input className="input" {...aria} {...input} />
          {addon}
        </div>
      )}
    </FieldFrame>
  );
}

export interface TextAreaFieldProps extends Omit<ComponentPropsWithRef<'textarea'>, 'id'>, FieldChrome {}

export function TextAreaField(props: TextAreaFieldProps) {
  const [chrome, textarea] = splitChrome(props);
  return <FieldFrame {...chrome}>{(aria) => <textarea className="input textarea" {...aria} {...textarea} />}</FieldFrame>;
}

export interface SelectFieldProps extends Omit<ComponentPropsWithRef<'select'>, 'id'>, FieldChrome {}

export function SelectField({ children, ...props }: SelectFieldProps) {
  const [chrome, select] = splitChrome(props);
  return (
    <FieldFrame {...chrome}>
      {(aria) => (
        <select className="select" {...aria} {...select}>
          {children}
        </select>
      )}
    </FieldFrame>
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
