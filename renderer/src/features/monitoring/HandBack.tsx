// Hand a checked batch back for retraining: it is registered as a dataset version (labelled when
// it has the model's target column), linked to the model as candidate retraining data. A check
// already handed back says where it went.
import { useState, type FormEvent } from 'react';
import { entityName, type DriftCheck } from '../../../../shared/contract/index.js';
import { handBackOutcome, selectHandBackJob } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { TextField } from '../../ui/Field.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { datasetHref } from '../datasets/route.js';
import { JobProgress } from '../shared/JobProgress.js';
import { handBackName } from './display.js';

export function HandBack({ check }: { check: DriftCheck }) {
  const handBack = useAppStore((s) => s.handBackDriftCheck);
  const dismiss = useAppStore((s) => s.dismissHandBack);
  const start = useAppStore((s) => s.driftHandBacks[check.id] ?? null);
  const job = useAppStore((s) => selectHandBackJob(s, check.id));
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(() => handBackName(check.reference.model.name, check.id));
  const [nameError, setNameError] = useState<string | null>(null);

  const starting = start !== null && start.jobId === null && start.error === null;
  const running = starting || job?.state === 'queued' || job?.state === 'running';
  const failure = start?.error ?? (job && (job.state === 'failed' || job.state === 'interrupted') ? job.error : null);
  const outcome = handBackOutcome(job);
  const labelled = check.batch.hasTarget && check.batch.format !== 'prediction-log';
  const target = check.reference.target;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = entityName.safeParse(name);
    if (!parsed.success) {
      setNameError(parsed.error.issues[0]?.message ?? 'Give the dataset a name.');
      return;
    }
    setNameError(null);
    if (await handBack(check.id, parsed.data)) setOpen(false);
  };

  return (
    <div className="drift-handback" role="group" aria-labelledby="drift-handback-heading">
      <div className="drift-handback__head">
        <h3 id="drift-handback-heading" className="drift-handback__title">
          Hand back for retraining
        </h3>
        {!open && !running && (
          <Button size="sm" variant={check.drift && check.handBacks.length === 0 ? 'primary' : 'secondary'} onClick={() => setOpen(true)}>
            {check.handBacks.length > 0 ? 'Hand back again…' : 'Hand back…'}
          </Button>
        )}
      </div>
      <p className="small muted">
        Registers this batch as a dataset version linked to {check.reference.model.name} as candidate retraining data; the recommendation goes to the audit log.{' '}
        {labelled ?
          <>It has the target column {target ? <code>{target}</code> : null}, so the version is labelled.</>
        : check.batch.format === 'prediction-log' ?
          <>A prediction log becomes a table of its inputs and predictions, without labels.</>
        : <>It has no target column{target ? <> ({<code>{target}</code>})</> : null}: label it before retraining.</>}
      </p>

      {check.handBacks.length > 0 && (
        <ul className="drift-handback__list" aria-label="Hand-backs of this check">
          {check.handBacks.map((h) => (
            <li key={`${h.dataset.name}@${h.dataset.version}`}>
              <a href={datasetHref(h.dataset.name, { version: h.dataset.version })}>
                {h.dataset.name} v{h.dataset.version}
              </a>{' '}
              <Badge tone={h.labelled ? 'success' : 'warning'}>{h.labelled ? 'labelled' : 'not labelled'}</Badge>{' '}
              <span className="muted small">
                <Timestamp value={h.at} /> by {h.by}
              </span>
            </li>
          ))}
        </ul>
      )}

      {open && (
        <form className="drift-handback__form" onSubmit={(e) => void submit(e)} noValidate>
          <TextField label="Dataset name" name="handback-name" value={name} error={nameError} onChange={(e) => setName(e.target.value)} hint="A new dataset, or a new version of an existing one." autoFocus />
          <div className="drift-handback__buttons">
            <Button type="submit" variant="primary" busy={starting}>
              Hand back
            </Button>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
          </div>
        </form>
      )}

      {running && <JobProgress job={job} label="Hand-back" cancelLabel="Cancel the hand-back" />}
      {failure && <ErrorBanner title={start?.error ? 'The hand-back could not start' : 'The hand-back failed'} error={failure} onDismiss={() => dismiss(check.id)} />}
      {outcome && (
        <p className="drift-handback__done" role="status">
          {outcome.outcome === 'unchanged' ? 'Already registered as ' : 'Registered as '}
          <a href={datasetHref(outcome.name, { version: outcome.version })}>
            {outcome.name} v{outcome.version}
          </a>
          , {outcome.labelled ? `labelled (it carries ${outcome.target ?? 'the target'})` : 'not labelled'}, and linked to {outcome.model.name} v{outcome.model.version} for retraining.
        </p>
      )}
    </div>
  );
}
