import { useId } from 'react';
import type { Job, ScanResult } from '../../../../shared/contract/index.js';
import type { AppErrorData } from '../../../../shared/result.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { CheckboxField, TextAreaField } from '../../ui/Field.js';
import { ProgressBar } from '../../ui/ProgressBar.js';
import { ScanFindingsTable, ScanGlobalsTable, ScanVerdict } from './ScanReport.js';

/** The minimum a reason to load an unsafe file must say (the contract's rule). */
export const MIN_OVERRIDE_REASON = 10;

export type ScanPhase = 'idle' | 'starting' | 'running' | 'done' | 'failed';

export interface ScanState {
  phase: ScanPhase;
  job: Job | undefined;
  /** The result, once the scan succeeded. */
  scan: ScanResult | null;
  /** Why the scan could not start, or why its job failed. */
  error: AppErrorData | null;
}

export interface ScanPanelProps {
  state: ScanState;
  /** A path to scan is entered. */
  canScan: boolean;
  onScan: () => void;
  onCancel: () => void;
  /** "Load anyway" for an unsafe file, with the reason that goes to the audit log. */
  override: boolean;
  reason: string;
  onOverride: (override: boolean) => void;
  onReason: (reason: string) => void;
  /** Said when Register was pressed without a sufficient override. */
  overrideError: string | null;
}

/** The static scan of the chosen file, before anything loads it: progress, verdict, findings, and the override. */
export function ScanPanel({ state, canScan, onScan, onCancel, override, reason, onOverride, onReason, overrideError }: ScanPanelProps) {
  const headingId = useId();
  const { phase, job, scan, error } = state;
  const reasonLength = reason.trim().length;
  return (
    <section className="scan-panel inset-box" aria-labelledby={headingId} data-phase={phase}>
      <div className="scan-panel__head">
        <h3 id={headingId} className="form-section__title">
          Scan
        </h3>
        {(phase === 'idle' || phase === 'done' || phase === 'failed') && (
          <Button size="sm" onClick={onScan} disabled={!canScan}>
            {phase === 'idle' ? 'Scan the file' : 'Scan again'}
          </Button>
        )}
      </div>
      {phase === 'idle' && (
        <p className="muted small">Greenhouse reads the file without loading it and lists every piece of code it would import. Registering scans it first.</p>
      )}
      {(phase === 'starting' || phase === 'running') && (
        <div className="scan-panel__progress">
          <ProgressBar value={job?.progress ?? null} label="Scan progress" />
          <span className="muted small" aria-live="polite">
            {job?.message || 'Scanning…'}
          </span>
          <Button size="sm" variant="ghost" onClick={onCancel} disabled={!job} aria-label="Cancel the scan">
            Cancel
          </Button>
        </div>
      )}
      {phase === 'failed' && error && <ErrorBanner error={error} title="The scan failed" />}
      {phase === 'done' && scan && (
        <div className="scan-panel__result">
          <ScanVerdict scan={scan} />
          {scan.findings.length > 0 && <ScanFindingsTable findings={scan.findings} />}
          <details className="scan-panel__globals">
            <summary>
              The {scan.globals.length} import{scan.globals.length === 1 ? '' : 's'} it would load
            </summary>
            <ScanGlobalsTable globals={scan.globals} />
          </details>
          {!scan.safe && (
            <div className="scan-override" role="group" aria-label="Override the scan">
              <p className="scan-override__blocked">
                Registration is blocked: registering loads the model, and loading this file would run the code above. Ask for a clean export (or
                ONNX). Only if you trust the file completely:
              </p>
              <CheckboxField label="Load anyway" checked={override} onChange={(e) => onOverride(e.target.checked)} hint="The override and your reason are kept in the audit log and shown on the model's page." />
              {override && (
                <TextAreaField
                  label="Why is it safe to load?"
                  name="override-reason"
                  value={reason}
                  rows={2}
                  onChange={(e) => onReason(e.target.value)}
                  hint={`At least ${MIN_OVERRIDE_REASON} characters${reasonLength > 0 && reasonLength < MIN_OVERRIDE_REASON ? ` (${MIN_OVERRIDE_REASON - reasonLength} more)` : ''}.`}
                  error={overrideError}
                />
              )}
              {!override && overrideError && <p className="field__error">{overrideError}</p>}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
