import type { DatasetDetail } from '../../../../shared/contract/index.js';
import { formatCount } from '../../ui/format.js';
import { formatCell } from './display.js';

/** The first rows as read by the profiler; wide tables scroll sideways inside the panel. */
export function SampleTab({ detail }: { detail: DatasetDetail }) {
  const { columns, rows } = detail.sample;
  const types = new Map(detail.columns.map((c) => [c.name, c.type]));
  if (rows.length === 0) return <p className="panel__empty muted">No sample rows were kept for this version.</p>;
  return (
    <>
      <p className="tab-intro muted small">
        The first {formatCount(rows.length)} of {formatCount(detail.version.rows)} rows of version {detail.version.version}.
      </p>
      <div className="sample-scroll" tabIndex={0} role="region" aria-label="Sample rows, scrollable">
        <table className="table sample-table">
          <caption className="visually-hidden">
            First {rows.length} rows of {detail.name}
          </caption>
          <thead>
            <tr>
              <th scope="col" className="sample-table__index">
                #
              </th>
              {columns.map((c) => (
                <th key={c} scope="col">
                  <span className="sample-table__col">{c}</span>
                  {types.get(c) && <span className="sample-table__type mono">{types.get(c)}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                <td className="sample-table__index">{i + 1}</td>
                {columns.map((c, j) => {
                  const value = row[j];
                  const text = formatCell(value);
                  return (
                    <td key={c} className={typeof value === 'number' ? 'num' : undefined} title={text.length > 40 ? text : undefined}>
                      {value === null || value === undefined ? <span className="null-cell">null</span> : text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
