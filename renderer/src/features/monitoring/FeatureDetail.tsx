// One feature of a check (or the model's predictions) in full: why it drifted or not, its buckets in
// the reference and in the batch, the numbers behind the verdict, values outside the training range
// and values the reference does not list.
import type { DriftFeature } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { formatCount, formatNumber, plural } from '../../ui/format.js';
import { formatScalar } from '../datasets/display.js';
import { DriftChart } from './charts.js';
import { featureState, formatP, formatStat, PSI_BAND_DISPLAY, TEST_LABELS } from './display.js';

const isNumeric = (f: Pick<DriftFeature, 'kind'>) => f.kind === 'integer' || f.kind === 'number' || f.kind === 'date' || f.kind === 'timestamp';

export function FeatureVerdict({ feature: f }: { feature: DriftFeature }) {
  const state = featureState(f);
  return (
    <span className="drift-feature__verdict" data-drifted={f.drifted}>
      <Badge tone={state.tone}>{state.label}</Badge>
    </span>
  );
}

export function PsiValue({ feature: f }: { feature: Pick<DriftFeature, 'psi' | 'psiBand'> }) {
  if (f.psi === null) return <span className="muted">—</span>;
  return (
    <span className="drift-psi">
      <span className="num-value">{formatStat(f.psi)}</span>
      {f.psiBand && <Badge tone={PSI_BAND_DISPLAY[f.psiBand].tone}>{PSI_BAND_DISPLAY[f.psiBand].label}</Badge>}
    </span>
  );
}

export function TestValue({ feature: f }: { feature: Pick<DriftFeature, 'test' | 'pValue' | 'testBasis'> }) {
  if (!f.test) return <span className="muted">none</span>;
  return (
    <span className="nowrap" title={`${TEST_LABELS[f.test].long} test${f.testBasis === 'approximate' ? ', estimated from the reference profile' : ''}`}>
      {TEST_LABELS[f.test].short}
      {f.testBasis === 'approximate' ? '~' : ''} <span className="muted">p =</span> {formatP(f.pValue)}
    </span>
  );
}

export interface FeatureDetailProps {
  feature: DriftFeature;
  /** The heading's id (the section is named by it). */
  headingId: string;
  /** "age", or "Predictions (churned)". */
  title: string;
}

/** The chart of the selected feature with what is behind its verdict. */
export function FeatureDetail({ feature: f, headingId, title }: FeatureDetailProps) {
  const numeric = isNumeric(f);
  const outOfRange = f.belowRange + f.aboveRange;
  return (
    <section className="drift-feature" aria-labelledby={headingId} data-feature={f.name} data-drifted={f.drifted}>
      <div className="drift-feature__head">
        <h3 id={headingId} className="drift-feature__title">
          {title}
        </h3>
        <FeatureVerdict feature={f} />
        <span className="muted small">{f.kind}</span>
      </div>
      <p className="drift-feature__reason">{f.skipped ? `Not compared: ${f.skipped}` : f.reason}</p>

      <div className="drift-feature__body">
        {f.buckets.length > 0 ?
          <DriftChart feature={f} />
        : <p className="muted">No buckets to compare.</p>}

        <dl className="drift-feature__facts">
          <div>
            <dt>PSI</dt>
            <dd>
              <PsiValue feature={f} />
              {f.psiNoise !== null && <span className="muted small"> · sampling alone gives about {formatStat(f.psiNoise)}</span>}
            </dd>
          </div>
          <div>
            <dt>Jensen–Shannon</dt>
            <dd>{formatStat(f.js)}</dd>
          </div>
          <div>
            <dt>Test</dt>
            <dd>
              <TestValue feature={f} />
              {f.statistic !== null && <span className="muted small"> · statistic {formatStat(f.statistic)}</span>}
              {f.testNote && <span className="drift-feature__note small muted">{f.testNote}</span>}
            </dd>
          </div>
          <div>
            <dt>Values compared</dt>
            <dd>
              {formatCount(f.values)}
              <span className="muted small">
                {' '}
                · {plural(f.nulls, 'null')}
                {f.invalid > 0 && ` · ${formatCount(f.invalid)} of the wrong type`}
              </span>
            </dd>
          </div>
          {numeric && (
            <div>
              <dt>Batch range</dt>
              <dd>
                {formatScalar(f.current.min, f.kind)} – {formatScalar(f.current.max, f.kind)}
                {f.current.mean !== null && <span className="muted small"> · mean {formatNumber(f.current.mean)}</span>}
              </dd>
            </div>
          )}
          {numeric && (
            <div data-fact="out-of-range">
              <dt>Outside the training range</dt>
              <dd className={outOfRange > 0 ? 'drift-feature__warn' : undefined}>
                {outOfRange === 0 ?
                  'none'
                : <>
                    {formatCount(f.belowRange)} below the minimum · {formatCount(f.aboveRange)} above the maximum
                  </>
                }
              </dd>
            </div>
          )}
          {(f.unlisted.length > 0 || (!numeric && f.unlistedAreNew)) && (
            <div data-fact="unlisted">
              <dt>{f.unlistedAreNew ? 'New categories' : 'Values the reference does not list'}</dt>
              <dd>
                {f.unlisted.length === 0 ?
                  'none'
                : <ul className="drift-feature__unlisted" aria-label={`${f.unlistedAreNew ? 'New categories' : 'Unlisted values'} of ${f.name}`}>
                    {f.unlisted.map((u) => (
                      <li key={u.value}>
                        <code>{u.value || '(empty)'}</code> <span className="muted">×{formatCount(u.count)}</span>
                      </li>
                    ))}
                  </ul>
                }
              </dd>
            </div>
          )}
        </dl>
      </div>
    </section>
  );
}
