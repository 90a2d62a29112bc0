// One stored drift check: the dataset-level verdict first, then the features most severe first
// (select one to see its reference-vs-current chart), the model's predictions when the batch held
// them, the schema violations, and the hand-back of the batch for retraining.
import { useState } from 'react';
import type { DriftCheck, DriftFeature } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { VerdictBox } from '../../ui/VerdictBox.js';
import { formatBytes, formatCount, formatDuration, plural } from '../../ui/format.js';
import { IconCheckCircle, IconWarning } from '../../ui/icons.js';
import { Panel } from '../../ui/Panel.js';
import { Sha } from '../../ui/Sha.js';
import { Table, type TableColumn } from '../../ui/Table.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { datasetHref } from '../datasets/route.js';
import { bundleHref } from '../bundles/route.js';
import { formatShare, formatStat, verdictSentence, VIOLATION_LABELS } from './display.js';
import { FeatureDetail, FeatureVerdict, PsiValue, TestValue } from './FeatureDetail.js';
import { HandBack } from './HandBack.js';

export function CheckResult({ check }: { check: DriftCheck }) {
  // The most severe feature is the one to look at first.
  const [selected, setSelected] = useState<string | null>(check.features[0]?.name ?? null);
  const feature = check.features.find((f) => f.name === selected) ?? null;
  return (
    <div className="monitoring-stack drift-result" data-check={check.id} data-drift={check.drift}>
      <Verdict check={check} />

      <Panel
        headingId="drift-features-heading"
        title="Features"
        note={`${plural(check.features.length, 'model input')}, most severe first · select one to see its distribution`}
        className="drift-features-panel"
      >
        <FeatureTable features={check.features} selected={selected} onSelect={setSelected} />
        {feature && (
          <div className="monitoring-panel__body drift-features-panel__detail">
            <FeatureDetail key={`${check.id}:${feature.name}`} feature={feature} headingId="drift-feature-heading" title={feature.name} />
          </div>
        )}
      </Panel>

      {check.predictionDrift && (
        <Panel
          headingId="drift-prediction-heading"
          title="Predictions"
          note={`the model’s outputs (${check.predictionDrift.column}) against its golden predictions on ${formatCount(check.predictionDrift.reference.rows)} training rows`}
          className="drift-prediction-panel"
        >
          <div className="monitoring-panel__body">
            <FeatureDetail feature={check.predictionDrift} headingId="drift-prediction-detail-heading" title={`Prediction drift: ${check.predictionDrift.column}`} />
          </div>
        </Panel>
      )}

      <Panel
        headingId="drift-violations-heading"
        title="Schema violations"
        note={check.schemaViolations.length === 0 ? 'none: every column as in training' : plural(check.schemaViolations.length, 'violation')}
        className="drift-violations-panel"
      >
        {check.schemaViolations.length > 0 && (
          <ul className="drift-violations" aria-label="Schema violations">
            {check.schemaViolations.map((v, i) => (
              <li key={`${v.kind}:${v.column}:${i}`} className="drift-violation" data-kind={v.kind} data-column={v.column}>
                <div className="drift-violation__head">
                  <Badge tone={v.kind === 'missing-column' || v.kind === 'wrong-type' ? 'danger' : 'warning'}>{VIOLATION_LABELS[v.kind]}</Badge>
                  <code className="drift-violation__column">{v.column}</code>
                  <span className="muted small">{v.count === 1 ? '1 value' : `${formatCount(v.count)} values`}</span>
                </div>
                <p className="drift-violation__message">{v.message}</p>
                {v.examples.length > 0 && (
                  <p className="small muted">
                    For example:{' '}
                    {v.examples.map((e, j) => (
                      <span key={j}>
                        {j > 0 && ', '}
                        <code>{e}</code>
                      </span>
                    ))}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}

/** The dataset-level verdict, what was compared with what, and the hand-back. */
function Verdict({ check }: { check: DriftCheck }) {
  const ref = check.reference;
  return (
    <VerdictBox
      tone={check.drift ? 'danger' : 'success'}
      Icon={check.drift ? IconWarning : IconCheckCircle}
      headingId="drift-verdict-heading"
      state={check.drift ? 'drift' : 'no-drift'}
      className={cx('drift-verdict', check.drift ? 'drift-verdict--drift' : 'drift-verdict--ok')}
      text={
        <>
          <p className="verdict-box__eyebrow">Check {check.id}</p>
          <h2 id="drift-verdict-heading" className="drift-verdict__heading">
            {check.drift ? 'Drift' : 'No drift'}
          </h2>
          <p className="verdict-box__summary">
            {verdictSentence(check)}
            {check.drifted.length > 0 && <> Drifted: {check.drifted.join(', ')}.</>}
          </p>
          <p className="small muted">
            <Timestamp value={check.checkedAt} /> by {check.checkedBy} · {formatDuration(check.durationMs)} · {ref.model.name} v{ref.model.version} against{' '}
            {ref.source === 'bundle' && ref.bundle ?
              <>
                the reference of <a href={bundleHref(ref.bundle.name, { version: ref.bundle.version })}>bundle v{ref.bundle.version}</a>
              </>
            : <>the training profile</>}{' '}
            of <a href={datasetHref(ref.dataset.name, { version: ref.dataset.version })}>{ref.dataset.name} v{ref.dataset.version}</a> ({formatCount(ref.dataset.rows)} rows)
            {!ref.snapshot && ' · no training snapshot, so the tests are estimated from the profile'}
          </p>
        </>
      }
      aside={
        <p className="verdict-box__figure drift-verdict__share">
          <span className="verdict-box__number" data-testid="drift-share">
            {formatShare(check.share)}
          </span>
          <span className="small muted">of the features drifted</span>
          <span className="small muted">the batch drifts from {formatShare(check.thresholds.datasetShare)}</span>
        </p>
      }
    >
      <dl className="drift-verdict__facts">
        <div>
          <dt>Rows</dt>
          <dd>{formatCount(check.rows)}</dd>
        </div>
        <div>
          <dt>Malformed lines skipped</dt>
          <dd className={check.skipped > 0 ? 'drift-verdict__warn' : undefined}>{formatCount(check.skipped)}</dd>
        </div>
        <div>
          <dt>Features compared</dt>
          <dd>
            {check.checked} <span className="muted">of {check.features.length}</span>
          </dd>
        </div>
        <div>
          <dt>Batch</dt>
          <dd className="drift-verdict__batch">
            <span className="mono path-start-ellipsis" title={check.batch.path}>
              <bdi>{check.batch.path}</bdi>
            </span>
            <span className="muted small">
              {check.batch.format}
              {check.batch.files > 1 && ` · ${check.batch.files} files`} · {formatBytes(check.batch.bytes)} · <Sha value={check.batch.sha256} />
              {check.batch.hasTarget && ` · has the target ${ref.target ?? ''}`}
            </span>
          </dd>
        </div>
      </dl>

      {check.warnings.length > 0 && (
        <ul className="drift-verdict__warnings" aria-label="Warnings">
          {check.warnings.map((w, i) => (
            <li key={i}>
              <IconWarning size={14} /> {w}
            </li>
          ))}
        </ul>
      )}

      <HandBack check={check} />
    </VerdictBox>
  );
}

const COLUMNS = (selected: string | null, onSelect: (name: string) => void): TableColumn<DriftFeature>[] => [
  {
    key: 'name',
    header: 'Feature',
    rowHeader: true,
    cell: (f) => (
      <button type="button" className="drift-features__select" aria-pressed={f.name === selected} onClick={() => onSelect(f.name)} title={`Show the distribution of ${f.name}`}>
        {f.name}
      </button>
    ),
  },
  { key: 'kind', header: 'Kind', cell: (f) => f.kind, cellClassName: 'muted' },
  { key: 'psi', header: 'PSI', cell: (f) => <PsiValue feature={f} />, cellClassName: 'nowrap' },
  { key: 'js', header: 'JS', cell: (f) => formatStat(f.js), className: 'num' },
  { key: 'test', header: 'Test', cell: (f) => <TestValue feature={f} /> },
  { key: 'drifted', header: 'Drift', cell: (f) => <FeatureVerdict feature={f} /> },
  { key: 'reason', header: 'Why', cell: (f) => (f.skipped ? `Not compared: ${f.skipped}` : f.reason), cellClassName: 'drift-features__reason small' },
];

function FeatureTable({ features, selected, onSelect }: { features: DriftFeature[]; selected: string | null; onSelect: (name: string) => void }) {
  return (
    <Table
      caption="Features, most severe first"
      columns={COLUMNS(selected, onSelect)}
      rows={features}
      rowKey={(f) => f.name}
      className="drift-features"
      rowProps={(f) => ({ className: cx(f.name === selected && 'is-selected', f.drifted && 'is-drifted'), 'data-feature': f.name, 'data-drifted': String(f.drifted) })}
    />
  );
}
