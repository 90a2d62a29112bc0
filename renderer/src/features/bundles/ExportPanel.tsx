import { useState } from 'react';
import type { BundleDetail, BundleExport } from '../../../../shared/contract/index.js';
import { exportOutcome, verifyOutcome } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { CheckboxField } from '../../ui/Field.js';
import { formatBytes } from '../../ui/format.js';
import { IconShieldCheck, IconUpload } from '../../ui/icons.js';
import { Panel } from '../../ui/Panel.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { GateRefusal } from '../readiness/GateRefusal.js';
import { shortImageId } from './display.js';
import { JobLog } from './JobLog.js';
import { JobProgress } from '../shared/JobProgress.js';
import { useBundleOp } from './use-bundle-op.js';
import { VerifyReport } from './VerifyReport.js';

/** Export the bundle as one deterministic archive (optionally with its image), then verify the archive as its receiver would. */
export function ExportPanel({ detail }: { detail: BundleDetail }) {
  const exportBundle = useAppStore((s) => s.exportBundle);
  const verifyBundle = useAppStore((s) => s.verifyBundle);
  const dismiss = useAppStore((s) => s.dismissBundleOp);
  const { name, version } = detail;
  const exporting = useBundleOp(name, version, 'export');
  const verifying = useBundleOp(name, version, 'verify');
  // As the last export was made, so that exporting again gives the same archive.
  const [includeImage, setIncludeImage] = useState(() => detail.lastExport?.includesImage ?? false);
  const archive = exportOutcome(exporting.job) ?? (exporting.running ? null : detail.lastExport);
  const verified = verifyOutcome(verifying.job);
  const withImage = includeImage && detail.image !== null;

  return (
    <div className="bundle-stack">
      <Panel headingId={`export-${name}-${version}`} title="Export" note="one .tar.gz that another team can verify and run" className="bundle-export">
        <div className="bundle-panel__body">
          <form
            className="bundle-export__form"
            onSubmit={(e) => {
              e.preventDefault();
              void exportBundle(name, version, withImage);
            }}
          >
            <CheckboxField
              label="Include the image"
              checked={withImage}
              disabled={!detail.image}
              onChange={(e) => setIncludeImage(e.target.checked)}
              hint={
                detail.image ?
                  `Adds ${detail.imageTag} (${detail.image.bytes !== null ? formatBytes(detail.image.bytes) : 'docker save'}) as image.tar, for a machine without a registry; verifying then reruns its smoke test.`
                : 'There is no image to include: the bundle exports as its build context, which the receiver builds.'
              }
            />
            <Button type="submit" variant={archive ? 'secondary' : 'primary'} busy={exporting.starting} disabled={exporting.running}>
              <IconUpload />
              {archive ? 'Export again' : 'Export'}
            </Button>
          </form>
          {exporting.running && <JobProgress job={exporting.job} label="Export" cancelLabel="Cancel the export" />}
          {exporting.failure?.code === 'GATE_FAILED' ?
            <GateRefusal name={name} version={version} error={exporting.failure} onExportAnyway={(reason) => exportBundle(name, version, withImage, reason)} onDismiss={() => dismiss(name, version, 'export')} />
          : exporting.failure && <ErrorBanner className="bundle-error" title="The export failed" error={exporting.failure} onDismiss={() => dismiss(name, version, 'export')} />}
          {exporting.cancelled && <p className="muted small">The export was cancelled; no archive was written.</p>}
          {archive && <ArchiveFacts archive={archive} />}
        </div>
      </Panel>

      {archive && (
        <Panel
          headingId={`verify-${name}-${version}`}
          title="Verify"
          note="every hash, the signature and, with the image included, a rerun of the smoke test"
          className="bundle-verify"
          aside={
            <div className="panel__aside">
              <Button size="sm" variant={verified ? 'secondary' : 'primary'} onClick={() => void verifyBundle(name, version, archive.archive)} busy={verifying.starting} disabled={verifying.running || exporting.running}>
                <IconShieldCheck />
                {verified ? 'Verify again' : 'Verify'}
              </Button>
            </div>
          }
        >
          <div className="bundle-panel__body">
            {!verifying.start && <p className="muted">Checks the archive as its receiver would, with only the archive: the manifest’s hashes and sizes, no missing or extra files, and the signature.</p>}
            {verifying.running && <JobProgress job={verifying.job} label="Verification" cancelLabel="Cancel the verification" />}
            {verifying.running && (verifying.log?.lines.length ?? 0) > 0 && (
              <JobLog lines={verifying.log!.lines} dropped={verifying.log!.dropped} label="Verification log" live className="bundle-verify__log" />
            )}
            {verifying.failure && <ErrorBanner className="bundle-error" title="Verification could not run" error={verifying.failure} onDismiss={() => dismiss(name, version, 'verify')} />}
            {verified && <VerifyReport result={verified} />}
          </div>
        </Panel>
      )}
    </div>
  );
}

/** Where the archive is, how big, and its hash. */
export function ArchiveFacts({ archive }: { archive: BundleExport }) {
  return (
    <div role="group" aria-label="The archive" className="bundle-archive">
      <dl className="bundle-kv">
        <div>
          <dt>Archive</dt>
          <dd className="sha-line">
            <bdi className="mono bundle-archive__path" title={archive.archive}>
              {archive.archive}
            </bdi>
            <CopyButton value={archive.archive} label="Copy the archive’s path" />
          </dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{formatBytes(archive.bytes)}</dd>
        </div>
        <div>
          <dt>SHA-256</dt>
          <dd className="sha-line">
            <code className="sha bundle-archive__sha" title={archive.sha256}>
              {archive.sha256}
            </code>
            <CopyButton value={archive.sha256} label="Copy the archive’s SHA-256" />
          </dd>
        </div>
        <div>
          <dt>Image</dt>
          <dd>{archive.includesImage ? <Badge tone="info">included{archive.imageId ? ` · ${shortImageId(archive.imageId)}` : ''}</Badge> : <span className="muted">not included</span>}</dd>
        </div>
        <div>
          <dt>Exported</dt>
          <dd>
            <Timestamp value={archive.at} />
          </dd>
        </div>
      </dl>
    </div>
  );
}
