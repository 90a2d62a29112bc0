import type { BundleDetail } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { formatBytes, formatDuration } from '../../ui/format.js';
import { IconPlay, IconRefresh } from '../../ui/icons.js';
import { Panel } from '../../ui/Panel.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { shortImageId } from './display.js';
import { JobLog } from './JobLog.js';
import { JobProgress } from '../shared/JobProgress.js';
import { useBundleOp } from './use-bundle-op.js';

export interface BuildPanelProps {
  detail: BundleDetail;
  /** The wizard: go on to export without an image when no container engine answers. */
  onSkipToExport?: () => void;
  /** The plan found no container engine when the wizard opened. */
  dockerAvailable?: boolean;
}

/**
 * The bundle's image: build or rebuild it with a live log, progress (the step fraction) and
 * Cancel; the last build's state and log tail; a failure with the step it failed at and what to do.
 */
export function BuildPanel({ detail, onSkipToExport, dockerAvailable = true }: BuildPanelProps) {
  const buildBundle = useAppStore((s) => s.buildBundle);
  const dismiss = useAppStore((s) => s.dismissBundleOp);
  const { name, version } = detail;
  const op = useBundleOp(name, version, 'build');
  const last = detail.lastBuild;
  const noEngine = op.failure?.code === 'DOCKER_UNAVAILABLE';
  const build = () => void buildBundle(name, version);

  // The log to show: this session's build (live or just finished), else the last build's tail.
  const sessionLog = op.start?.jobId ? op.log : undefined;
  const showSession = op.start !== null && !op.start.error;
  const lines = showSession ? (sessionLog?.lines ?? []) : (last?.logTail ?? []);

  return (
    <Panel
      headingId={`build-${name}-${version}`}
      title="Image build"
      note={detail.imageTag}
      className="bundle-build"
      aside={
        <div className="panel__aside">
          <Button variant={detail.image ? 'secondary' : 'primary'} size="sm" onClick={build} busy={op.starting} disabled={op.running}>
            {detail.image || last ? <IconRefresh /> : <IconPlay />}
            {detail.image || last ? 'Rebuild' : 'Build the image'}
          </Button>
        </div>
      }
    >
      <div className="bundle-panel__body">
        {!dockerAvailable && !op.start && !detail.image && (
          <ErrorBanner
            className="bundle-error"
            title="No container engine answered"
            error={{ message: 'The image is built by a container engine (Docker, Podman, Colima…), and none answered when the wizard opened.', remedy: 'Start Docker, or set DOCKER_HOST, then build; or go on and export the bundle without an image.' }}
            actions={onSkipToExport && <SkipButton onClick={onSkipToExport} />}
          />
        )}

        {op.running ?
          <JobProgress job={op.job} label="Build" cancelLabel="Cancel the build" />
        : <BuildState detail={detail} />}

        {op.failure && (
          <ErrorBanner
            className="bundle-error"
            title={noEngine ? 'No container engine' : op.job?.state === 'interrupted' ? 'The build was interrupted' : 'The build failed'}
            error={op.failure}
            onDismiss={() => dismiss(name, version, 'build')}
            actions={
              <>
                <Button size="sm" onClick={build}>
                  {noEngine ? 'Check again' : 'Build again'}
                </Button>
                {noEngine && onSkipToExport && <SkipButton onClick={onSkipToExport} />}
              </>
            }
          />
        )}
        {!showSession && last?.state === 'failed' && last.error && (
          <ErrorBanner className="bundle-error" title="The last build failed" error={{ message: last.error, remedy: 'Fix what the failing step printed (the log below ends with it), then rebuild.' }} />
        )}
        {op.cancelled && <p className="muted small">The build was cancelled; nothing was kept.</p>}

        {(op.running || lines.length > 0) && (
          <JobLog
            lines={lines}
            dropped={showSession ? sessionLog?.dropped : 0}
            label="Build log"
            live={op.running}
            empty="Waiting for the engine’s first line…"
            className="bundle-build__log"
          />
        )}
        {!op.running && !showSession && last && lines.length > 0 && <p className="small muted">The last {lines.length} lines of the build on <Timestamp value={last.at} />.</p>}
      </div>
    </Panel>
  );
}

function SkipButton({ onClick }: { onClick: () => void }) {
  return (
    <Button size="sm" variant="ghost" onClick={onClick}>
      Continue to export without an image
    </Button>
  );
}

/** The image as it is now, and how the last build went. */
function BuildState({ detail }: { detail: BundleDetail }) {
  const image = detail.image;
  const last = detail.lastBuild;
  if (!image && !last) {
    return (
      <p className="muted bundle-build__none">
        Not built yet. Building sends the bundle’s folder to the container engine, which runs the Dockerfile step by step; its output appears here as it comes.
      </p>
    );
  }
  return (
    <dl className="bundle-facts" data-build={last?.state ?? 'none'}>
      <div>
        <dt>Image</dt>
        <dd>
          {image ?
            <span className="sha-line">
              <code className="sha" title={image.id}>
                {shortImageId(image.id)}
              </code>
              <CopyButton value={image.id} label="Copy the image id" />
            </span>
          : <span className="muted">none</span>}
        </dd>
      </div>
      <div>
        <dt>Size</dt>
        <dd>{image?.bytes != null ? formatBytes(image.bytes) : '—'}</dd>
      </div>
      <div>
        <dt>Last build</dt>
        <dd>
          {last ?
            <>
              <Badge tone={last.state === 'succeeded' ? 'success' : 'danger'}>{last.state}</Badge> <Timestamp value={last.at} />
              {last.durationMs !== null && <span className="muted"> · {formatDuration(last.durationMs)}</span>}
            </>
          : <span className="muted">none</span>}
        </dd>
      </div>
      {last?.manifestOk === false && (
        <div className="bundle-facts__wide">
          <dt>Manifest</dt>
          <dd>
            <Badge tone="warning">changed</Badge> <span className="muted">The bundle’s files no longer matched its signed manifest when it was built.</span>
          </dd>
        </div>
      )}
    </dl>
  );
}
