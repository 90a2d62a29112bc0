import { useEffect, useId, useRef, useState } from 'react';
import type { DockerStatus as EngineStatus } from '../../../../shared/contract/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { cx } from '../../ui/cx.js';
import { formatTimestamp } from '../../ui/format.js';
import { IconRefresh } from '../../ui/icons.js';
import { Spinner } from '../../ui/Spinner.js';

const engineName = (status: EngineStatus) => (/podman/i.test(status.product) ? 'Podman' : 'Docker');

/** Distribution builds append metadata ("20.10.24+dfsg1"); the header shows the release only. */
const releaseVersion = (version: string) => version.replace(/[+~].*$/, '');

export const dockerLabel = (status: EngineStatus) => `${engineName(status)} ${releaseVersion(status.version)} · API ${status.apiVersion}`;

/** Engines report a product name such as "Docker Engine - Community", or only "Engine". */
const productName = (status: EngineStatus) =>
  status.product && !/^engine$/i.test(status.product.trim()) ? status.product : `${engineName(status)} Engine`;

/** The container engine indicator in the header, with details and "Check again" in a popover. */
export function DockerStatus() {
  const docker = useAppStore((s) => s.docker);
  const checkDocker = useAppStore((s) => s.checkDocker);
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (docker.state === 'unknown') void checkDocker();
  }, [docker.state, checkDocker]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        triggerRef.current?.focus();
      }
    };
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const checking = docker.state === 'checking';
  const firstCheck = checking && !docker.checkedAt;
  const available = docker.status !== null && docker.state !== 'unavailable';
  const label = firstCheck || docker.state === 'unknown' ? 'Checking Docker…' : docker.status ? dockerLabel(docker.status) : 'Docker unavailable';
  const tone = firstCheck || docker.state === 'unknown' ? 'checking' : available ? 'ok' : 'down';
  const tooltip = docker.error ? `${docker.error.message} ${docker.error.remedy}` : docker.status ? `Engine at ${docker.status.endpoint}` : undefined;

  return (
    <div className="docker-status" ref={rootRef}>
      <button
        ref={triggerRef}
        type="button"
        className={cx('docker-status__trigger', `docker-status__trigger--${tone}`)}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`Container engine: ${label}`}
        title={tooltip}
        data-state={tone}
        onClick={() => setOpen((o) => !o)}
      >
        {tone === 'checking' ? <Spinner /> : <span className="status-dot" aria-hidden="true" />}
        <span className="docker-status__label">{label}</span>
      </button>
      {open && (
        <div id={panelId} className="popover docker-status__panel" role="dialog" aria-label="Container engine">
          {docker.status && (
            <dl className="details-list">
              <dt>Engine</dt>
              <dd>{productName(docker.status)}</dd>
              <dt>Version</dt>
              <dd>
                {docker.status.version} (API {docker.status.apiVersion})
              </dd>
              <dt>Platform</dt>
              <dd>
                {docker.status.os}/{docker.status.arch}
              </dd>
              <dt>Endpoint</dt>
              <dd className="mono">{docker.status.endpoint}</dd>
            </dl>
          )}
          {docker.error && (
            <div className="docker-status__error">
              <p className="docker-status__message">{docker.error.message}</p>
              <p className="muted">{docker.error.remedy}</p>
            </div>
          )}
          {!docker.status && !docker.error && <p className="muted">Looking for a container engine…</p>}
          <div className="popover__footer">
            <span className="muted small" aria-live="polite">
              {checking ? 'Checking…' : docker.checkedAt ? `Checked at ${formatTimestamp(docker.checkedAt)}` : ''}
            </span>
            <Button size="sm" onClick={() => void checkDocker()} busy={checking}>
              {!checking && <IconRefresh />}
              Check again
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
