// The model's drift thresholds (drift.settings): the defaults until changed; change some or reset
// them (drift.updateSettings, audited). The next checks use them; stored checks keep theirs.
import { useEffect, useState, type FormEvent } from 'react';
import { DEFAULT_DRIFT_THRESHOLDS, type DriftSettings, type DriftThresholds, type DriftThresholdsPatch } from '../../../../shared/contract/index.js';
import { selectDriftSettings } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { TextField } from '../../ui/Field.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Panel } from '../../ui/Panel.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { formatThreshold, THRESHOLD_FIELDS } from './display.js';

type Draft = Record<keyof DriftThresholds, string>;

const draftOf = (t: DriftThresholds): Draft =>
  Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f.key, formatThreshold(t[f.key])])) as Draft;

export function ThresholdsPanel({ name }: { name: string }) {
  const settings = useAppStore((s) => selectDriftSettings(s, name));
  const status = useAppStore((s) => s.driftSettingsStatus);
  const error = useAppStore((s) => s.driftSettingsError);
  const load = useAppStore((s) => s.loadDriftSettings);
  // Kept here: a save gives the form new settings, and so a new form.
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    void load(name);
  }, [load, name]);

  return (
    <Panel
      headingId="drift-thresholds-heading"
      title="Thresholds"
      note={settings ? (settings.custom ? 'set for this model' : 'the defaults') : undefined}
      className="drift-thresholds-panel"
    >
      {error && <LoadProblem error={error} title="Could not read the thresholds" onRetry={() => void load(name)} />}
      {settings ?
        <ThresholdsForm key={settings.updatedAt ?? 'defaults'} settings={settings} saved={saved} onSaved={setSaved} />
      : status === 'loading' && <LoadingLine className="panel__empty">Reading the thresholds…</LoadingLine>}
    </Panel>
  );
}

function ThresholdsForm({ settings, saved, onSaved: setSaved }: { settings: DriftSettings; saved: string | null; onSaved: (note: string | null) => void }) {
  const save = useAppStore((s) => s.saveDriftSettings);
  const reset = useAppStore((s) => s.resetDriftSettings);
  const saving = useAppStore((s) => s.driftSettingsSaving);
  const saveError = useAppStore((s) => s.driftSettingsSaveError);
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings.thresholds));
  const [problems, setProblems] = useState<Partial<Record<keyof DriftThresholds, string>>>({});

  const patch: DriftThresholdsPatch = {};
  for (const f of THRESHOLD_FIELDS) {
    const value = Number(draft[f.key]);
    if (draft[f.key].trim() !== '' && Number.isFinite(value) && value !== settings.thresholds[f.key]) patch[f.key] = value;
  }
  const changed = Object.keys(patch).length > 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: typeof problems = {};
    for (const f of THRESHOLD_FIELDS) {
      const text = draft[f.key].trim();
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) found[f.key] = 'A number';
      else if (value < 0 || value > f.max || ((f.key === 'pValue' || f.key === 'datasetShare') && value === 0)) found[f.key] = `Between 0 and ${f.max}`;
    }
    setProblems(found);
    setSaved(null);
    if (Object.keys(found).length > 0 || !changed) return;
    if (await save(settings.model, patch)) setSaved('Saved: the next checks use these thresholds.');
  };

  const onReset = async () => {
    setSaved(null);
    setProblems({});
    if (await reset(settings.model)) setSaved('Back to the defaults.');
  };

  return (
    <form className="monitoring-panel__body drift-thresholds" onSubmit={(e) => void submit(e)} noValidate>
      <div className="drift-thresholds__fields">
        {THRESHOLD_FIELDS.map((f) => (
          <TextField
            key={f.key}
            label={f.label}
            name={f.key}
            inputMode="decimal"
            className="drift-thresholds__field"
            value={draft[f.key]}
            error={problems[f.key] ?? null}
            hint={`${f.hint} · default ${formatThreshold(DEFAULT_DRIFT_THRESHOLDS[f.key])}`}
            onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
          />
        ))}
      </div>
      <p className="small muted">
        A feature drifts when its PSI is significant, or moderate with a Jensen–Shannon distance at or above the threshold, and its test (where one could run)
        has a p-value below the threshold. The batch drifts when at least the given share of features drift. Stored checks keep the thresholds they ran with.
      </p>
      {saveError && <ErrorBanner title="The thresholds were not changed" error={saveError} />}
      <div className="drift-thresholds__actions">
        <Button type="submit" variant="primary" size="sm" busy={saving} disabled={!changed}>
          Save thresholds
        </Button>
        <Button size="sm" onClick={() => setDraft(draftOf(settings.thresholds))} disabled={!changed || saving}>
          Undo changes
        </Button>
        <Button size="sm" variant="ghost" onClick={() => void onReset()} disabled={!settings.custom || saving}>
          Reset to defaults
        </Button>
        <span className="small muted" role="status">
          {saved ??
            (settings.custom && settings.updatedAt ?
              <>
                Changed <Timestamp value={settings.updatedAt} />
                {settings.updatedBy ? ` by ${settings.updatedBy}` : ''}
              </>
            : null)}
        </span>
      </div>
    </form>
  );
}
