import { useState, type FormEvent } from 'react';
import type { ModelDetail } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { formatCount, formatNumber } from '../../ui/format.js';
import { IconCheckCircle, IconXCircle } from '../../ui/icons.js';
import { Panel } from '../../ui/Panel.js';
import { Table, type TableColumn } from '../../ui/Table.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { datasetHref } from '../datasets/route.js';
import { compareWithBaseline, formatDelta, lowerIsBetter } from './display.js';
import { MetricRows, newMetricRow, parseMetricRows, type MetricRow } from './MetricRows.js';

const SOURCE_TEXT = { computed: 'Computed by Greenhouse', file: 'Read from a JSON file', form: 'Entered by hand' } as const;

type Metric = [name: string, value: number];

/** The metrics table's columns; the baseline's header says which trivial model it is. */
function metricColumns(baseline: NonNullable<ModelDetail['metrics']>['baseline']): TableColumn<Metric>[] {
  return [
    {
      key: 'metric',
      header: 'Metric',
      rowHeader: true,
      cell: ([name]) => (
        <>
          <span className="mono">{name}</span>
          <span className="muted small metric__direction">{lowerIsBetter(name) ? 'lower is better' : 'higher is better'}</span>
        </>
      ),
    },
    { key: 'model', header: 'Model', className: 'num', cellClassName: 'metric__value', cell: ([, value]) => formatNumber(value) },
    {
      key: 'baseline',
      header: `Baseline${baseline ? ` (${baseline.strategy === 'majority' ? 'majority class' : 'training mean'})` : ''}`,
      className: 'num',
      cell: ([name]) => {
        const base = baseline?.values[name];
        return base === undefined ? <span className="muted">—</span> : formatNumber(base);
      },
    },
    {
      key: 'difference',
      header: 'Difference',
      className: 'num',
      cell: ([name, value]) => {
        const base = baseline?.values[name];
        return base === undefined ? '' : formatDelta(value, base);
      },
    },
    { key: 'verdict', header: 'Against the baseline', cell: ([name, value]) => <Verdict verdict={compareWithBaseline(name, value, baseline?.values[name])} /> },
  ];
}

function Verdict({ verdict }: { verdict: ReturnType<typeof compareWithBaseline> }) {
  return (
    verdict === 'beats' ?
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
    : <span className="muted small">no baseline</span>
  );
}

/** The recorded metrics beside the trivial model's, each saying whether it beats it; and a form to record new ones. */
export function MetricsTab({ detail }: { detail: ModelDetail }) {
  const m = detail.metrics;
  const entries = m ? Object.entries(m.values) : [];
  return (
    <div className="model-stack">
      <Panel
        headingId="metrics-heading"
        title="Metrics"
        note={
          m && (
            <>
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
            </>
          )
        }
      >
        {!m || entries.length === 0 ?
          <p className="panel__empty muted">No metrics recorded for this version. Record them below, or register the model with an evaluation dataset.</p>
        : <Table
            caption="Metrics against the baseline"
            columns={metricColumns(m.baseline)}
            rows={entries}
            rowKey={([name]) => name}
            rowProps={([name, value]) => {
              const verdict = compareWithBaseline(name, value, m.baseline?.values[name]);
              return { className: `metric metric--${verdict}`, 'data-verdict': verdict };
            }}
            className="table--named-rows metrics-table"
          />
        }
      </Panel>
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
    <Panel headingId="record-metrics-heading" title="Record metrics" note="Measured elsewhere (a holdout set, a business KPI)? They replace this version's metrics.">
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
    </Panel>
  );
}
