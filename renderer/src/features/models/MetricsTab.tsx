import { useState, type FormEvent } from 'react';
import type { ModelDetail } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { formatCount, formatNumber } from '../../ui/format.js';
import { IconCheckCircle, IconXCircle } from '../../ui/icons.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { datasetHref } from '../datasets/route.js';
import { compareWithBaseline, formatDelta, lowerIsBetter } from './display.js';
import { MetricRows, newMetricRow, parseMetricRows, type MetricRow } from './MetricRows.js';

const SOURCE_TEXT = { computed: 'Computed by Greenhouse', file: 'Read from a JSON file', form: 'Entered by hand' } as const;

/** The recorded metrics beside the trivial model's, each saying whether it beats it; and a form to record new ones. */
export function MetricsTab({ detail }: { detail: ModelDetail }) {
  const m = detail.metrics;
  const entries = m ? Object.entries(m.values) : [];
  return (
    <div className="model-stack">
      <section className="panel" aria-labelledby="metrics-heading">
        <div className="panel__head">
          <h2 id="metrics-heading" className="panel__title">
            Metrics
          </h2>
          {m && (
            <span className="muted small">
              {SOURCE_TEXT[m.source]}
              {m.dataset && (
                <>
                  {' '}
                  on{' '}
                  <a href={datasetHref(m.dataset.name, { version: m.dataset.version })}>
                    {m.dataset.name} v{m.dataset.version}
                  </a>
                </>
              )}
              {m.rows !== null && ` (${formatCount(m.rows)} rows)`}, <Timestamp value={m.recordedAt} />
            </span>
          )}
        </div>
        {!m || entries.length === 0 ?
          <p className="panel__empty muted">No metrics recorded for this version. Record them below, or register the model with an evaluation dataset.</p>
        : <div className="table-wrap">
            <table className="table metrics-table">
              <caption className="visually-hidden">Metrics against the baseline</caption>
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col" className="num">
                    Model
                  </th>
                  <th scope="col" className="num">
                    Baseline{m.baseline ? ` (${m.baseline.strategy === 'majority' ? 'majority class' : 'training mean'})` : ''}
                  </th>
                  <th scope="col" className="num">
                    Difference
                  </th>
                  <th scope="col">Against the baseline</th>
                </tr>
              </thead>
              <tbody>
                {entries.map(([name, value]) => {
                  const base = m.baseline?.values[name];
                  const verdict = compareWithBaseline(name, value, base);
                  return (
                    <tr key={name} className={`metric metric--${verdict}`} data-verdict={verdict}>
                      <th scope="row">
                        <span className="mono">{name}</span>
                        <span className="muted small metric__direction">{lowerIsBetter(name) ? 'lower is better' : 'higher is better'}</span>
                      </th>
                      <td className="num metric__value">{formatNumber(value)}</td>
                      <td className="num">{base === undefined ? <span className="muted">—</span> : formatNumber(base)}</td>
                      <td className="num">{base === undefined ? '' : formatDelta(value, base)}</td>
                      <td>
                        {verdict === 'beats' ?
                          <Badge tone="success" className="metric__verdict">
                            <IconCheckCircle size={13} /> beats baseline
                          </Badge>
                        : verdict === 'loses' ?
                          <Badge tone="danger" className="metric__verdict">
                            <IconXCircle size={13} /> does not beat baseline
                          </Badge>
                        : verdict === 'ties' ?
                          <Badge tone="warning" className="metric__verdict">
                            ties the baseline
                          </Badge>
                        : <span className="muted small">no baseline</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        }
      </section>
      <RecordMetrics detail={detail} />
    </div>
  );
}

function RecordMetrics({ detail }: { detail: ModelDetail }) {
  const record = useAppStore((s) => s.recordModelMetrics);
  const saving = useAppStore((s) => s.modelMetricsSaving);
  const error = useAppStore((s) => s.modelMetricsError);
  const dismiss = useAppStore((s) => s.dismissModelEditError);
  const [rows, setRows] = useState<MetricRow[]>(() => [newMetricRow()]);
  const [problems, setProblems] = useState<Record<number, string>>({});
  const [empty, setEmpty] = useState(false);
  const [saved, setSaved] = useState(false);
  const bundled = detail.version.bundled;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseMetricRows(rows);
    setProblems(parsed.problems);
    setSaved(false);
    const none = Object.keys(parsed.values).length === 0;
    setEmpty(none && Object.keys(parsed.problems).length === 0);
    if (none || Object.keys(parsed.problems).length > 0) return;
    if (await record(detail.name, detail.version.version, parsed.values)) {
      setRows([newMetricRow()]);
      setSaved(true);
    }
  };

  return (
    <section className="panel" aria-labelledby="record-metrics-heading">
      <div className="panel__head">
        <h2 id="record-metrics-heading" className="panel__title">
          Record metrics
        </h2>
        <span className="muted small">Measured elsewhere (a holdout set, a business KPI)? They replace this version's metrics.</span>
      </div>
      {bundled ?
        <p className="panel__empty muted">This version went into a bundle, so its metrics can no longer change. Register a new version to record others.</p>
      : <form className="form record-metrics" onSubmit={submit} noValidate aria-label="Record metrics">
          <MetricRows rows={rows} onChange={setRows} problems={problems} legend="Metric values" />
          {empty && <p className="field__error">Enter at least one metric and its value.</p>}
          {error && <ErrorBanner error={error} title="Could not record the metrics" onDismiss={dismiss} />}
          <div className="form__actions">
            {saved && (
              <span className="muted small" role="status">
                Recorded.
              </span>
            )}
            <Button type="submit" variant="primary" busy={saving}>
              Record metrics
            </Button>
          </div>
        </form>
      }
    </section>
  );
}
