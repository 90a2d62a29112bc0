import { useState } from 'react';
import type { AppErrorData } from '../../../../shared/result.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { plural } from '../../ui/format.js';
import { IconAlert, IconX } from '../../ui/icons.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { bundleHref } from '../bundles/route.js';
import { blockingGates } from './display.js';
import { bundleFileHref } from './Evidence.js';
import { GateList } from './GateList.js';
import { ReasonDialog } from './ReasonDialog.js';
import './readiness.css';
import { useReadiness } from './use-readiness.js';

export interface GateRefusalProps {
  name: string;
  version: number;
  /** The GATE_FAILED refusal of the export. */
  error: AppErrorData;
  /** Export again, overriding each failing gate with this reason; answers whether the export started. */
  onExportAnyway: (reason: string) => Promise<boolean>;
  onDismiss: () => void;
}

/** An export refused because hand-off gates fail: which, what to do about each, and "Export anyway…" with a recorded reason. */
export function GateRefusal({ name, version, error, onExportAnyway, onDismiss }: GateRefusalProps) {
  // The refusal names the gates (details); the report says what each found and what to do.
  const { report } = useReadiness(name, version);
  const user = useAppStore((s) => s.appInfo?.user ?? null);
  const [asking, setAsking] = useState(false);
  const failing = report ? blockingGates(report) : [];
  const ids = Array.isArray(error.details) ? (error.details as unknown[]).filter((d): d is string => typeof d === 'string') : [];
  const count = report ? failing.length : ids.length;

  return (
    <div className="readiness-refusal" role="alert" data-code={error.code}>
      <div className="readiness-refusal__head">
        <IconAlert className="readiness-refusal__icon" />
        <div className="readiness-refusal__text">
          <p className="readiness-refusal__title">Not exported: {count > 0 ? `${plural(count, 'hand-off gate')} ${count === 1 ? 'fails' : 'fail'}` : 'hand-off gates fail'}</p>
          <p className="small">Fix what each gate names and export again, or export anyway with a reason: each failing gate is then overridden, and the override is recorded.</p>
        </div>
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          <IconX />
        </button>
      </div>
      {report ?
        failing.length > 0 ?
          <GateList gates={failing} label="Failing hand-off gates" fileHref={bundleFileHref(name, version)} className="readiness-refusal__gates" />
        : <p className="small">The gates pass now (they were evaluated again): export again.</p>
      : ids.length > 0 ?
        <>
          <p className="small mono">{ids.join(', ')}</p>
          <LoadingLine>Reading what each gate found…</LoadingLine>
        </>
      : <p className="small">{error.message}</p>}
      <div className="readiness-refusal__actions">
        <a className="btn btn--sm" href={bundleHref(name, { version, tab: 'readiness' })}>
          Open the readiness checklist
        </a>
        <Button size="sm" variant="danger" onClick={() => setAsking(true)}>
          Export anyway…
        </Button>
      </div>
      {asking && (
        <ReasonDialog
          title="Export past failing gates"
          description={`${name} v${version}`}
          label="Reason"
          placeholder="Why this bundle may leave although the gates fail, e.g. operations build the image themselves."
          minLength={10}
          submitLabel="Export anyway"
          submitVariant="danger"
          hint={
            <>
              At least 10 characters. Each failing gate is overridden with this reason, recorded{user ? ` as ${user}` : ''} with the time in the audit log and in the readiness report
              inside the archive, so whoever receives the bundle sees it.
            </>
          }
          onSubmit={async (reason) => {
            await onExportAnyway(reason);
            // Whether it started or was refused again, the export panel says so.
            return { ok: true, value: null };
          }}
          onClose={() => setAsking(false)}
        >
          {failing.length > 0 && <p>{failing.length === 1 ? 'This gate fails and will be overridden:' : 'These gates fail and will be overridden:'}</p>}
          {failing.length > 0 && (
            <ul className="readiness-refusal__list">
              {failing.map((g) => (
                <li key={g.id}>{g.title}</li>
              ))}
            </ul>
          )}
        </ReasonDialog>
      )}
    </div>
  );
}
