import { useId, type ReactNode } from 'react';
import type { SmokeTestResult } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { formatDuration, formatNumber, plural } from '../../ui/format.js';
import { IconCheckCircle, IconXCircle } from '../../ui/icons.js';
import { Table, type TableColumn } from '../../ui/Table.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { formatDifference, formatValue, shortImageId } from './display.js';

/** What each check of a smoke test looks at, in words. */
const CHECK_NAMES: Record<string, string> = {
  ready: 'Ready',
  metadata: 'V2 metadata',
  'parity.predict': 'Golden parity on /predict',
  'parity.v2': 'Golden parity on V2 infer',
  malformed: 'Malformed requests refused',
  latency: 'Latency',
  metrics: 'Prometheus /metrics',
  pytest: 'Generated tests (pytest)',
  shutdown: 'Clean shutdown',
};

type Mismatch = SmokeTestResult['parity']['mismatches'][number];
type Malformed = SmokeTestResult['malformed'][number];

const MISMATCH_COLUMNS: TableColumn<Mismatch>[] = [
  { key: 'endpoint', header: 'Endpoint', cell: (m) => (m.endpoint === 'predict' ? '/predict' : 'V2 infer'), rowHeader: true },
  { key: 'row', header: 'Row', cell: (m) => (m.row === null ? <span className="muted">whole answer</span> : m.row), className: 'num' },
  { key: 'output', header: 'Output', cell: (m) => m.output, cellClassName: 'mono' },
  { key: 'expected', header: 'Expected', cell: (m) => formatValue(m.expected), cellClassName: 'mono cell-clip' },
  { key: 'actual', header: 'Got', cell: (m) => formatValue(m.actual), cellClassName: 'mono cell-clip' },
];

const MALFORMED_COLUMNS: TableColumn<Malformed>[] = [
  { key: 'case', header: 'Request', cell: (m) => m.case, rowHeader: true },
  { key: 'endpoint', header: 'Endpoint', cell: (m) => m.endpoint, cellClassName: 'mono cell-clip' },
  { key: 'status', header: 'Status', cell: (m) => m.status ?? '—', className: 'num' },
  { key: 'ok', header: 'Refused', cell: (m) => <OkBadge ok={m.ok} okText="4xx" failText="not refused" /> },
];

export interface SmokeResultsProps {
  result: SmokeTestResult;
  /** The heading level of its sections: 2 on a page, 3 inside another report. */
  level?: 2 | 3;
  /** A prefix for the ids of its headings, unique on the page. */
  idPrefix?: string;
}

/** One smoke test of a bundle's image: each check, golden parity, malformed input, latency, pytest, and the container log when it failed. */
export function SmokeResults({ result: r, level = 2, idPrefix }: SmokeResultsProps) {
  const autoId = useId();
  const id = (part: string) => `${idPrefix ?? autoId}-${part}`;
  const H = level === 3 ? 'h3' : 'h2';
  const H2 = level === 3 ? 'h4' : 'h3';
  const failed = r.checks.filter((c) => !c.ok).length;
  const p = r.parity;
  const examplesMatched = Math.min(p.predict.matched, p.v2.matched);

  return (
    <section className="smoke" aria-labelledby={id('title')} data-passed={r.passed}>
      <div className={cx('smoke__verdict', r.passed ? 'smoke__verdict--passed' : 'smoke__verdict--failed')}>
        {r.passed ? <IconCheckCircle size={22} /> : <IconXCircle size={22} />}
        <div className="smoke__verdict-text">
          <H id={id('title')} className="smoke__title">
            {r.passed ? 'Smoke test passed' : 'Smoke test failed'}
          </H>
          <p className="small muted">
            <span className="mono">{r.image.tag}</span> ({shortImageId(r.image.id)}) · <Timestamp value={r.startedAt} /> · took {formatDuration(r.durationMs)}
            {r.readyMs !== null && <> · ready in {formatDuration(r.readyMs)}</>} · {r.network === 'host' ? 'host network' : 'port published on 127.0.0.1'}
            {r.port !== null && <>, port {r.port}</>}
          </p>
        </div>
        <span className="smoke__count small">{failed === 0 ? `${plural(r.checks.length, 'check')} passed` : `${failed} of ${plural(r.checks.length, 'check')} failed`}</span>
      </div>

      <ul className="smoke__checks" aria-label="Checks">
        {r.checks.map((c) => (
          <li key={c.id} className={cx('smoke__check', !c.ok && 'smoke__check--failed')} data-check={c.id} data-ok={c.ok}>
            <OkBadge ok={c.ok} />
            <span className="smoke__check-name">{CHECK_NAMES[c.id] ?? c.id}</span>
            <span className="smoke__check-message">{c.message}</span>
          </li>
        ))}
      </ul>

      <div className="smoke__grid">
        <section className="smoke__part" aria-labelledby={id('parity')} data-part="parity">
          <H2 id={id('parity')} className="smoke__part-title">
            Golden parity
          </H2>
          <dl className="smoke__facts">
            <Fact label="Examples">{p.examples}</Fact>
            <Fact label="/predict">
              {p.predict.matched} of {p.examples} matched
            </Fact>
            <Fact label="V2 infer">
              {p.v2.matched} of {p.examples} matched
            </Fact>
            <Fact label="Max difference">
              {p.maxDifference === null ? '—' : formatDifference(p.maxDifference)}
              <span className="muted nowrap"> (tolerance {formatDifference(p.tolerance)})</span>
            </Fact>
          </dl>
          <p className={cx('smoke__summary small', examplesMatched === p.examples && p.examples > 0 ? 'smoke__summary--ok' : 'smoke__summary--bad')}>
            {p.examples === 0 ? 'No golden examples to replay.'
            : p.predict.mismatched + p.v2.mismatched === 0 ?
              `All ${p.examples} examples matched on both endpoints.`
            : `${p.predict.mismatched} differ on /predict, ${p.v2.mismatched} on V2 infer.`}
          </p>
        </section>

        <section className="smoke__part" aria-labelledby={id('latency')} data-part="latency">
          <H2 id={id('latency')} className="smoke__part-title">
            Latency
          </H2>
          <dl className="smoke__facts">
            <Fact label="p50">{ms(r.latencyMs.p50)}</Fact>
            <Fact label="p95">{ms(r.latencyMs.p95)}</Fact>
            <Fact label="Max">{ms(r.latencyMs.max)}</Fact>
            <Fact label="Requests">{r.latencyMs.requests}</Fact>
          </dl>
          <p className="small muted">Single-row requests to /predict, one after another.</p>
        </section>

        <section className="smoke__part" aria-labelledby={id('serving')} data-part="serving">
          <H2 id={id('serving')} className="smoke__part-title">
            Malformed input and metrics
          </H2>
          <dl className="smoke__facts">
            <Fact label="Refused">
              {r.malformed.filter((m) => m.ok).length} of {r.malformed.length}
            </Fact>
            <Fact label="Metric families">{r.metrics.families}</Fact>
            <Fact label="Predict requests">{r.metrics.predictRequests ?? '—'}</Fact>
            <Fact label="Client errors">{r.metrics.clientErrors ?? '—'}</Fact>
          </dl>
          <p className={cx('smoke__summary small', r.malformedRejected ? 'smoke__summary--ok' : 'smoke__summary--bad')}>
            {r.malformedRejected ? 'Every malformed request got a 4xx.' : 'Some malformed requests were not refused with a 4xx; see below.'}
          </p>
        </section>

        <section className="smoke__part" aria-labelledby={id('pytest')} data-part="pytest">
          <H2 id={id('pytest')} className="smoke__part-title">
            Generated tests
          </H2>
          {r.pytest.ran ?
            <>
              <p className="smoke__pytest">
                <OkBadge ok={r.pytest.exitCode === 0} okText="passed" failText="failed" /> <span className="mono">{r.pytest.summary}</span>
              </p>
              <p className="small muted">
                {r.pytest.passed} passed, {r.pytest.failed} failed, {r.pytest.errors} errors, {r.pytest.skipped} skipped, inside the container.
              </p>
            </>
          : <p className="small muted">pytest did not run{r.pytest.summary ? `: ${r.pytest.summary}` : '.'}</p>}
        </section>
      </div>

      {p.mismatches.length > 0 && (
        <div className="smoke__table">
          <H2 className="smoke__part-title">Golden examples that differ</H2>
          <Table caption="Golden examples that differ" columns={MISMATCH_COLUMNS} rows={p.mismatches} rowKey={(m, i) => `${m.endpoint}-${m.row}-${m.output}-${i}`} className="table--compact" />
          {p.mismatches.length >= 20 && <p className="small muted">The first 20 differences are shown.</p>}
        </div>
      )}

      {!r.malformedRejected && (
        <div className="smoke__table">
          <H2 className="smoke__part-title">Malformed requests</H2>
          <Table caption="Malformed requests and their answers" columns={MALFORMED_COLUMNS} rows={r.malformed} rowKey={(m, i) => `${m.case}-${m.endpoint}-${i}`} className="table--compact" />
        </div>
      )}

      {r.pytest.ran && r.pytest.exitCode !== 0 && r.pytest.output && (
        <details className="smoke__output" open>
          <summary>pytest output</summary>
          <pre className="smoke__pre" tabIndex={0}>
            {r.pytest.output}
          </pre>
        </details>
      )}

      {r.containerLogs && (
        <details className="smoke__output" open={!r.passed}>
          <summary>The container’s log</summary>
          <pre className="smoke__pre" tabIndex={0} aria-label="The container’s log">
            {r.containerLogs}
          </pre>
        </details>
      )}
    </section>
  );
}

const ms = (value: number | null) => (value === null ? '—' : `${formatNumber(value)} ms`);

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** ok or FAIL, with an icon and a word (never colour alone). */
export function OkBadge({ ok, okText = 'ok', failText = 'FAIL' }: { ok: boolean; okText?: string; failText?: string }) {
  return <Badge tone={ok ? 'success' : 'danger'}>{ok ? okText : failText}</Badge>;
}
