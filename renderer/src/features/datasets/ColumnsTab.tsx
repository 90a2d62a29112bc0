import { Fragment, lazy, Suspense } from 'react';
import { QUANTILES, type ColumnProfile, type DatasetDetail } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { formatCount, formatPercent } from '../../ui/format.js';
import { IconChevronDown, IconChevronRight } from '../../ui/icons.js';
import { Spinner } from '../../ui/Spinner.js';
import { formatScalar, formatStat } from './display.js';

// The chart library is most of the renderer's weight: load it when a profile is first opened.
const HistogramChart = lazy(() => import('./charts.js').then((m) => ({ default: m.HistogramChart })));
const TopValuesChart = lazy(() => import('./charts.js').then((m) => ({ default: m.TopValuesChart })));

const profileId = (index: number) => `column-profile-${index}`;

/** The schema table; a column's row opens its profile below it. */
export function ColumnsTab({ detail, column, onSelectColumn }: { detail: DatasetDetail; column: string | null; onSelectColumn: (name: string | null) => void }) {
  const rows = detail.version.rows;
  return (
    <div className="table-wrap schema-table-wrap">
      <table className="table schema-table">
        <caption className="visually-hidden">Columns of {detail.name}, version {detail.version.version}. Select a column to see its profile.</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Type</th>
            <th scope="col" className="num">
              Nulls
            </th>
            <th scope="col" className="num">
              Distinct
            </th>
            <th scope="col" className="num">
              Min
            </th>
            <th scope="col" className="num">
              Max
            </th>
            <th scope="col" className="num">
              Mean
            </th>
            <th scope="col" className="num">
              Std
            </th>
          </tr>
        </thead>
        <tbody>
          {detail.columns.map((c, i) => {
            const open = c.name === column;
            return (
              <Fragment key={c.name}>
                <tr className={cx('schema-table__row', open && 'is-open')}>
                  <th scope="row">
                    <button
                      type="button"
                      className="schema-table__toggle"
                      aria-expanded={open}
                      aria-controls={open ? profileId(i) : undefined}
                      onClick={() => onSelectColumn(open ? null : c.name)}
                    >
                      {open ? <IconChevronDown /> : <IconChevronRight />}
                      <span className="schema-table__name">{c.name}</span>
                    </button>
                  </th>
                  <td>
                    <span className="type-tag mono">{c.type}</span>
                  </td>
                  <td className="num">
                    {c.nulls === 0 ? (
                      <span className="muted">0</span>
                    ) : (
                      <span title={`${formatCount(c.nulls)} of ${formatCount(rows)} rows`}>
                        {formatCount(c.nulls)} <span className="muted small">({formatPercent(c.nulls / Math.max(1, rows))})</span>
                      </span>
                    )}
                  </td>
                  <td className="num">{formatCount(c.distinct)}</td>
                  <td className="num cell-clip" title={formatScalar(c.min, c.kind)}>
                    {formatScalar(c.min, c.kind)}
                  </td>
                  <td className="num cell-clip" title={formatScalar(c.max, c.kind)}>
                    {formatScalar(c.max, c.kind)}
                  </td>
                  <td className="num">{formatStat(c.mean)}</td>
                  <td className="num">{formatStat(c.std)}</td>
                </tr>
                {open && (
                  <tr className="schema-table__profile-row">
                    <td colSpan={8} id={profileId(i)}>
                      <ColumnProfileView column={c} rows={rows} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const quantileLabel = (q: number) => `p${Math.round(q * 100)}`;

export function ColumnProfileView({ column: c, rows }: { column: ColumnProfile; rows: number }) {
  const nonNull = Math.max(0, rows - c.nulls);
  const quantiles = c.quantiles ? QUANTILES.map((q) => [q, c.quantiles![String(q)]] as const).filter(([, v]) => v !== undefined) : [];
  const hasHistogram = (c.histogram?.length ?? 0) > 0;
  const hasTop = (c.top?.length ?? 0) > 0;
  return (
    <section className="column-profile" aria-label={`Profile of ${c.name}`}>
      <div className="column-profile__facts">
        <h3 className="column-profile__title">
          {c.name} <Badge>{c.kind}</Badge>
        </h3>
        <dl className="details-list column-profile__list">
          <dt>Type</dt>
          <dd className="mono">{c.type}</dd>
          <dt>Values</dt>
          <dd>
            {formatCount(nonNull)} of {formatCount(rows)} rows
          </dd>
          <dt>Nulls</dt>
          <dd>
            {formatCount(c.nulls)} ({formatPercent(c.nulls / Math.max(1, rows))})
          </dd>
          <dt>Distinct</dt>
          <dd>
            {formatCount(c.distinct)}
            {nonNull > 0 && c.distinct === nonNull && <span className="muted"> · all unique</span>}
          </dd>
          <dt>{c.kind === 'text' ? 'First – last' : 'Range'}</dt>
          <dd>
            {formatScalar(c.min, c.kind)} – {formatScalar(c.max, c.kind)}
          </dd>
          {c.mean !== null && (
            <>
              <dt>Mean</dt>
              <dd>{formatStat(c.mean)}</dd>
              <dt>Std</dt>
              <dd>{formatStat(c.std)}</dd>
            </>
          )}
          {c.textLength && (
            <>
              <dt>Text length</dt>
              <dd>
                {formatCount(c.textLength.min)} – {formatCount(c.textLength.max)} characters
              </dd>
            </>
          )}
        </dl>
        {quantiles.length > 0 && (
          <table className="table table--compact quantiles">
            <caption className="column-profile__caption">Quantiles</caption>
            <thead>
              <tr>
                {quantiles.map(([q]) => (
                  <th key={q} scope="col" className="num">
                    {quantileLabel(q)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                {quantiles.map(([q, v]) => (
                  <td key={q} className="num">
                    {formatScalar(v, c.kind)}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        )}
      </div>
      <div className="column-profile__charts">
        <Suspense
          fallback={
            <p className="muted small loading-line">
              <Spinner /> Drawing the chart…
            </p>
          }
        >
          {hasHistogram && <HistogramChart column={c.name} kind={c.kind} bins={c.histogram!} />}
          {hasTop && <TopValuesChart column={c.name} kind={c.kind} top={c.top!} nonNull={nonNull} />}
        </Suspense>
        {!hasHistogram && !hasTop && <p className="muted column-profile__nochart">No chart: this column has no values to count.</p>}
      </div>
    </section>
  );
}
