import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { BundleFileContent } from '../../../../shared/contract/index.js';
import type { Result } from '../../../../shared/result.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { formatBytes, plural } from '../../ui/format.js';
import { IconFile } from '../../ui/icons.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { sortFiles, type BundleFile } from './display.js';

export interface FileViewerProps {
  name: string;
  version: number;
  files: readonly BundleFile[];
  /** Changes when the bundle is written again, so a file is read afresh. */
  manifestSha256: string;
  /** The file shown first; the Dockerfile by default. */
  initialPath?: string;
  /** The file to show, when the page keeps it (the bundle page's route); else the viewer keeps its own choice. */
  selectedPath?: string;
  /** Told each file the user chooses. */
  onSelect?: (path: string) => void;
}

const MANIFEST = 'manifest.json';

/** Numbered lines up to this many; a longer text is shown plain. */
const NUMBERED_LINES = 5000;

/** A bundle's files with their sizes, and the selected one's text in a read-only monospace viewer. */
export function FileViewer({ name, version, files, manifestSha256, initialPath = 'Dockerfile', selectedPath, onSelect }: FileViewerProps) {
  const readBundleFile = useAppStore((s) => s.readBundleFile);
  // The manifest lists every other file (so not itself); it is worth reading too.
  const sorted = files.some((f) => f.path === MANIFEST) ? sortFiles(files) : [...sortFiles(files), { path: MANIFEST, sha256: '', bytes: -1 }];
  const [ownChoice, setOwnChoice] = useState(initialPath);
  const chosen = selectedPath ?? ownChoice;
  const selected = sorted.find((f) => f.path === chosen) ?? sorted[0] ?? null;
  const [contents, setContents] = useState<Record<string, Result<BundleFileContent>>>({});
  const optionRefs = useRef(new Map<string, HTMLLIElement>());

  const path = selected?.path ?? null;
  const key = path ? `${name}@${version}:${manifestSha256}:${path}` : null;
  const answer = key ? contents[key] : undefined;
  const missing = key !== null && !answer;

  useEffect(() => {
    if (!missing || !key || !path) return;
    let current = true;
    void readBundleFile(name, version, path).then((r) => {
      if (current) setContents((c) => ({ ...c, [key]: r }));
    });
    return () => {
      current = false;
    };
  }, [missing, key, path, readBundleFile, name, version]);

  const choose = (path: string, focus = false) => {
    setOwnChoice(path);
    onSelect?.(path);
    if (focus) optionRefs.current.get(path)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const index = sorted.findIndex((f) => f.path === selected?.path);
    const next =
      e.key === 'ArrowDown' ? Math.min(sorted.length - 1, index + 1)
      : e.key === 'ArrowUp' ? Math.max(0, index - 1)
      : e.key === 'Home' ? 0
      : e.key === 'End' ? sorted.length - 1
      : null;
    if (next === null || !sorted[next]) return;
    e.preventDefault();
    choose(sorted[next].path, true);
  };

  if (!selected) return <p className="muted file-viewer__none">The bundle has no files.</p>;
  const total = files.reduce((sum, f) => sum + f.bytes, 0);

  return (
    <div className="file-viewer">
      <div className="file-viewer__files">
        <p className="file-viewer__count small muted" id={`files-${name}-${version}`}>
          {plural(files.length, 'file')} · {formatBytes(total)}
        </p>
        <ul className="file-viewer__list" role="listbox" aria-label="Files of the bundle" aria-describedby={`files-${name}-${version}`} onKeyDown={onKeyDown}>
          {sorted.map((f) => {
            const isSelected = f.path === selected.path;
            return (
              <li
                key={f.path}
                ref={(el) => {
                  if (el) optionRefs.current.set(f.path, el);
                  else optionRefs.current.delete(f.path);
                }}
                role="option"
                aria-selected={isSelected}
                tabIndex={isSelected ? 0 : -1}
                className={cx('file-viewer__file', isSelected && 'is-selected')}
                onClick={() => choose(f.path)}
                title={f.path}
              >
                <IconFile size={14} className="file-viewer__icon" />
                <span className="file-viewer__path mono">{f.path}</span>
                <span className="file-viewer__size small">{f.bytes < 0 ? 'signed' : formatBytes(f.bytes)}</span>
              </li>
            );
          })}
        </ul>
      </div>
      <FileText path={selected.path} bytes={answer?.ok ? answer.value.bytes : selected.bytes} answer={answer} onRetry={() => setContents((c) => withoutKey(c, key!))} />
    </div>
  );
}

const withoutKey = <T,>(record: Record<string, T>, key: string): Record<string, T> => {
  const next = { ...record };
  delete next[key];
  return next;
};

function FileText({ path, bytes, answer, onRetry }: { path: string; bytes: number; answer: Result<BundleFileContent> | undefined; onRetry: () => void }) {
  const content = answer?.ok ? answer.value : null;
  const lines = content?.text?.replace(/\n$/, '').split('\n') ?? null;
  return (
    <section className="file-viewer__viewer" aria-label={`Contents of ${path}`}>
      <div className="file-viewer__head">
        <span className="mono file-viewer__title">{path}</span>
        <span className="small muted">
          {bytes < 0 ? '' : formatBytes(bytes)}
          {lines ? ` · ${plural(lines.length, 'line')}` : ''}
        </span>
      </div>
      {!answer ?
        <LoadingLine className="file-viewer__loading">Reading {path}…</LoadingLine>
      : !answer.ok ?
        <ErrorBanner
          error={answer.error}
          title={`Could not read ${path}`}
          actions={
            <Button size="sm" onClick={onRetry}>
              Try again
            </Button>
          }
        />
      : lines === null ?
        <p className="file-viewer__binary muted">A binary file ({formatBytes(bytes)}); it is not shown. Its SHA-256 is in manifest.json.</p>
      : <>
          <pre className={cx('file-viewer__text', lines.length <= NUMBERED_LINES && 'file-viewer__text--numbered')} tabIndex={0} aria-label={`${path}, read only`}>
            {lines.length <= NUMBERED_LINES ?
              lines.map((line, i) => (
                <span key={i} className="file-viewer__line">
                  {line}
                  {'\n'}
                </span>
              ))
            : content!.text}
          </pre>
          {content!.truncated && <p className="file-viewer__truncated small muted">Only the first 256 KiB are shown.</p>}
        </>
      }
    </section>
  );
}
