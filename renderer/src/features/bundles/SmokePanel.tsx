import type { BundleDetail } from '../../../../shared/contract/index.js';
import { smokeOutcome } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { ErrorBanner } from '../../ui/ErrorBanner.js';
import { IconPlay, IconRefresh } from '../../ui/icons.js';
import { Panel } from '../../ui/Panel.js';
import { JobLog } from './JobLog.js';
import { JobProgress } from '../shared/JobProgress.js';
import { SmokeResults } from './SmokeResults.js';
import { useBundleOp } from './use-bundle-op.js';

/**
 * Run the built image and check it (readiness, metadata, golden parity, malformed input,
 * latency, metrics, pytest, shutdown), then the results; the last results when nothing runs.
 */
export function SmokePanel({ detail }: { detail: BundleDetail }) {
  const smokeTestBundle = useAppStore((s) => s.smokeTestBundle);
  const dismiss = useAppStore((s) => s.dismissBundleOp);
  const { name, version } = detail;
  const op = useBundleOp(name, version, 'smoke');
  const fresh = smokeOutcome(op.job);
  // The last result recorded is of the image as it is now; a result of this session comes first.
  const result = fresh ?? (op.running ? null : detail.lastSmokeTest);
  const run = () => void smokeTestBundle(name, version);

  return (
      <Panel
        headingId={`smoke-${name}-${version}`}
        title="Smoke test"
        note={detail.image ? `runs ${detail.imageTag} on this machine, then removes it` : undefined}
        aside={
          <div className="panel__aside">
            <Button variant={result ? 'secondary' : 'primary'} size="sm" onClick={run} busy={op.starting} disabled={op.running || !detail.image}>
              {result ? <IconRefresh /> : <IconPlay />}
              {result ? 'Run again' : 'Run the smoke test'}
            </Button>
          </div>
        }
      >
        <div className="bundle-panel__body">
          {!detail.image && <p className="muted">Build the image first: the smoke test starts a container from it.</p>}
          {detail.image && !result && !op.start && (
            <p className="muted">
              Starts the image on loopback, waits for it to be ready, replays every golden example through /predict and the V2 endpoint, sends malformed
              requests, times single-row requests, scrapes /metrics, runs the generated tests inside the container and stops it.
            </p>
          )}
          {op.running && <JobProgress job={op.job} label="Smoke test" cancelLabel="Cancel the smoke test" />}
          {op.failure && (
            <ErrorBanner
              className="bundle-error"
              title={op.failure.code === 'DOCKER_UNAVAILABLE' ? 'No container engine' : 'The smoke test could not run'}
              error={op.failure}
              onDismiss={() => dismiss(name, version, 'smoke')}
            />
          )}
          {op.cancelled && <p className="muted small">The smoke test was cancelled; its container was removed.</p>}
          {op.start?.jobId && (op.running || !fresh) && (op.log?.lines.length ?? 0) > 0 && (
            <JobLog lines={op.log!.lines} dropped={op.log!.dropped} label="Smoke test log" live={op.running} className="bundle-smoke__log" />
          )}
          {result && <SmokeResults result={result} />}
        </div>
      </Panel>
  );
}
