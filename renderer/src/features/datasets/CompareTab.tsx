import { useEffect, useId } from 'react';
import type { ColumnShift, DatasetDetail, DatasetDiff } from '../../../../shared/contract/index.js';
import { psiBand } from '../../../../shared/stats/psi.js';
import { diffKey } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { formatCount, formatNumber, formatPercent, plural } from '../../ui/format.js';
import { IconGitCompare } from '../../ui/icons.js';
import { Spinner } from '../../ui/Spinner.js';
import { formatPsi, formatStat, PSI_TONES } from './display.js';

/** The pair compared by default: the two newest versions. */
export function defaultPair(detail: DatasetDetail): { from: number; to: number } | null {
  const numbers = detail.versions.map((v) => v.version).sort((a, b) => a - b);
  if (numbers.length < 2) return null;
  return { from: numbers[numbers.length - 2]!, to: numbers[numbers.length - 1]! };
}

export interface CompareTabProps {
  detail: DatasetDetail;
  pair: { from: number; to: number } | null;
  onChange: (pair: { from: number; to: number }) => void;
}

export function CompareTab({ detail, pair: requested, onChange }: CompareTabProps) {
  const pair = requested ?? defaultPair(detail);
  const loadDiff = useAppStore((s) => s.loadDatasetDiff);
  const status = useAppStore((s) => s.datasetDiffStatus);
  const error = useAppStore((s) => s.datasetDiffError);
  const diff = useAppStore((s) => (pair && s.datasetDiff?.key === diffKey(detail.name, pair.from, pair.to) ? s.datasetDiff.value : null));
  const fromId = useId();
  const toId = useId();

  const from = pair?.from;
  const to = pair?.to;
  useEffect(() => {
    if (from !== undefined && to !== undefined && from !== to) void loadDiff(detail.name, from, to);
  }, [detail.name, from, to, loadDiff]);

  if (!pair) {
    return (
      <EmptyState icon={<IconGitCompare size={26} />} title="Nothing to compare yet" className="empty-state--inline">
        <p>
          {detail.name} has one version. Register a changed file under the same name and its schema and statistics are compared with this one
          here.
        </p>
      </EmptyState>
    );
  }

  const versions = [...detail.versions].sort((a, b) => a.version - b.version);
  return (
    <div className="compare">
      <div className="compare__pickers">
        <label htmlFor={fromId} className="field__label">
          From
        </label>
        <select id={fromId} className="select" value={pair.from} onChange={(e) => onChange({ from: Number(e.target.value), to: pair.to })}>
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              Version {v.version}
            </option>
          ))}
        </select>
        <span aria-hidden="true" className="compare__arrow">
          →
        </span>
        <label htmlFor={toId} className="field__label">
          To
        </label>
        <select id={toId} className="select" value={pair.to} onChange={(e) => onChange({ from: pair.from, to: Number(e.target.value) })}>
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              Version {v.version}
            </option>
          ))}
        </select>
        <Button size="sm" variant="ghost" onClick={() => onChange({ from: pair.to, to: pair.from })} title="Swap the two versions">
          Swap
        </Button>
        {status === 'loading' && (
          <span className="muted small compare__loading">
            <Spinner /> Comparing…
          </span>
        )}
      </div>
      {pair.from === pair.to && <p className="muted">Pick two different versions.</p>}
      {error && (
        <ErrorBanner
          error={error}
          title="Could not compare the versions"
          actions={
            <Button size="sm" onClick={() => void loadDiff(detail.name, pair.from, pair.to)}>
              Try again
            </Button>
          }
        />
      )}
      {diff && <DiffView diff={diff} />}
    </div>
  );
}

function change(from: number, to: number): string {
  if (from === to) return 'no change';
  if (from === 0) return 'new';
  const pct = ((to - from) / from) * 100;
  return `${pct > 0 ? '+' : ''}${Math.abs(pct) < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
}

export function DiffView({ diff }: { diff: DatasetDiff }) {
  const schemaChanges = diff.added.length + diff.removed.length + diff.retyped.length;
  const shifted = diff.shifts.filter((s) => s.psi !== null && s.psi >= 0.1).length;
  return (
    <div className="diff" aria-label={`Changes from version ${diff.from} to version ${diff.to}`} role="region">
      <div className="diff__summary">
        <div className="stat-card inset-box">
          <span className="stat-card__label">Rows</span>
          <span className="stat-card__value">
            {formatCount(diff.rows.from)} → {formatCount(diff.rows.to)}
          </span>
          <span className={cx('stat-card__note', diff.rows.to !== diff.rows.from && 'stat-card__note--changed')}>{change(diff.rows.from, diff.rows.to)}</span>
        </div>
        <div className="stat-card inset-box">
          <span className="stat-card__label">Schema</span>
          <span className="stat-card__value">{schemaChanges === 0 ? 'unchanged' : plural(schemaChanges, 'change')}</span>
          <span className="stat-card__note">
            {diff.added.length} added · {diff.removed.length} removed · {diff.retyped.length} retyped
          </span>
        </div>
        <div className="stat-card inset-box">
          <span className="stat-card__label">Distribution shifts</span>
          <span className="stat-card__value">{shifted === 0 ? 'none' : plural(shifted, 'column')}</span>
          <span className="stat-card__note">PSI of 0.1 or more</span>
        </div>
      </div>

      {schemaChanges > 0 && (
        <section className="diff__section" aria-labelledby="schema-changes-heading">
          <h3 id="schema-changes-heading" className="diff__heading">
            Schema changes
          </h3>
          <ul className="schema-changes">
            {diff.added.map((c) => (
              <li key={`+${c.name}`} className="schema-change schema-change--added">
                <Badge tone="success">added</Badge>
                <span className="schema-change__name">{c.name}</span>
                <code className="type-tag">{c.type}</code>
              </li>
            ))}
            {diff.removed.map((c) => (
              <li key={`-${c.name}`} className="schema-change schema-change--removed">
                <Badge tone="danger">removed</Badge>
                <span className="schema-change__name">{c.name}</span>
                <code className="type-tag">{c.type}</code>
              </li>
            ))}
            {diff.retyped.map((c) => (
              <li key={`~${c.name}`} className="schema-change schema-change--retyped">
                <Badge tone="warning">retyped</Badge>
                <span className="schema-change__name">{c.name}</span>
                <code className="type-tag">{c.from}</code> → <code className="type-tag">{c.to}</code>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="diff__section" aria-labelledby="shifts-heading">
        <h3 id="shifts-heading" className="diff__heading">
          Column statistics
        </h3>
        <p className="muted small diff__legend">
          Population stability index (PSI) of each column in version {diff.to} against version {diff.from}: below 0.1 stable, 0.1 to 0.25 a moderate
          shift, above 0.25 a major shift. Largest first.
        </p>
        {diff.shifts.length === 0 ? (
          <p className="muted">No column is in both versions.</p>
        ) : (
          <div className="table-wrap">
            <table className="table shifts-table">
              <caption className="visually-hidden">
                Shifts per column from version {diff.from} to version {diff.to}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col" className="num">
                    Null rate
                  </th>
                  <th scope="col" className="num">
                    Mean
                  </th>
                  <th scope="col" className="num">
                    Std
                  </th>
                  <th scope="col" className="num">
                    PSI
                  </th>
                </tr>
              </thead>
              <tbody>
                {diff.shifts.map((s) => (
                  <ShiftRow key={s.name} shift={s} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function FromTo({ from, to, format }: { from: number | null; to: number | null; format: (v: number | null) => string }) {
  if (from === null && to === null) return <span className="muted">—</span>;
  const same = from === to || (from !== null && to !== null && format(from) === format(to));
  return same ? (
    <span className="muted">{format(to)}</span>
  ) : (
    <span className="from-to">
      <span className="from-to__from">{format(from)}</span>
      <span aria-label="to" className="from-to__arrow">
        →
      </span>
      <span className="from-to__to">{format(to)}</span>
    </span>
  );
}

function ShiftRow({ shift: s }: { shift: ColumnShift }) {
  const band = s.psi === null ? null : psiBand(s.psi);
  return (
    <tr data-column={s.name}>
      <th scope="row">
        <span className="shifts-table__name">{s.name}</span> <span className="muted small">{s.kind}</span>
      </th>
      <td className="num">
        <FromTo from={s.nullRate.from} to={s.nullRate.to} format={(v) => (v === null ? '—' : formatPercent(v))} />
      </td>
      <td className="num">
        <FromTo from={s.mean.from} to={s.mean.to} format={formatStat} />
      </td>
      <td className="num">
        <FromTo from={s.std.from} to={s.std.to} format={formatStat} />
      </td>
      <td className="num">
        {s.psi === null || band === null ? (
          <span className="muted" title="Not comparable (different kinds, or no bins or frequent values)">
            n/a
          </span>
        ) : (
          <span className="psi-cell">
            <span className="psi-value" title={formatNumber(s.psi)}>
              {formatPsi(s.psi)}
            </span>
            <Badge tone={PSI_TONES[band]}>{band}</Badge>
          </span>
        )}
      </td>
    </tr>
  );
}
