import type { ReadinessGate } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { GATE_DISPLAY, gateState } from './display.js';
import { EvidenceList, type FileHref } from './Evidence.js';

export interface GateListProps {
  gates: readonly ReadinessGate[];
  /** The list's accessible name. */
  label: string;
  fileHref: FileHref;
  /** Offer "Override…" on a failing gate. */
  onOverride?: (gate: ReadinessGate) => void;
  className?: string;
}

/** Hand-off gates: passed, failed or overridden, with the evidence, what to do, and who overrode it why. */
export function GateList({ gates, label, fileHref, onOverride, className }: GateListProps) {
  return (
    <ul className={cx('readiness-gates', className)} aria-label={label}>
      {gates.map((g) => {
        const state = gateState(g);
        return (
          <li key={g.id} className={cx('readiness-gate', `readiness-gate--${state}`)} data-gate={g.id} data-state={state} tabIndex={-1}>
            <div className="readiness-gate__head">
              <Badge tone={GATE_DISPLAY[state].tone}>{GATE_DISPLAY[state].label}</Badge>
              <span className="readiness-gate__title">{g.title}</span>
              <span className="readiness-gate__id mono small muted">{g.id}</span>
              {state === 'failed' && onOverride && (
                <Button size="sm" className="readiness-gate__action" onClick={() => onOverride(g)} aria-label={`Override the gate “${g.title}”…`}>
                  Override…
                </Button>
              )}
            </div>
            <EvidenceList evidence={g.evidence} fileHref={fileHref} />
            {g.remedy && state === 'failed' && (
              <p className="readiness-remedy">
                <span className="readiness-remedy__label">What to do</span> {g.remedy}
              </p>
            )}
            {g.override && (
              <p className="readiness-override">
                <span className="readiness-remedy__label">Overridden</span> by {g.override.by}, <Timestamp value={g.override.at} />: <q>{g.override.reason}</q>
                {g.remedy && <span className="muted"> Still to fix: {g.remedy}</span>}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
