import { useId, type ComponentPropsWithRef, type ReactNode } from 'react';
import { cx } from './cx.js';

export interface TextFieldProps extends Omit<ComponentPropsWithRef<'input'>, 'id'> {
  label: string;
  hint?: ReactNode;
  /** Rendered beside the input, e.g. a Browse… button. */
  addon?: ReactNode;
}

export function TextField({ label, hint, addon, className, ...input }: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={cx('field', className)}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="field__row">
        <input id={id} className="input" aria-describedby={hint ? hintId : undefined} {...input} />
        {addon}
      </div>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
