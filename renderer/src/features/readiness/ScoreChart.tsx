// The score per section as a bar chart (recharts): the final score is the lowest section, so its
// bar is the one marked and a line across the chart stands at it. Colours come from the theme (CSS).
import { useId } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, Rectangle, ReferenceLine, Tooltip, XAxis, YAxis, type BarShapeProps, type TooltipContentProps } from 'recharts';
import type { ReadinessReport, ReadinessSection } from '../../../../shared/contract/index.js';
import { READINESS_SECTIONS } from '../../../../shared/contract/index.js';
import { cx } from '../../ui/cx.js';
import { TooltipBox } from '../datasets/charts.js';
import { bandRange, formatPoints, SECTION_LABELS, SECTION_MAX_POINTS } from './display.js';

interface Datum {
  section: ReadinessSection;
  label: string;
  points: number;
  weakest: boolean;
}

const TICK = { fill: 'var(--text-muted)', fontSize: 11.5 };

function SectionTooltip({ active, payload }: TooltipContentProps) {
  const d = active ? (payload?.[0]?.payload as Datum | undefined) : undefined;
  if (!d) return null;
  return (
    <TooltipBox label={d.label}>
      {formatPoints(d.points)} <span className="muted">of {SECTION_MAX_POINTS} points{d.weakest ? ' · the final score' : ''}</span>
    </TooltipBox>
  );
}

/** The weakest section's bar is drawn in the highlight colour (CSS: .readiness-chart__bar--weakest). */
function SectionBar(props: BarShapeProps) {
  const d = props.payload as Datum;
  return <Rectangle {...props} className={cx('readiness-chart__bar', d.weakest && 'readiness-chart__bar--weakest')} />;
}

export function ScoreChart({ report }: { report: ReadinessReport }) {
  const titleId = useId();
  const { score } = report;
  const data: Datum[] = READINESS_SECTIONS.map((s) => ({ section: s, label: SECTION_LABELS[s], points: score[s], weakest: score[s] === score.final }));
  const weakest = data.filter((d) => d.weakest).map((d) => d.label);
  const title = 'Score per section';
  const summary = `${data.map((d) => `${d.label} ${formatPoints(d.points)}`).join(', ')} of ${SECTION_MAX_POINTS} points each. The final score is the lowest, ${formatPoints(score.final)} (${weakest.join(' and ')}): ${score.band.label}.`;

  return (
    <div className="readiness-score">
      <figure className="chart readiness-chart" aria-labelledby={titleId} data-chart="readiness-score">
        <figcaption id={titleId} className="chart__title">
          {title}
          <span className="chart__subtitle muted"> · points of {SECTION_MAX_POINTS}, the final score marked</span>
        </figcaption>
        <div className="chart__plot">
          <BarChart responsive style={{ width: '100%', height: 220 }} data={data} title={title} desc={summary} barCategoryGap="28%" margin={{ top: 18, right: 56, bottom: 0, left: 0 }}>
            <CartesianGrid vertical={false} className="chart__grid" />
            <XAxis dataKey="label" tick={TICK} tickLine={false} height={24} interval={0} />
            <YAxis tick={TICK} domain={[0, SECTION_MAX_POINTS]} ticks={[0, 1, 2, 3, 4, 5, 6, 7]} tickLine={false} axisLine={false} width={28} allowDecimals={false} />
            <Tooltip content={SectionTooltip} cursor={{ className: 'chart__cursor' }} isAnimationActive={false} />
            <Bar dataKey="points" name="Points" fill="currentColor" isAnimationActive={false} radius={[3, 3, 0, 0]} minPointSize={2} shape={SectionBar}>
              <LabelList dataKey="points" position="top" offset={6} className="readiness-chart__value" formatter={(v) => formatPoints(Number(v))} />
            </Bar>
            <ReferenceLine
              y={score.final}
              className="readiness-chart__final"
              strokeDasharray="4 3"
              ifOverflow="extendDomain"
              label={{ value: `final ${formatPoints(score.final)}`, position: 'right', className: 'readiness-chart__final-label' }}
            />
          </BarChart>
        </div>
      </figure>

      <div className="readiness-score__facts">
        <p className="readiness-score__final">
          <span className="readiness-score__number" data-testid="final-score">
            {formatPoints(score.final)}
          </span>
          <span className="readiness-score__of muted">final score · the lowest section</span>
        </p>
        <p className="readiness-score__band">
          <span className="readiness-score__band-label">{score.band.label}</span> <span className="muted small">· the rubric’s reading of a {bandRange(score.band.range)}</span>
        </p>
        <dl className="readiness-score__sections">
          {data.map((d) => (
            <div key={d.section} className={cx(d.weakest && 'is-weakest')} data-section={d.section}>
              <dt>{d.label}</dt>
              <dd>
                {formatPoints(d.points)}
                <span className="muted"> / {SECTION_MAX_POINTS}</span>
              </dd>
            </div>
          ))}
        </dl>
        <p className="small muted readiness-score__rubric">
          The ML Test Score (Breck et al., 2017): one point per test Greenhouse runs itself, half a point per test a person attests; the final score is the minimum
          of the four sections.
        </p>
      </div>
    </div>
  );
}
