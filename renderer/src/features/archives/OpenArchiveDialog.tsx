import { useEffect, useRef, useState, type FormEvent } from 'react';
import { archiveOutcome, archiveRoute, selectArchiveOpenJob } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { CheckboxField } from '../../ui/Field.js';
import { Modal } from '../../ui/Modal.js';
import { FilePicker } from '../datasets/FilePicker.js';
import { JobProgress } from '../shared/JobProgress.js';
import { PathField, type NativePicker } from '../shared/PathField.js';
import { isArchiveFileName } from './display.js';

const NATIVE: readonly NativePicker<'file'>[] = [{ kind: 'file', label: 'Choose…' }];
const FORM_ID = 'open-archive-form';

/**
 * Open an exported archive for review: its path (typed, picked, or browsed for in browser mode),
 * whether to rerun its image's smoke test, then the open job's progress. Once it is open, its page
 * is shown; when it does not verify, why and what to do. Closing the dialog leaves the job running:
 * the Bundles page shows it.
 */
export function OpenArchiveDialog({ onClose }: { onClose: () => void }) {
  const open = useAppStore((s) => s.openArchive);
  const pick = useAppStore((s) => s.pickArchivePath);
  const dismiss = useAppStore((s) => s.dismissArchiveOpen);
  const showArchive = useAppStore((s) => s.showArchive);
  const start = useAppStore((s) => s.archiveOpen);
  const job = useAppStore(selectArchiveOpenJob);
  const [started, setStarted] = useState(false);
  const [browse, setBrowse] = useState(false);
  const [path, setPath] = useState('');
  const [rerun, setRerun] = useState(false);
  const [pathError, setPathError] = useState<string | null>(null);
  const pathRef = useRef<HTMLInputElement>(null);

  // What this dialog started (not an earlier open still shown on the page).
  const mine = started ? start : null;
  const opened = mine ? archiveOutcome(job) : null;
  const failure = mine?.error ?? (job && (job.state === 'failed' || job.state === 'interrupted') ? job.error : null);
  const cancelled = mine !== null && job?.state === 'cancelled';
  const running = mine !== null && !opened && !failure && !cancelled;

  useEffect(() => {
    if (!opened) return;
    // Opened: its page, and the dialog is done.
    dismiss();
    showArchive(archiveRoute(opened.id));
    onClose();
  }, [opened, dismiss, showArchive, onClose]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!path.trim()) {
      setPathError('Type or choose the path of an exported archive (NAME-VERSION.tar.gz).');
      pathRef.current?.focus();
      return;
    }
    setStarted(true);
    await open(path, rerun);
  };

  const backToForm = () => {
    dismiss();
    setStarted(false);
    requestAnimationFrame(() => pathRef.current?.focus());
  };

  const close = () => {
    // A finished attempt was seen here; a running one stays on the Bundles page with its progress.
    if (mine && !running) dismiss();
    onClose();
  };

  const footer =
    browse ? undefined
    : !mine ?
      <>
        <Button onClick={close}>Cancel</Button>
        <Button type="submit" form={FORM_ID} variant="primary">
          Open for review
        </Button>
      </>
    : running ?
      <>
        <span className="modal__footer-note muted small">Closing leaves it running; the Bundles page shows it.</span>
        <Button onClick={close}>Close</Button>
      </>
    : <>
        <Button onClick={close}>Close</Button>
        <Button variant="primary" onClick={backToForm}>
          Back to the form
        </Button>
      </>;

  return (
    <Modal
      title={browse ? 'Choose an archive' : 'Open an archive for review'}
      description={
        browse ? 'Files on the computer that runs Greenhouse.' : (
          'An archive exported by Greenhouse (NAME-VERSION.tar.gz), from this workspace or another team’s. It is verified first (every hash, the signature, its readiness); nothing is recorded when it does not verify. Your review is kept here and written into the archive.'
        )
      }
      onClose={close}
      footer={footer}
      size={browse ? 'lg' : 'md'}
      initialFocus={pathRef}
      className="open-archive"
    >
      {browse ?
        <FilePicker
          startPath={path}
          isWanted={isArchiveFileName}
          allowFolder={false}
          onCancel={() => setBrowse(false)}
          onChoose={(picked) => {
            setPath(picked);
            setPathError(null);
            setBrowse(false);
          }}
        />
      : mine ?
        <div className="open-archive__run" data-state={running ? 'running' : failure ? 'failed' : 'cancelled'}>
          <p className="small">
            <bdi className="mono open-archive__path">{mine.path}</bdi>
            {mine.rerun && <span className="muted"> · loading its image and rerunning the smoke test</span>}
          </p>
          {running && <JobProgress job={job} label="Opening the archive" cancelLabel="Cancel opening the archive" />}
          {failure && <ErrorBanner className="bundle-error" title="The archive was not opened" error={failure} />}
          {cancelled && <p className="muted small">Cancelled; nothing was recorded.</p>}
        </div>
      : <form id={FORM_ID} className="form" onSubmit={(e) => void submit(e)} noValidate>
          <PathField
            inputRef={pathRef}
            label="Archive"
            name="path"
            placeholder="/home/you/handover/churn-1.tar.gz"
            value={path}
            error={pathError}
            onChange={(p) => {
              setPath(p);
              setPathError(null);
            }}
            hint="Type or paste the path of the .tar.gz on this computer, or browse for it."
            nativePickers={NATIVE}
            pickNative={() => pick()}
            onBrowse={() => setBrowse(true)}
          />
          <CheckboxField
            label="Load the included image and rerun its smoke test"
            checked={rerun}
            onChange={(e) => setRerun(e.target.checked)}
            hint="For an archive exported with its image, when a container engine answers here: the image is loaded and its smoke test run again. Otherwise it is skipped, and said so."
          />
        </form>
      }
    </Modal>
  );
}
