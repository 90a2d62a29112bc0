import { useId, useState, type FormEvent } from 'react';
import type { Datasheet } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { TextAreaField, TextField } from '../../ui/Field.js';
import { formatCount } from '../../ui/format.js';

/** The contract's limits, checked as the user types. */
export const DATASHEET_LIMITS: Record<Exclude<keyof Datasheet, 'personalData'>, number> = {
  description: 20_000,
  source: 2000,
  owner: 200,
  licence: 200,
  collectionProcess: 20_000,
};

export function datasheetProblems(sheet: Datasheet): Partial<Record<keyof Datasheet, string>> {
  const problems: Partial<Record<keyof Datasheet, string>> = {};
  for (const [key, max] of Object.entries(DATASHEET_LIMITS) as [keyof typeof DATASHEET_LIMITS, number][]) {
    const length = sheet[key].length;
    if (length > max) problems[key] = `Too long: ${formatCount(length)} characters, at most ${formatCount(max)}.`;
  }
  return problems;
}

const PERSONAL_DATA: { value: Datasheet['personalData']; label: string }[] = [
  { value: 'no', label: 'No' },
  { value: 'yes', label: 'Yes' },
  { value: 'unknown', label: 'Not known yet' },
];

const same = (a: Datasheet, b: Datasheet) => (Object.keys(a) as (keyof Datasheet)[]).every((k) => a[k] === b[k]);

/** The datasheet ("Datasheets for Datasets"): what reviewers read about where the data comes from. */
export function DatasheetTab({ name, datasheet }: { name: string; datasheet: Datasheet }) {
  const saveDatasheet = useAppStore((s) => s.saveDatasheet);
  const saving = useAppStore((s) => s.datasheetSaving);
  const error = useAppStore((s) => s.datasheetError);
  const dismissError = useAppStore((s) => s.dismissDatasheetError);
  const [draft, setDraft] = useState<Datasheet>(datasheet);
  const [saved, setSaved] = useState(false);
  const [tried, setTried] = useState(false);
  const radioName = useId();

  // A saved or reloaded datasheet replaces the draft only when the user has no edits pending.
  // (Adjusted while rendering, as React recommends for state that follows a prop.)
  const [base, setBase] = useState(datasheet);
  if (base !== datasheet) {
    setBase(datasheet);
    if (same(draft, base)) setDraft(datasheet);
  }

  const dirty = !same(draft, datasheet);
  const problems = datasheetProblems(draft);
  const invalid = Object.keys(problems).length > 0;
  const show = (key: keyof Datasheet) => (tried || draft[key] !== datasheet[key] ? (problems[key] ?? null) : null);
  const edit = <K extends keyof Datasheet>(key: K, value: Datasheet[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (invalid) return;
    const ok = await saveDatasheet(name, draft);
    if (ok) {
      setSaved(true);
      setTried(false);
    }
  };

  return (
    <form className="form datasheet" onSubmit={submit} noValidate aria-label="Datasheet">
      <p className="tab-intro muted small">
        What a reviewer needs to trust this data: what it is, where it came from, who answers for it, and whether it holds personal data. It goes into
        the model card and the readiness report.
      </p>
      <TextAreaField
        label="Description"
        rows={4}
        value={draft.description}
        onChange={(e) => edit('description', e.target.value)}
        error={show('description')}
        hint="What one row is, what the columns mean, and what the data is for."
      />
      <div className="form__grid">
        <TextField label="Source" value={draft.source} onChange={(e) => edit('source', e.target.value)} error={show('source')} hint="A system, a URL or a team." />
        <TextField label="Owner" value={draft.owner} onChange={(e) => edit('owner', e.target.value)} error={show('owner')} hint="Who answers questions about it." />
        <TextField label="Licence" value={draft.licence} onChange={(e) => edit('licence', e.target.value)} error={show('licence')} hint="e.g. internal use only, CC BY 4.0." />
      </div>
      <fieldset className="fieldset">
        <legend className="field__label">Contains personal data</legend>
        <div className="radio-row">
          {PERSONAL_DATA.map((o) => (
            <label key={o.value} className="radio">
              <input type="radio" name={radioName} value={o.value} checked={draft.personalData === o.value} onChange={() => edit('personalData', o.value)} />
              {o.label}
            </label>
          ))}
        </div>
      </fieldset>
      <TextAreaField
        label="Collection process"
        rows={3}
        value={draft.collectionProcess}
        onChange={(e) => edit('collectionProcess', e.target.value)}
        error={show('collectionProcess')}
        hint={
          draft.personalData === 'yes' && !draft.collectionProcess.trim() ? (
            <span className="field__warning">It contains personal data: say how it was collected and on what legal basis; reviewers will ask.</span>
          ) : (
            'How and when it was collected, sampled or filtered; any consent or legal basis.'
          )
        }
      />
      {error && <ErrorBanner error={error} title="Could not save the datasheet" onDismiss={dismissError} />}
      <div className="form__actions datasheet__actions">
        <span className="datasheet__status muted small" role="status">
          {saved && !dirty ? 'Saved.' : dirty ? 'Unsaved changes.' : ''}
        </span>
        <Button
          onClick={() => {
            setDraft(datasheet);
            setTried(false);
          }}
          disabled={!dirty || saving}
        >
          Discard changes
        </Button>
        <Button type="submit" variant="primary" busy={saving} disabled={!dirty}>
          Save datasheet
        </Button>
      </div>
    </form>
  );
}
