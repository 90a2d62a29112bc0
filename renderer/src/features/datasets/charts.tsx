// Profile charts drawn with recharts. Colours come from the theme's CSS variables (app.css,
// .chart rules), so both themes work; every chart has a title and its numbers as a table.
import { useId, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { ColumnKind, HistogramBin, Scalar } from '../../../../shared/contract/index.js';
import { ChartNumbers } from '../../ui/ChartNumbers.js';
import { formatCompact, formatCount, formatPercent } from '../../ui/format.js';
import { binLabel, binTick, formatScalar } from './display.js';

interface Datum {
  tick: string;
  label: string;
  count: number;
  share: number;
}

/** What a chart's tooltip shows of the datum under the pointer: its label, then its numbers. */
export function TooltipBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip__label">{label}</p>
      <p className="chart-tooltip__value">{children}</p>
    </div>
  );
}

function ChartTooltip({ active, payload }: TooltipContentProps) {
  const datum = active ? (payload?.[0]?.payload as Datum | undefined) : undefined;
  if (!datum) return null;
  return (
    <TooltipBox label={datum.label}>
      {formatCount(datum.count)} <span className="muted">rows · {formatPercent(datum.share)}</span>
    </TooltipBox>
  );
}

function NumbersTable({ caption, head, data }: { caption: string; head: string; data: Datum[] }) {
  return (
    <ChartNumbers
      caption={caption}
      columns={[{ label: head }, { label: 'Rows', numeric: true }, { label: 'Share', numeric: true }]}
      rows={() =>
        data.map((d) => (
          <tr key={d.label}>
            <td>{d.label}</td>
            <td className="num">{formatCount(d.count)}</td>
            <td className="num">{formatPercent(d.share)}</td>
          </tr>
        ))
      }
    />
  );
}

/** Axis labels in the theme's muted text colour (recharts writes tick colours inline). */
const TICK = { fill: 'var(--text-muted)', fontSize: 11.5 };

export interface HorizontalBarsProps<D extends { tick: string }> {
  /** A bar a datum, top to bottom, named by its tick. */
  data: D[];
  title: string;
  /** The chart's description for assistive technology. */
  summary: string;
  /** Which number of a datum the bar shows, and its name in the tooltip. */
  bar: { dataKey: string; name: string };
  tickFormatter: (value: number) => string;
  allowDecimals?: boolean;
  /** Room for the category labels, px. */
  tickWidth: number;
  tooltip: (props: TooltipContentProps) => ReactNode;
}

/** Bars that grow rightwards, a category a row (the most frequent values, feature importances). */
export function HorizontalBars<D extends { tick: string }>({ data, title, summary, bar, tickFormatter, allowDecimals = true, tickWidth, tooltip }: HorizontalBarsProps<D>) {
  return (
    <div className="chart__plot">
      <BarChart
        responsive
        layout="vertical"
        style={{ width: '100%', height: Math.max(120, data.length * 26 + 36) }}
        data={data}
        title={title}
        desc={summary}
        barCategoryGap={4}
        margin={{ top: 4, right: 16, bottom: 0, left: 0 }}
      >
        <CartesianGrid horizontal={false} className="chart__grid" />
        <XAxis type="number" tick={TICK} tickFormatter={tickFormatter} tickLine={false} height={24} allowDecimals={allowDecimals} />
        <YAxis type="category" dataKey="tick" tick={TICK} tickLine={false} axisLine={false} width={tickWidth} interval={0} />
        <Tooltip content={tooltip} cursor={{ className: 'chart__cursor' }} isAnimationActive={false} />
        <Bar dataKey={bar.dataKey} name={bar.name} fill="currentColor" isAnimationActive={false} radius={[0, 2, 2, 0]} />
      </BarChart>
    </div>
  );
}

const total = (counts: { count: number }[]) => counts.reduce((s, c) => s + c.count, 0);

export function HistogramChart({ column, kind, bins }: { column: string; kind: ColumnKind; bins: HistogramBin[] }) {
  const titleId = useId();
  const sum = Math.max(1, total(bins));
  const data: Datum[] = bins.map((b) => ({ tick: binTick(b.lower, kind), label: binLabel(b, kind), count: b.count, share: b.count / sum }));
  const title = `Distribution of ${column}`;
  const first = bins[0];
  const last = bins[bins.length - 1];
  const summary =
    first && last
      ? `Histogram of ${column}: ${bins.length} bins from ${formatScalar(first.lower, kind)} to ${formatScalar(last.upper, kind)}. ` +
        `The fullest bin is ${data.reduce((a, b) => (b.count > a.count ? b : a)).label} with ${formatCount(Math.max(...bins.map((b) => b.count)))} rows.`
      : `Histogram of ${column}: no values.`;
  return (
    <figure className="chart" aria-labelledby={titleId} data-chart="histogram">
      <figcaption id={titleId} className="chart__title">
        {title}
      </figcaption>
      <div className="chart__plot">
        <BarChart responsive style={{ width: '100%', height: 220 }} data={data} title={title} desc={summary} barCategoryGap={1} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid vertical={false} className="chart__grid" />
          <XAxis dataKey="tick" tick={TICK} tickLine={false} interval="preserveStartEnd" minTickGap={16} height={24} />
          <YAxis tick={TICK} tickFormatter={(v: number) => formatCompact(v)} tickLine={false} axisLine={false} width={44} allowDecimals={false} />
          <Tooltip content={ChartTooltip} cursor={{ className: 'chart__cursor' }} isAnimationActive={false} />
          <Bar dataKey="count" name="Rows" fill="currentColor" isAnimationActive={false} radius={[2, 2, 0, 0]} />
        </BarChart>
      </div>
      <NumbersTable caption={title} head="Range" data={data} />
    </figure>
  );
}

export function TopValuesChart({
  column,
  kind,
  top,
  nonNull,
}: {
  column: string;
  kind: ColumnKind;
  top: { value: Scalar; count: number }[];
  /** Rows with a value, for the shares. */
  nonNull: number;
}) {
  const titleId = useId();
  const sum = Math.max(1, nonNull);
  const data: Datum[] = top.map((t) => {
    const label = formatScalar(t.value, kind) || '(empty)';
    return { tick: label.length > 18 ? `${label.slice(0, 17)}…` : label, label, count: t.count, share: t.count / sum };
  });
  const covered = total(top) / sum;
  const title = `Most frequent values of ${column}`;
  const summary = `${title}: ${data
    .slice(0, 5)
    .map((d) => `${d.label} ${formatCount(d.count)}`)
    .join(', ')}${data.length > 5 ? ', …' : ''}. Together ${formatPercent(covered)} of the rows with a value.`;
  return (
    <figure className="chart" aria-labelledby={titleId} data-chart="top-values">
      <figcaption id={titleId} className="chart__title">
        {title}
        <span className="chart__subtitle muted">
          {' '}
          · the top {top.length} cover {formatPercent(Math.min(1, covered))} of non-null rows
        </span>
      </figcaption>
      <HorizontalBars
        data={data}
        title={title}
        summary={summary}
        bar={{ dataKey: 'count', name: 'Rows' }}
        tickFormatter={(v) => formatCompact(v)}
        allowDecimals={false}
        tickWidth={132}
        tooltip={ChartTooltip}
      />
      <NumbersTable caption={title} head="Value" data={data} />
    </figure>
  );
}
