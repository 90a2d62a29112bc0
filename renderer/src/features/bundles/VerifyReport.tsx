import { useId } from 'react';
import type { BundleVerifyResult } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { plural, shortSha } from '../../ui/format.js';
import { IconCheckCircle, IconXCircle } from '../../ui/icons.js';
import { Table, type TableColumn } from '../../ui/Table.js';
import { OkBadge, SmokeResults } from './SmokeResults.js';

const CHECK_NAMES: Record<string, string> = {
  archive: 'Archive',
  manifest: 'Manifest',
  signature: 'Signature',
  'signature.trusted': 'Signing key',
  files: 'Files',
  'files.unlisted': 'No unlisted files',
  reviews: 'Reviews',
  readiness: 'Readiness',
  image: 'Image',
  rerun: 'Smoke test rerun',
};

type FileMismatch = BundleVerifyResult['files']['mismatched'][number];

const MISMATCH_COLUMNS: TableColumn<FileMismatch>[] = [
  { key: 'path', header: 'File', cell: (m) => m.path, rowHeader: true, cellClassName: 'mono' },
  { key: 'reason', header: 'Problem', cell: (m) => m.reason },
  { key: 'expected', header: 'Manifest says', cell: (m) => `${shortSha(m.expected.sha256)} · ${m.expected.bytes} B`, cellClassName: 'mono nowrap' },
  { key: 'actual', header: 'Found', cell: (m) => `${m.actual.sha256 ? shortSha(m.actual.sha256) : '—'} · ${m.actual.bytes} B`, cellClassName: 'mono nowrap' },
];

const RERUN_DISPLAY = {
  passed: { label: 'passed', tone: 'success' },
  failed: { label: 'failed', tone: 'danger' },
  skipped: { label: 'skipped', tone: 'neutral' },
} as const;

/** What verifying a bundle folder or archive found: each check, the files that differ, the signature, and the rerun of the smoke test. */
export function VerifyReport({ result: r }: { result: BundleVerifyResult }) {
  const id = useId();
  const rerun = RERUN_DISPLAY[r.rerun.state];
  return (
    <section className="verify" aria-labelledby={`${id}-title`} data-ok={r.ok}>
      <div className={cx('smoke__verdict', r.ok ? 'smoke__verdict--passed' : 'smoke__verdict--failed')}>
        {r.ok ? <IconCheckCircle size={22} /> : <IconXCircle size={22} />}
        <div className="smoke__verdict-text">
          <h3 id={`${id}-title`} className="smoke__title">
            {r.ok ? 'Verified' : 'Did not verify'}
          </h3>
          <p className="small muted verify__source">
            {r.source.kind === 'archive' ? 'Archive' : 'Folder'} <bdi className="mono">{r.source.path}</bdi>
            {r.bundle && (
              <>
                {' '}
                · {r.bundle.name} v{r.bundle.version}, written by {r.bundle.createdBy}
              </>
            )}
          </p>
        </div>
        <span className="smoke__count small">{plural(r.files.checked, 'file')} checked</span>
      </div>

      <ul className="smoke__checks" aria-label="Verification checks">
        {r.checks.map((c) => (
          <li key={c.id} className={cx('smoke__check', !c.ok && 'smoke__check--failed')} data-check={c.id} data-ok={c.ok}>
            <OkBadge ok={c.ok} />
            <span className="smoke__check-name">{CHECK_NAMES[c.id] ?? c.id}</span>
            <span className="smoke__check-message">
              {c.message}
              {!c.ok && c.remedy && <span className="verify__remedy">{c.remedy}</span>}
            </span>
          </li>
        ))}
      </ul>

      <dl className="smoke__facts verify__facts">
        <div>
          <dt>Signature</dt>
          <dd>
            <OkBadge ok={r.signature.ok} okText="valid" failText="invalid" />{' '}
            {r.signature.fingerprint && <code className="sha">{r.signature.fingerprint}</code>}
            {r.signature.trusted === false && <span className="muted"> (key not known here)</span>}
          </dd>
        </div>
        <div>
          <dt>Image</dt>
          <dd>
            {r.image.present ?
              <OkBadge ok={r.image.ok !== false} okText="included" failText="damaged" />
            : <Badge>not included</Badge>}{' '}
            <span className="muted">{r.image.message}</span>
          </dd>
        </div>
        <div>
          <dt>Rerun</dt>
          <dd data-rerun={r.rerun.state}>
            <Badge tone={rerun.tone}>{rerun.label}</Badge> <span className="muted">{r.rerun.reason}</span>
          </dd>
        </div>
      </dl>

      {r.files.mismatched.length > 0 && (
        <div className="smoke__table">
          <h4 className="smoke__part-title">Files that differ from the manifest</h4>
          <Table caption="Files that differ from the manifest" columns={MISMATCH_COLUMNS} rows={r.files.mismatched} rowKey={(m) => m.path} className="table--compact" />
        </div>
      )}
      {(r.files.missing.length > 0 || r.files.extra.length > 0) && (
        <div className="verify__lists">
          {r.files.missing.length > 0 && <PathList title="Missing" paths={r.files.missing} />}
          {r.files.extra.length > 0 && <PathList title="Not in the manifest" paths={r.files.extra} />}
        </div>
      )}

      {r.rerun.smoke && (
        <details className="verify__rerun" open={r.rerun.state === 'failed'}>
          <summary>The rerun’s smoke test</summary>
          <SmokeResults result={r.rerun.smoke} level={3} />
        </details>
      )}
    </section>
  );
}

function PathList({ title, paths }: { title: string; paths: readonly string[] }) {
  return (
    <div>
      <h4 className="smoke__part-title">
        {title} <span className="muted">({paths.length})</span>
      </h4>
      <ul className="verify__paths" aria-label={title}>
        {paths.slice(0, 50).map((p) => (
          <li key={p} className="mono">
            {p}
          </li>
        ))}
        {paths.length > 50 && <li className="muted">and {paths.length - 50} more</li>}
      </ul>
    </div>
  );
}
