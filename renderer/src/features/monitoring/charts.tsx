// The drift charts (recharts): one feature's buckets, the training reference beside the batch, and
// a model's checks over time. Colours come from the theme through CSS classes (monitoring.css); each
// chart has a title, a description for assistive technology and its numbers as a table.
import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { DriftBucket, DriftCheckSummary, DriftFeature } from '../../../../shared/contract/index.js';
import { ChartNumbers } from '../../ui/ChartNumbers.js';
import { cx } from '../../ui/cx.js';
import { formatCount, formatPercent, formatTimestamp } from '../../ui/format.js';
import { TooltipBox } from '../datasets/charts.js';
import { bucketLabel, bucketTick, formatShare } from './display.js';

/** Axis labels in the theme's muted text colour (recharts writes tick colours inline). */
const TICK = { fill: 'var(--text-muted)', fontSize: 11.5 };

interface BucketDatum {
  tick: string;
  label: string;
  kind: DriftBucket['kind'];
  reference: number;
  current: number;
  referenceCount: number;
  currentCount: number;
}

/** The special buckets are drawn only when one side has something in them; the table lists them all. */
const drawn = (b: DriftBucket) => (b.kind !== 'null' && b.kind !== 'other') || b.reference > 0 || b.current > 0;

function BucketTooltip({ active, payload }: TooltipContentProps) {
  const d = active ? (payload?.[0]?.payload as BucketDatum | undefined) : undefined;
  if (!d) return null;
  return (
    <TooltipBox label={d.label}>
      <span className="drift-swatch drift-swatch--reference" aria-hidden="true" /> Reference {formatPercent(d.reference)}{' '}
      <span className="muted">({formatCount(d.referenceCount)})</span>
      <br />
      <span className="drift-swatch drift-swatch--current" aria-hidden="true" /> Current {formatPercent(d.current)} <span className="muted">({formatCount(d.currentCount)})</span>
    </TooltipBox>
  );
}

/** Which colour is which; the bars' own legend would not follow the theme. */
export function DriftLegend({ drifted }: { drifted: boolean }) {
  return (
    <p className={cx('drift-legend small', drifted && 'is-drifted')} aria-hidden="true">
      <span>
        <span className="drift-swatch drift-swatch--reference" /> Reference (training)
      </span>
      <span>
        <span className="drift-swatch drift-swatch--current" /> Current (batch)
      </span>
    </p>
  );
}

const BUCKET_COLUMNS = [{ label: 'Bucket' }, { label: 'Reference', numeric: true }, { label: 'Share', numeric: true }, { label: 'Current', numeric: true }, { label: 'Share', numeric: true }];

function BucketTable({ caption, buckets }: { caption: string; buckets: DriftBucket[] }) {
  return (
    <ChartNumbers
      caption={caption}
      className="drift-bucket-table"
      columns={BUCKET_COLUMNS}
      rows={() =>
        buckets.map((b) => (
          <tr key={`${b.kind}:${b.label}`} data-bucket={b.kind}>
            <th scope="row" className={cx(b.kind === 'bin' && 'mono')}>
              {bucketLabel(b)}
            </th>
            <td className="num">{formatCount(b.reference)}</td>
            <td className="num">{formatPercent(b.referenceShare)}</td>
            <td className="num">{formatCount(b.current)}</td>
            <td className="num">{formatPercent(b.currentShare)}</td>
          </tr>
        ))
      }
    />
  );
}

/** Round shares for the axis: steps of 5, 10 or 20 percent up to the fullest bucket. */
function roundTicks(max: number): number[] {
  const step = max <= 0.2 ? 0.05 : max <= 0.5 ? 0.1 : 0.2;
  const top = Math.min(1, Math.max(step, Math.ceil(max / step - 1e-9) * step));
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + 1e-9; i++) ticks.push(Math.round(i * step * 100) / 100);
  return ticks;
}

/** The biggest move between the two sides, for the description. */
function biggestMove(data: BucketDatum[]): BucketDatum | null {
  return data.reduce<BucketDatum | null>((a, d) => (!a || Math.abs(d.current - d.reference) > Math.abs(a.current - a.reference) ? d : a), null);
}

/** One feature's distribution in the training reference and in the batch, bucket by bucket (histogram bins or categories). */
export function DriftChart({ feature }: { feature: Pick<DriftFeature, 'name' | 'kind' | 'buckets' | 'drifted'> }) {
  const titleId = useId();
  const { name, kind, buckets } = feature;
  const shown = buckets.filter(drawn);
  const binned = shown.some((b) => b.kind === 'bin');
  const data: BucketDatum[] = shown.map((b) => ({
    tick: bucketTick(b, kind),
    label: bucketLabel(b),
    kind: b.kind,
    reference: b.referenceShare,
    current: b.currentShare,
    referenceCount: b.reference,
    currentCount: b.current,
  }));
  const title = `Reference vs current: ${name}`;
  const shareTicks = roundTicks(Math.max(0, ...data.map((d) => Math.max(d.reference, d.current))));
  const move = biggestMove(data);
  const summary =
    `${binned ? 'Histogram' : 'Category shares'} of ${name} in the training reference and in the batch, ${plainCount(shown.length, binned ? 'bin' : 'bucket')}.` +
    (move ? ` The biggest change is ${move.label}: ${formatPercent(move.reference)} of the reference, ${formatPercent(move.current)} of the batch.` : '');
  return (
    <figure className="chart drift-chart" aria-labelledby={titleId} data-chart="drift-buckets" data-feature={name}>
      <figcaption id={titleId} className="chart__title">
        {title}
        <span className="chart__subtitle muted"> · share of values per {binned ? 'bin' : 'category'}</span>
      </figcaption>
      <DriftLegend drifted={feature.drifted} />
      <div className={cx('chart__plot', feature.drifted && 'is-drifted')}>
        <BarChart responsive style={{ width: '100%', height: 240 }} data={data} title={title} desc={summary} barCategoryGap={binned ? '12%' : '24%'} barGap={1} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} className="chart__grid" />
          <XAxis dataKey="tick" tick={TICK} tickLine={false} interval={binned ? 'preserveStartEnd' : 0} minTickGap={10} height={24} />
          <YAxis tick={TICK} domain={[0, shareTicks.at(-1)!]} ticks={shareTicks} tickFormatter={(v: number) => formatPercent(v)} tickLine={false} axisLine={false} width={44} />
          <Tooltip content={BucketTooltip} cursor={{ className: 'chart__cursor' }} isAnimationActive={false} />
          <Bar dataKey="reference" name="Reference" className="drift-chart__reference" fill="currentColor" isAnimationActive={false} radius={[2, 2, 0, 0]} />
          <Bar dataKey="current" name="Current" className="drift-chart__current" fill="currentColor" isAnimationActive={false} radius={[2, 2, 0, 0]} />
        </BarChart>
      </div>
      <BucketTable caption={title} buckets={buckets} />
    </figure>
  );
}

const plainCount = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

interface HistoryDatum {
  id: number;
  tick: string;
  when: string;
  share: number;
  drift: boolean;
  drifted: number;
  checked: number;
  version: number;
}

function HistoryTooltip({ active, payload }: TooltipContentProps) {
  const d = active ? (payload?.[0]?.payload as HistoryDatum | undefined) : undefined;
  if (!d) return null;
  return (
    <TooltipBox label={`Check ${d.id} · ${d.when}`}>
      {d.drift ? 'Drift' : 'No drift'}: {d.drifted} of {d.checked} features ({formatPercent(d.share)}) <span className="muted">· v{d.version}</span>
    </TooltipBox>
  );
}

interface DotProps {
  cx?: number;
  cy?: number;
  payload?: HistoryDatum;
}

/** A check on the line: filled in the danger colour when the batch drifted. */
function HistoryDot({ cx: x, cy: y, payload }: DotProps) {
  if (x === undefined || y === undefined || !payload) return null;
  return <circle cx={x} cy={y} r={payload.drift ? 5 : 4} className={cx('drift-history__dot', payload.drift && 'drift-history__dot--drift')} data-check={payload.id} />;
}

/** A model's checks, oldest to newest: the share of features that drifted, drifted checks marked, the dataset threshold as a line. */
export function HistoryChart({ checks, threshold }: { checks: readonly DriftCheckSummary[]; threshold: number }) {
  const titleId = useId();
  const data: HistoryDatum[] = [...checks].reverse().map((c) => ({
    id: c.id,
    tick: formatTimestamp(c.checkedAt),
    when: formatTimestamp(c.checkedAt),
    share: c.share ?? 0,
    drift: c.drift,
    drifted: c.drifted.length,
    checked: c.checked,
    version: c.model.version,
  }));
  const drifts = data.filter((d) => d.drift).length;
  const title = 'Share of features drifted per check';
  const summary = `${plainCount(data.length, 'check')}, oldest first: ${data.map((d) => `${formatPercent(d.share)}${d.drift ? ' (drift)' : ''}`).join(', ')}. ${drifts} of them drifted; a batch drifts at ${formatShare(threshold)}.`;
  return (
    <figure className="chart drift-history" aria-labelledby={titleId} data-chart="drift-history">
      <figcaption id={titleId} className="chart__title">
        {title}
        <span className="chart__subtitle muted"> · drifted checks marked; a batch drifts from the dashed line ({formatShare(threshold)})</span>
      </figcaption>
      <div className="chart__plot">
        <LineChart responsive style={{ width: '100%', height: 180 }} data={data} title={title} desc={summary} margin={{ top: 12, right: 44, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} className="chart__grid" />
          <XAxis dataKey="tick" tick={TICK} tickLine={false} interval="preserveStartEnd" minTickGap={24} height={24} padding={{ left: 16, right: 16 }} />
          <YAxis tick={TICK} domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={(v: number) => formatPercent(v)} tickLine={false} axisLine={false} width={44} />
          <Tooltip content={HistoryTooltip} cursor={{ className: 'drift-history__cursor' }} isAnimationActive={false} />
          <ReferenceLine
            y={threshold}
            className="drift-history__threshold"
            strokeDasharray="4 3"
            label={{ value: 'drift', position: 'right', className: 'drift-history__threshold-label' }}
          />
          <Line dataKey="share" name="Share drifted" className="drift-history__line" stroke="currentColor" strokeWidth={2} isAnimationActive={false} dot={HistoryDot} activeDot={false} />
        </LineChart>
      </div>
    </figure>
  );
}
