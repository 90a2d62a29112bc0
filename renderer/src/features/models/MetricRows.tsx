import { Button } from '../../ui/Button.js';
import { IconPlus, IconX } from '../../ui/icons.js';

export interface MetricRow {
  id: number;
  name: string;
  value: string;
}

let nextId = 0;
export const newMetricRow = (name = '', value = ''): MetricRow => ({ id: ++nextId, name, value });

/** The metrics the rows make, and what is wrong with each row that cannot be one (by row id). */
export function parseMetricRows(rows: readonly MetricRow[]): { values: Record<string, number>; problems: Record<number, string> } {
  const values: Record<string, number> = {};
  const problems: Record<number, string> = {};
  for (const r of rows) {
    const name = r.name.trim();
    const raw = r.value.trim();
    if (!name && !raw) continue;
    const value = Number(raw);
    if (!name) problems[r.id] = 'Give the metric a name.';
    else if (!raw || !Number.isFinite(value)) problems[r.id] = `Enter a number for ${name}.`;
    else if (name in values) problems[r.id] = `${name} is there twice.`;
    else values[name] = value;
  }
  return { values, problems };
}

/** Name = value rows, with add and remove: metrics typed by hand. */
export function MetricRows({
  rows,
  onChange,
  problems = {},
  legend = 'Metrics',
}: {
  rows: readonly MetricRow[];
  onChange: (rows: MetricRow[]) => void;
  problems?: Record<number, string>;
  legend?: string;
}) {
  const update = (id: number, change: Partial<MetricRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...change } : r)));
  return (
    <fieldset className="fieldset metric-rows">
      <legend className="field__label">{legend}</legend>
      {rows.map((r, i) => (
        <div key={r.id} className="metric-rows__row">
          <input
            className="input input--sm"
            aria-label={`Metric ${i + 1} name`}
            placeholder="accuracy"
            value={r.name}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={problems[r.id] ? true : undefined}
            onChange={(e) => update(r.id, { name: e.target.value })}
          />
          <span aria-hidden="true" className="muted">
            =
          </span>
          <input
            className="input input--sm metric-rows__value"
            aria-label={`Metric ${i + 1} value`}
            placeholder="0.87"
            inputMode="decimal"
            value={r.value}
            autoComplete="off"
            aria-invalid={problems[r.id] ? true : undefined}
            onChange={(e) => update(r.id, { value: e.target.value })}
          />
          <button
            type="button"
            className="icon-button icon-button--sm"
            aria-label={`Remove metric ${i + 1}`}
            onClick={() => onChange(rows.length === 1 ? [newMetricRow()] : rows.filter((x) => x.id !== r.id))}
          >
            <IconX />
          </button>
          {problems[r.id] && <p className="field__error metric-rows__problem">{problems[r.id]}</p>}
        </div>
      ))}
      <div>
        <Button size="sm" variant="ghost" onClick={() => onChange([...rows, newMetricRow()])}>
          <IconPlus /> Add a metric
        </Button>
      </div>
    </fieldset>
  );
}
