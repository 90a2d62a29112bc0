import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { DirEntry, DirListing } from '../../../../shared/contract/index.js';
import type { AppErrorData } from '../../../../shared/result.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { formatBytes, formatDate } from '../../ui/format.js';
import { IconArrowUp, IconFile, IconFolder } from '../../ui/icons.js';
import { Spinner } from '../../ui/Spinner.js';
import { isDataFileName } from './display.js';

const separatorOf = (path: string) => (/^[A-Za-z]:\\/.test(path) || (path.includes('\\') && !path.includes('/')) ? '\\' : '/');

export function joinPath(dir: string, name: string): string {
  const sep = separatorOf(dir);
  return dir.endsWith(sep) ? dir + name : dir + sep + name;
}

/** The folder part and the last part of a path ("/a/b.csv" → ["/a", "b.csv"]). */
export function splitPath(path: string): [dir: string, name: string] {
  const sep = separatorOf(path);
  const trimmed = path.length > 1 && path.endsWith(sep) ? path.slice(0, -1) : path;
  const i = trimmed.lastIndexOf(sep);
  if (i < 0) return ['', trimmed];
  return [i === 0 ? sep : trimmed.slice(0, i + (/^[A-Za-z]:$/.test(trimmed.slice(0, i)) ? 1 : 0)), trimmed.slice(i + 1)];
}

export interface FilePickerProps {
  /** A path to start from: its folder is shown with it selected. Else the workspace folder. */
  startPath?: string;
  onChoose: (path: string) => void;
  onCancel: () => void;
  /** Files that can be chosen show normally, others dimmed; default: data files. */
  isWanted?: (name: string) => boolean;
  /** Whether a whole folder can be chosen ("Use this folder"); default true. */
  allowFolder?: boolean;
}

/**
 * Browse the backend's machine (browser mode has no native dialog, and the page cannot see
 * file paths): pick a data file, or a folder whose same-schema files form one dataset.
 */
export function FilePicker({ startPath, onChoose, onCancel, isWanted = isDataFileName, allowFolder = true }: FilePickerProps) {
  const browseFiles = useAppStore((s) => s.browseFiles);
  const [listing, setListing] = useState<DirListing | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<AppErrorData | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [showHidden, setShowHidden] = useState(false);
  const [location, setLocation] = useState('');
  const request = useRef(0);
  const locationRef = useRef<HTMLInputElement>(null);
  const hiddenId = useId();

  const open = useCallback(
    async (path: string | undefined, select: string | null = null, hidden = showHidden) => {
      const mine = ++request.current;
      setLoading(true);
      const r = await browseFiles(path, hidden);
      if (mine !== request.current) return false;
      setLoading(false);
      if (!r.ok) {
        setError(r.error);
        return false;
      }
      setError(null);
      setListing(r.value);
      setLocation(r.value.path);
      setSelected(select && r.value.entries.some((e) => e.name === select) ? select : null);
      return true;
    },
    [browseFiles, showHidden],
  );

  useEffect(() => {
    locationRef.current?.focus();
    const start = async () => {
      const typed = startPath?.trim();
      if (typed && /^([A-Za-z]:)?[\\/]/.test(typed)) {
        const [dir, name] = splitPath(typed);
        if (dir && (await open(dir, name))) return;
      }
      await open(undefined);
    };
    void start();
    // Once, when the picker opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const go = (e: FormEvent) => {
    e.preventDefault();
    if (location.trim()) void open(location.trim());
  };

  const choose = (entry: DirEntry) => {
    if (!listing) return;
    if (entry.kind === 'directory') void open(joinPath(listing.path, entry.name));
    else onChoose(joinPath(listing.path, entry.name));
  };

  const selectedEntry = listing?.entries.find((e) => e.name === selected) ?? null;

  return (
    <div className="file-picker">
      <form className="file-picker__bar" onSubmit={go}>
        <Button
          size="sm"
          onClick={() => listing?.parent && void open(listing.parent, splitPath(listing.path)[1])}
          disabled={!listing?.parent || loading}
          aria-label="Up to the parent folder"
          title="Up to the parent folder"
        >
          <IconArrowUp />
        </Button>
        <input
          ref={locationRef}
          className="input input--sm mono"
          aria-label="Folder"
          value={location}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setLocation(e.target.value)}
        />
        <Button size="sm" type="submit" disabled={loading}>
          Go
        </Button>
      </form>

      {error && <ErrorBanner error={error} title="Could not open that folder" />}

      <div className="file-picker__list-wrap" aria-busy={loading}>
        {loading && !listing && (
          <p className="file-picker__loading muted">
            <Spinner /> Reading the folder…
          </p>
        )}
        {listing && listing.entries.length === 0 && <p className="file-picker__empty muted">This folder is empty.</p>}
        {listing && listing.entries.length > 0 && (
          <ul className="file-picker__list" aria-label={`Contents of ${listing.path}`}>
            {listing.entries.map((entry) => {
              const isDir = entry.kind === 'directory';
              const isSelected = entry.name === selected;
              const dataFile = entry.kind === 'file' && isWanted(entry.name);
              return (
                <li key={entry.name}>
                  <button
                    type="button"
                    className={cx('file-picker__entry', isSelected && 'is-selected', !isDir && !dataFile && 'file-picker__entry--other')}
                    aria-pressed={isDir ? undefined : isSelected}
                    aria-label={isDir ? `Open folder ${entry.name}` : entry.name}
                    disabled={entry.kind === 'other'}
                    onClick={() => (isDir ? choose(entry) : setSelected(entry.name))}
                    onDoubleClick={() => !isDir && choose(entry)}
                  >
                    {isDir ? <IconFolder className="file-picker__icon file-picker__icon--dir" /> : <IconFile className="file-picker__icon" />}
                    <span className="file-picker__name">{entry.name}</span>
                    <span className="file-picker__size">{entry.bytes === null ? '' : formatBytes(entry.bytes)}</span>
                    <span className="file-picker__date">{entry.modifiedAt ? formatDate(entry.modifiedAt) : ''}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {listing?.truncated && <p className="file-picker__note small muted">Only the first entries are shown. Type a path above to go further.</p>}
      </div>

      <div className="file-picker__footer">
        <label className="file-picker__hidden small" htmlFor={hiddenId}>
          <input
            id={hiddenId}
            type="checkbox"
            className="checkbox"
            checked={showHidden}
            onChange={(e) => {
              setShowHidden(e.target.checked);
              if (listing) void open(listing.path, selected, e.target.checked);
            }}
          />
          Show hidden files
        </label>
        <span className="file-picker__spacer" />
        <Button onClick={onCancel}>Back</Button>
        {allowFolder && (
          <Button
            onClick={() => listing && onChoose(listing.path)}
            disabled={!listing}
            title="Register every data file in this folder as one dataset (they must share a schema)"
          >
            Use this folder
          </Button>
        )}
        <Button variant="primary" disabled={!selectedEntry || selectedEntry.kind !== 'file'} onClick={() => selectedEntry && choose(selectedEntry)}>
          Choose file
        </Button>
      </div>
    </div>
  );
}
