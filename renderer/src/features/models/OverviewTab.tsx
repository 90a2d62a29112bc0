import type { LineageLink, ModelDetail } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { Panel } from '../../ui/Panel.js';
import { formatValue } from './display.js';
import { datasetHref } from '../datasets/route.js';
import { MismatchTable } from '../environments/MismatchTable.js';
import { environmentHref } from '../environments/route.js';
import { notebookHref } from '../notebooks/route.js';
import { ScanVerdict } from './ScanReport.js';

/** What made the model, whether its environment gives it what it needs, and what it is. */
export function OverviewTab({ detail, onShowScan }: { detail: ModelDetail; onShowScan: () => void }) {
  const { lineage, introspection: intro } = detail;
  // Notebooks that write this file, besides the one recorded (which says so itself).
  const recorded = lineage.notebook;
  const writers = detail.links.filter(
    (l) => l.kind === 'notebook' && l.relation === 'written-by' && !(recorded && l.name === recorded.name && l.version === recorded.version),
  );
  const recordedWrites = detail.links.find(
    (l) => l.kind === 'notebook' && l.relation === 'written-by' && l.matchedBy !== 'recorded' && recorded && l.name === recorded.name && l.version === recorded.version,
  );
  const libraries = Object.entries(intro.libraryVersions);
  return (
    <div className="model-stack">
      <div className="model-overview__scan">
        <ScanVerdict scan={detail.scan} override={detail.version.scanOverride} />
        <button type="button" className="nb-link-button" onClick={onShowScan}>
          The full scan report
        </button>
      </div>

      <Panel headingId="model-made-from-heading" title="Made from" note="The exact versions this model version is tied to.">
        <dl className="kv-list model-links">
          <div>
            <dt>Training data</dt>
            <dd>
              {lineage.training.length === 0 ?
                <span className="muted">none recorded</span>
              : <ul className="model-links__list">
                  {lineage.training.map((t) => (
                    <li key={`${t.name}@${t.version}`}>
                      <VersionLink href={datasetHref} entry={t} />{' '}
                      <span className="muted">target</span> <code>{t.target}</code>
                    </li>
                  ))}
                </ul>
              }
            </dd>
          </div>
          <div>
            <dt>Evaluation data</dt>
            <dd>
              {lineage.evaluation ?
                <VersionLink href={datasetHref} entry={lineage.evaluation} />
              : <span className="muted">none</span>}
            </dd>
          </div>
          <div>
            <dt>Notebook</dt>
            <dd>
              {lineage.notebook ?
                <>
                  <VersionLink href={notebookHref} entry={lineage.notebook} />
                  {recordedWrites && (
                    <>
                      {' '}
                      <Badge tone="success">{recordedWrites.matchedBy === 'sha256' ? 'writes these bytes' : 'writes this path'}</Badge>
                    </>
                  )}
                </>
              : <span className="muted">none recorded</span>}
              {writers.length > 0 && <WrittenBy links={writers} />}
            </dd>
          </div>
          <div>
            <dt>Environment</dt>
            <dd>
              {lineage.environment ?
                <VersionLink href={environmentHref} entry={lineage.environment} />
              : <span className="muted">none recorded</span>}
            </dd>
          </div>
        </dl>
      </Panel>

      <Panel
        headingId="model-mismatches-heading"
        title="Environment check"
        aside={
          detail.mismatches.length === 0 ?
            <Badge tone="success">No mismatches</Badge>
          : <Badge tone="danger">{detail.mismatches.length === 1 ? '1 mismatch' : `${detail.mismatches.length} mismatches`}</Badge>
        }
      >
        {detail.mismatches.length === 0 ?
          <p className="panel__empty muted">The environment has every package the model and its notebook need, at the versions recorded in the model.</p>
        : <MismatchTable mismatches={detail.mismatches} caption="What the model needs that its environment lacks" />}
      </Panel>

      <Panel headingId="model-facts-heading" title="What it is">
        <dl className="kv-list">
          <div>
            <dt>Class</dt>
            <dd className="mono">
              {intro.module}.{intro.className}
            </dd>
          </div>
          <div>
            <dt>Features</dt>
            <dd>
              {intro.nFeatures ?? '—'}
              {intro.featureNames && <span className="muted small mono"> {intro.featureNames.join(', ')}</span>}
            </dd>
          </div>
          {intro.classes && (
            <div>
              <dt>Classes</dt>
              <dd className="mono">{intro.classes.map(formatValue).join(', ')}</dd>
            </div>
          )}
          <div>
            <dt>Loaded with</dt>
            <dd className="mono small">{libraries.length === 0 ? '—' : libraries.map(([k, v]) => `${k} ${v}`).join(' · ')}</dd>
          </div>
        </dl>
        {intro.warnings.length > 0 && (
          <ul className="registration__warnings model-warnings" aria-label="Warnings while loading">
            {intro.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}

/** "customers v2", linking to that version's page. */
function VersionLink({ href, entry }: { href: (name: string, over: { version: number }) => string; entry: { name: string; version: number } }) {
  return (
    <a href={href(entry.name, { version: entry.version })}>
      {entry.name} <span className="muted">v{entry.version}</span>
    </a>
  );
}

function WrittenBy({ links }: { links: readonly LineageLink[] }) {
  return (
    <ul className="model-links__list model-links__writers">
      {links.map((l) => (
        <li key={`${l.name}@${l.version}`} className="small">
          <span className="muted">also written by</span>{' '}
          <a href={notebookHref(l.name, l.version === null ? {} : { version: l.version })}>
            {l.name}
            {l.version !== null && <span className="muted"> v{l.version}</span>}
          </a>{' '}
          <Badge tone={l.matchedBy === 'sha256' ? 'success' : 'neutral'}>{l.matchedBy === 'sha256' ? 'same bytes' : l.matchedBy === 'path' ? 'same path' : 'recorded'}</Badge>
        </li>
      ))}
    </ul>
  );
}
