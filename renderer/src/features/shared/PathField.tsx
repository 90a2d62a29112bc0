import { useState, type Ref } from 'react';
import type { AppErrorData, Result } from '../../../../shared/result.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { TextField } from '../../ui/Field.js';

/** A native dialog button of the desktop app: its id is handed to pickNative. */
export interface NativePicker<K extends string> {
  kind: K;
  label: string;
}

export interface PathFieldProps<K extends string> {
  label: string;
  name: string;
  value: string;
  onChange: (path: string) => void;
  error?: string | null;
  placeholder?: string;
  hint?: string;
  inputRef?: Ref<HTMLInputElement>;
  /** The native dialog's buttons (desktop app), one per kind of path. */
  nativePickers: readonly NativePicker<K>[];
  pickNative: (kind: K) => Promise<Result<string | null>>;
  /** Browser mode has no native dialog: open the in-app picker of the backend's files. */
  onBrowse: () => void;
}

/** A path on the backend's machine: typed or pasted, or picked with the native dialog or the in-app picker. */
export function PathField<K extends string>({
  label,
  name,
  value,
  onChange,
  error,
  placeholder,
  hint = 'Type or paste a path on this computer, or browse for it.',
  inputRef,
  nativePickers,
  pickNative,
  onBrowse,
}: PathFieldProps<K>) {
  const nativeDialogs = useAppStore((s) => s.appInfo?.nativeDialogs ?? false);
  const [pickError, setPickError] = useState<AppErrorData | null>(null);

  const pick = async (kind: K) => {
    setPickError(null);
    const r = await pickNative(kind);
    if (!r.ok) setPickError(r.error);
    else if (r.value) onChange(r.value);
  };

  return (
    <>
      <TextField
        ref={inputRef}
        label={label}
        name={name}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        value={value}
        error={error}
        onChange={(e) => onChange(e.target.value)}
        hint={hint}
        addon={
          nativeDialogs ?
            nativePickers.map((p) => (
              <Button key={p.kind} onClick={() => void pick(p.kind)}>
                {p.label}
              </Button>
            ))
          : <Button onClick={onBrowse}>Browse…</Button>
        }
      />
      {pickError && <ErrorBanner error={pickError} title="Could not show the file dialog" onDismiss={() => setPickError(null)} />}
    </>
  );
}
