import { REPORT_FORMATS } from '../../../../shared/contract/index.js';
import { selectReportWrite, type ReportFormat } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { formatBytes } from '../../ui/format.js';
import { IconFile } from '../../ui/icons.js';

const FORMAT_LABELS: Record<ReportFormat, { label: string; what: string }> = {
  html: { label: 'HTML', what: 'the self-contained report, readable offline and printable' },
  pdf: { label: 'PDF', what: 'the report printed to PDF' },
  json: { label: 'JSON', what: 'readiness.json, for CI gates' },
};

/** Write the readiness report into the bundle folder, as HTML, PDF or JSON, and say where it went. */
export function ReportActions({ name, version }: { name: string; version: number }) {
  const write = useAppStore((s) => s.writeReadinessReport);
  return (
    <div className="readiness-report" role="group" aria-label="Report">
      <div className="readiness-report__buttons">
        <span className="small muted">Write the report:</span>
        {REPORT_FORMATS.map((f) => (
          <WriteButton key={f} name={name} version={version} format={f} onWrite={() => void write(name, version, f)} />
        ))}
      </div>
      {REPORT_FORMATS.map((f) => (
        <Written key={f} name={name} version={version} format={f} />
      ))}
    </div>
  );
}

function WriteButton({ name, version, format, onWrite }: { name: string; version: number; format: ReportFormat; onWrite: () => void }) {
  const state = useAppStore((s) => selectReportWrite(s, name, version, format));
  return (
    <Button size="sm" onClick={onWrite} busy={state?.state === 'writing'} title={`Write ${FORMAT_LABELS[format].what}`} aria-label={`Write the ${FORMAT_LABELS[format].label} report`}>
      <IconFile size={14} />
      {FORMAT_LABELS[format].label}
    </Button>
  );
}

function Written({ name, version, format }: { name: string; version: number; format: ReportFormat }) {
  const state = useAppStore((s) => selectReportWrite(s, name, version, format));
  const dismiss = useAppStore((s) => s.writeReadinessReport);
  if (!state) return null;
  if (state.state === 'failed' && state.error) {
    return (
      <ErrorBanner
        className="readiness-report__error"
        title={`The ${FORMAT_LABELS[format].label} report was not written`}
        error={state.error}
        actions={
          <Button size="sm" onClick={() => void dismiss(name, version, format)}>
            Try again
          </Button>
        }
      />
    );
  }
  if (!state.written) return null;
  return (
    <p className="readiness-report__written" data-format={format} role="status">
      <span className="readiness-report__format">{FORMAT_LABELS[format].label}</span>
      <bdi className="mono readiness-report__path" title={state.written.path}>
        {state.written.path}
      </bdi>
      <CopyButton value={state.written.path} label={`Copy the ${FORMAT_LABELS[format].label} report’s path`} />
      <span className="small muted">{formatBytes(state.written.bytes)}</span>
    </p>
  );
}
