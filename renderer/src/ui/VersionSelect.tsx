import { useId } from 'react';

/** Which version a page shows; choosing the latest answers null (the page follows new versions). */
export function VersionSelect({ versions, shown, onChange }: { versions: readonly { version: number }[]; shown: number; onChange?: (version: number | null) => void }) {
  const id = useId();
  const latest = latestVersion(versions);
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        Version shown
      </label>
      <select id={id} className="select select--sm" value={shown} onChange={(e) => onChange?.(Number(e.target.value) === latest ? null : Number(e.target.value))}>
        {newestFirst.map((x) => (
          <option key={x.version} value={x.version}>
            Version {x.version}
            {x.version === latest ? ' (latest)' : ''}
          </option>
        ))}
      </select>
    </>
  );
}

/** The highest version number (0 for none). */
export const latestVersion = (versions: readonly { version: number }[]) => versions.reduce((m, v) => Math.max(m, v.version), 0);
