// Run a drift check: the batch by path (typed, native dialog, the in-app picker) or dropped (read
// where it is in the desktop app; in the browser, a dropped file is uploaded into the workspace
// first), the model version and the reference to compare with; then the job's progress with
// Cancel, and why it failed with what to do.
import { useRef, useState, type FormEvent } from 'react';
import type { ModelDetail } from '../../../../shared/contract/index.js';
import type { AppErrorData } from '../../../../shared/result.js';
import { selectDriftRunJob } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { CheckboxField, SelectField } from '../../ui/Field.js';
import { IconPlay, IconUpload } from '../../ui/icons.js';
import { Modal } from '../../ui/Modal.js';
import { Panel } from '../../ui/Panel.js';
import { ProgressBar } from '../../ui/ProgressBar.js';
import { useFileDrop } from '../../ui/use-file-drop.js';
import { isDataFileName } from '../datasets/display.js';
import { FilePicker } from '../datasets/FilePicker.js';
import { JobProgress } from '../shared/JobProgress.js';
import { PathField } from '../shared/PathField.js';

const BATCH_PICKERS = [
  { kind: 'file', label: 'Choose file…' },
  { kind: 'directory', label: 'Choose folder…' },
] as const;

/** What the picker offers as batches: data files and the serving app's prediction logs. */
const isBatchFileName = (name: string) => isDataFileName(name) || /\.log(\.gz)?$/i.test(name);

/** The check started here for a model, and what it adds up to. */
export function useDriftRun(name: string) {
  const start = useAppStore((s) => s.driftRuns[name] ?? null);
  const job = useAppStore((s) => selectDriftRunJob(s, name));
  const starting = start !== null && start.jobId === null && start.error === null;
  const running = starting || job?.state === 'queued' || job?.state === 'running';
  const failure = start?.error ?? (job && (job.state === 'failed' || job.state === 'interrupted') ? job.error : null);
  return { start, job, starting, running, failure, cancelled: job?.state === 'cancelled' };
}

export interface CheckPanelProps {
  detail: ModelDetail;
  /** The version the route names; null for the latest. */
  version: number | null;
  onVersion: (version: number | null) => void;
}

export function CheckPanel({ detail, version, onVersion }: CheckPanelProps) {
  const name = detail.name;
  const startDriftCheck = useAppStore((s) => s.startDriftCheck);
  const dismiss = useAppStore((s) => s.dismissDriftRun);
  const pickBatchPath = useAppStore((s) => s.pickBatchPath);
  const batchPathOf = useAppStore((s) => s.batchPathOf);
  const desktop = useAppStore((s) => s.appInfo?.mode === 'electron');
  const run = useDriftRun(name);
  const [path, setPath] = useState(() => run.start?.path ?? '');
  const [pathError, setPathError] = useState<string | null>(null);
  const [bundle, setBundle] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const [dropProblem, setDropProblem] = useState<AppErrorData | null>(null);
  const [upload, setUpload] = useState<{ name: string; fraction: number } | null>(null);
  const pathRef = useRef<HTMLInputElement>(null);

  const latest = Math.max(...detail.versions.map((v) => v.version));
  const chosen = detail.versions.find((v) => v.version === (version ?? latest));
  const bundled = chosen?.bundled ?? false;

  const choosePath = (p: string) => {
    setPath(p);
    setPathError(null);
    setDropProblem(null);
  };

  const drop = useFileDrop((files, folders) => {
    const item = files[0] ?? folders[0];
    if (!item) return;
    setDropProblem(null);
    if (!desktop && files.length === 0) {
      // A browser can send a dropped file's bytes, not a folder's.
      setDropProblem({
        code: 'UNSUPPORTED',
        message: `${item.name} is a folder: the browser can upload files only.`,
        remedy: 'Type or paste the folder’s path above, pick it with Browse…, or drop its files one at a time.',
      });
      pathRef.current?.focus();
      return;
    }
    // The desktop app reads the file where it is; the browser uploads a copy into the workspace.
    if (!desktop) setUpload({ name: item.name, fraction: 0 });
    void batchPathOf(item, desktop ? undefined : (fraction) => setUpload({ name: item.name, fraction })).then((r) => {
      setUpload(null);
      if (r.ok) choosePath(r.value);
      else setDropProblem(r.error);
    });
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!path.trim()) {
      setPathError('Give the batch to check: a file or folder on this computer.');
      pathRef.current?.focus();
      return;
    }
    await startDriftCheck(name, { data: path, version, bundle: bundled && bundle });
  };

  return (
    <Panel headingId="drift-run-heading" title="Check a batch" note="production inputs, or the serving container’s prediction log" className="drift-run">
      <form className="monitoring-panel__body" onSubmit={(e) => void submit(e)} noValidate>
        <PathField
          label="Batch file"
          name="batch"
          value={path}
          onChange={choosePath}
          error={pathError}
          inputRef={pathRef}
          placeholder="/data/production/2026-11.csv"
          hint="CSV, TSV, JSON Lines or Parquet (or a folder of them), or the serving app’s prediction log."
          nativePickers={BATCH_PICKERS}
          pickNative={pickBatchPath}
          onBrowse={() => setBrowsing(true)}
        />
        <div
          className={cx('drift-drop', drop.over && 'is-over')}
          {...drop.handlers}
          role="group"
          aria-label="Drop a batch here"
          data-dragging={drop.over || undefined}
        >
          <IconUpload size={18} />
          <p className="small">
            {desktop ?
              <>
                Or drop a batch file or folder here: Greenhouse reads it where it is.
              </>
            : <>
                Or drop a batch file here: the browser uploads a copy into the workspace, and that copy is checked.
              </>
            }
          </p>
          {upload && (
            <div className="drift-drop__upload" role="status">
              <span className="small">
                Uploading {upload.name}… {Math.round(upload.fraction * 100)} %
              </span>
              <ProgressBar value={upload.fraction} label={`Uploading ${upload.name}`} />
            </div>
          )}
        </div>
        {dropProblem && <ErrorBanner title="Could not use the dropped file" error={dropProblem} onDismiss={() => setDropProblem(null)} />}

        <div className="drift-run__options">
          <SelectField label="Model version" value={version ?? ''} onChange={(e) => onVersion(e.target.value === '' ? null : Number(e.target.value))} className="drift-run__version">
            <option value="">latest (v{latest})</option>
            {[...detail.versions]
              .sort((a, b) => b.version - a.version)
              .map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version}
                  {v.bundled ? ' · bundled' : ''}
                </option>
              ))}
          </SelectField>
          <CheckboxField
            label="Compare with the bundle’s reference"
            checked={bundled && bundle}
            disabled={!bundled}
            onChange={(e) => setBundle(e.target.checked)}
            hint={
              bundled ?
                <>The reference profile shipped in the bundle (monitoring/reference-profile.json), as the container’s own drift check uses it.</>
              : <>v{chosen?.version ?? latest} has no bundle: it is compared with its training profile. Package it to check against the bundle.</>
            }
          />
        </div>

        <div className="drift-run__actions">
          <Button type="submit" variant="primary" busy={run.starting} disabled={run.running}>
            <IconPlay />
            Run the check
          </Button>
          <span className="small muted">Compares each model input with the training data: PSI, Jensen–Shannon and a statistical test. The result is stored in the history.</span>
        </div>

        {run.running && <JobProgress job={run.job} label="Drift check" cancelLabel="Cancel the drift check" />}
        {run.failure && (
          <ErrorBanner
            className="drift-run__error"
            title={run.start?.error ? 'The drift check could not start' : 'The drift check failed'}
            error={run.failure}
            onDismiss={() => dismiss(name)}
          />
        )}
        {run.cancelled && <p className="small muted">The drift check was cancelled; nothing was stored.</p>}
      </form>

      {browsing && (
        <Modal title="Choose a batch" description="Files on the computer that runs Greenhouse." size="lg" onClose={() => setBrowsing(false)}>
          <FilePicker
            startPath={path}
            isWanted={isBatchFileName}
            onCancel={() => setBrowsing(false)}
            onChoose={(picked) => {
              choosePath(picked);
              setBrowsing(false);
              requestAnimationFrame(() => pathRef.current?.focus());
            }}
          />
        </Modal>
      )}
    </Panel>
  );
}
