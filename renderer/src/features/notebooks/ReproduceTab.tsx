import { useId, useState, type FormEvent } from 'react';
import type { NotebookDetail, NotebookRun } from '../../../../shared/contract/index.js';
import { browserStorage } from '../../store/ui-slice.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { JobProgress } from '../shared/JobProgress.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { TextField } from '../../ui/Field.js';
import { formatDuration, formatTimestamp, plural } from '../../ui/format.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { IconPlay } from '../../ui/icons.js';
import { CellLink } from './CellLink.js';
import { cellLabel, runHeadline } from './display.js';

const PYTHON_KEY = (name: string) => `greenhouse.notebooks.python.${name}`;
const DEFAULT_TIMEOUT_SECONDS = 600;

function readPython(name: string): string {
  try {
    return browserStorage()?.getItem(PYTHON_KEY(name)) ?? '';
  } catch {
    return '';
  }
}

function rememberPython(name: string, python: string): void {
  try {
    browserStorage()?.setItem(PYTHON_KEY(name), python);
  } catch {
    // A full or blocked storage only costs the choice next time.
  }
}

export interface ReproduceTabProps {
  detail: NotebookDetail;
  /** The newest run of this version: just finished, or from the history. */
  latest: NotebookRun | null;
  onGoToCell: (index: number) => void;
}

/** Run a copy of this version top to bottom in a chosen Python; the result and the history. */
export function ReproduceTab({ detail, latest, onGoToCell }: ReproduceTabProps) {
  const name = detail.name;
  const version = detail.version.version;
  const runNotebook = useAppStore((s) => s.runNotebook);
  const dismissRun = useAppStore((s) => s.dismissNotebookRun);
  const started = useAppStore((s) => s.notebookRuns[name] ?? null);
  const job = useAppStore((s) => (started?.jobId ? s.jobsById[started.jobId] : undefined));
  const [python, setPython] = useState(() => readPython(name));
  const [timeoutText, setTimeoutText] = useState(String(DEFAULT_TIMEOUT_SECONDS));
  const timeoutId = useId();

  const starting = started !== null && started.jobId === null && started.error === null;
  const running = starting || job?.state === 'queued' || job?.state === 'running';
  const timeoutSeconds = Number(timeoutText);
  const timeoutProblem = Number.isInteger(timeoutSeconds) && timeoutSeconds >= 1 && timeoutSeconds <= 86_400 ? null : 'Enter whole seconds, 1 to 86400.';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (timeoutProblem || running) return;
    rememberPython(name, python.trim());
    await runNotebook({ name, version, python, timeoutSeconds });
  };

  const jobError = job && (job.state === 'failed' || job.state === 'interrupted') ? job.error : null;
  const startError = started?.error ?? null;

  return (
    <div className="nb-reproduce">
      <section className="panel nb-reproduce__form" aria-labelledby="reproduce-heading">
        <div className="panel__head">
          <h2 id="reproduce-heading" className="panel__title">
            Reproduce version {version}
          </h2>
        </div>
        <div className="nb-reproduce__body">
          <p className="muted">
            Runs a copy of this version top to bottom in a fresh, headless Jupyter kernel, in the notebook’s own folder so its relative paths
            resolve. The notebook file is never changed, and nothing from the notebook runs inside this window.
          </p>
          <form className="form nb-reproduce__fields" onSubmit={submit} noValidate>
            <TextField
              label="Python"
              name="python"
              className="nb-reproduce__python"
              placeholder="python3 (on the PATH of the computer running Greenhouse)"
              autoComplete="off"
              spellCheck={false}
              value={python}
              onChange={(e) => setPython(e.target.value)}
              hint={
                <>
                  The interpreter that runs the kernel; it needs <code>nbclient</code> and <code>ipykernel</code>, e.g. <code>/usr/bin/python3</code> with
                  Debian’s <code>python3-nbclient</code> and <code>python3-ipykernel</code>, or a virtual environment’s <code>bin/python</code>.
                  Remembered for this notebook.
                </>
              }
            />
            <div className="field nb-reproduce__timeout">
              <label className="field__label" htmlFor={timeoutId}>
                Timeout per cell (s)
              </label>
              <input
                id={timeoutId}
                className="input"
                type="number"
                min={1}
                max={86_400}
                step={1}
                value={timeoutText}
                aria-invalid={timeoutProblem ? true : undefined}
                aria-describedby={timeoutProblem ? `${timeoutId}-error` : undefined}
                onChange={(e) => setTimeoutText(e.target.value)}
              />
              {timeoutProblem && (
                <p className="field__error" id={`${timeoutId}-error`}>
                  {timeoutProblem}
                </p>
              )}
            </div>
            <div className="nb-reproduce__submit">
              <Button type="submit" variant="primary" busy={starting} disabled={running || timeoutProblem !== null}>
                {!starting && <IconPlay />}
                Run notebook
              </Button>
            </div>
          </form>

          {running && (
            <div className="nb-reproduce__progress">
              <JobProgress job={job} label="Reproduce run" cancelLabel="Cancel the run" />
            </div>
          )}
          {job?.state === 'cancelled' && <p className="muted nb-reproduce__note">The run was cancelled; nothing was recorded.</p>}
          {(startError ?? jobError) && (
            <ErrorBanner error={(startError ?? jobError)!} title="Could not run the notebook" onDismiss={() => dismissRun(name)} />
          )}
        </div>
      </section>

      {latest && <RunResult run={latest} onGoToCell={onGoToCell} />}
      <RunHistory runs={detail.runs} onGoToCell={onGoToCell} />
    </div>
  );
}

/** The newest run: passed or where it failed, with the error and traceback. */
function RunResult({ run, onGoToCell }: { run: NotebookRun; onGoToCell: (index: number) => void }) {
  const ok = run.cells.filter((c) => c.status === 'ok').length;
  const notRun = run.cells.filter((c) => c.status === 'not-run').length;
  return (
    <section className="panel nb-run-result" aria-labelledby="run-result-heading" data-state={run.state}>
      <div className="panel__head">
        <h2 id="run-result-heading" className="panel__title">
          Latest run
        </h2>
        <RunStateBadge state={run.state} />
        <span className="muted small">
          <time dateTime={run.startedAt}>{formatTimestamp(run.startedAt)}</time>
        </span>
      </div>
      <div className="nb-run-result__body">
        <p className="nb-run-result__headline">{runHeadline(run)}</p>
        <dl className="nb-dl">
          <div>
            <dt>Python</dt>
            <dd className="mono">{run.python}</dd>
          </div>
          <div>
            <dt>Code cells</dt>
            <dd>
              {ok} ran OK{run.failedCell !== null ? ', 1 failed' : ''}
              {notRun > 0 ? `, ${notRun} not run` : ''}
            </dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{formatDuration(run.durationMs)}</dd>
          </div>
          {run.executedPath && (
            <div className="nb-dl__wide">
              <dt>Executed copy</dt>
              <dd className="mono path-start-ellipsis" title={run.executedPath}>
                <bdi>{run.executedPath}</bdi>
              </dd>
            </div>
          )}
        </dl>
        {run.state === 'failed' && run.failedCell !== null && (
          <div className="nb-run-error" role="group" aria-label="Error of the failing cell">
            <p className="nb-run-error__head">
              <span>
                {cellLabel(run.failedCell)} failed
                {run.error && (
                  <>
                    {' '}
                    with <strong className="mono">{run.error.ename}</strong>
                    {run.error.evalue ? `: ${run.error.evalue}` : ''}
                  </>
                )}
              </span>
              <Button size="sm" onClick={() => onGoToCell(run.failedCell!)}>
                Show {cellLabel(run.failedCell).toLowerCase()}
              </Button>
            </p>
            {run.error?.traceback && <pre className="nb-traceback">{run.error.traceback}</pre>}
          </div>
        )}
      </div>
    </section>
  );
}

export function RunStateBadge({ state }: { state: NotebookRun['state'] }) {
  return state === 'passed' ? <Badge tone="success">Passed</Badge> : <Badge tone="danger">Failed</Badge>;
}

function RunHistory({ runs, onGoToCell }: { runs: readonly NotebookRun[]; onGoToCell: (index: number) => void }) {
  return (
    <section className="panel" aria-labelledby="run-history-heading">
      <div className="panel__head">
        <h2 id="run-history-heading" className="panel__title">
          Run history
        </h2>
        <span className="muted small">{plural(runs.length, 'run')} of this version</span>
      </div>
      {runs.length === 0 ? (
        <p className="panel__empty muted">Not run yet. A passing run shows the notebook reproduces from its inputs in a clean kernel.</p>
      ) : (
        <div className="table-wrap">
          <table className="table nb-runs-table">
            <caption className="visually-hidden">Reproduce runs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Result</th>
                <th scope="col">Failed at</th>
                <th scope="col">Python</th>
                <th scope="col" className="num">
                  Duration
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">
                    <Timestamp value={r.startedAt} />
                  </td>
                  <td>
                    <RunStateBadge state={r.state} />
                  </td>
                  <td>
                    {r.failedCell === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <CellLink cell={r.failedCell} onGoToCell={onGoToCell} suffix={r.error ? ` (${r.error.ename})` : ''} />
                    )}
                  </td>
                  <td className="mono cell-clip" title={r.python}>
                    {r.python}
                  </td>
                  <td className="num nowrap">{formatDuration(r.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
