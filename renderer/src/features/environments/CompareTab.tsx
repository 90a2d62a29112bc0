import { useEffect, useId } from 'react';
import type { EnvPackage, EnvironmentDetail } from '../../../../shared/contract/index.js';
import { comparisonKey } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { plural } from '../../ui/format.js';
import { IconGitCompare } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Panel } from '../../ui/Panel.js';
import { Spinner } from '../../ui/Spinner.js';

type Target = { name: string; version: number };

export interface CompareTabProps {
  detail: EnvironmentDetail;
  /** What to compare with; null for the default (the previous version, else another environment). */
  target: Target | null;
  onChange: (target: Target) => void;
}

/** What changed from another environment (or version) to the one shown: packages and Python. */
export function CompareTab({ detail, target, onChange }: CompareTabProps) {
  const environments = useAppStore((s) => s.environments);
  const environmentsStatus = useAppStore((s) => s.environmentsStatus);
  const loadEnvironments = useAppStore((s) => s.loadEnvironments);
  const compare = useAppStore((s) => s.compareEnvironments);
  const comparison = useAppStore((s) => s.environmentComparison);
  const status = useAppStore((s) => s.environmentComparisonStatus);
  const error = useAppStore((s) => s.environmentComparisonError);
  const envId = useId();
  const versionId = useId();

  useEffect(() => {
    if (environmentsStatus === 'idle') void loadEnvironments();
  }, [environmentsStatus, loadEnvironments]);

  const shown = { name: detail.name, version: detail.version.version };
  const others = environments.filter((e) => e.name !== detail.name);
  const fallback: Target | null =
    shown.version > 1 ? { name: detail.name, version: shown.version - 1 }
    : detail.versions.some((v) => v.version !== shown.version) ? { name: detail.name, version: Math.max(...detail.versions.map((v) => v.version).filter((v) => v !== shown.version)) }
    : others[0] ? { name: others[0].name, version: others[0].latestVersion }
    : null;
  const other = target ?? fallback;
  const key = other ? comparisonKey(other, shown) : null;
  const result = comparison && comparison.key === key ? comparison.value : null;

  useEffect(() => {
    if (other) void compare(other, shown);
    // The pair is what matters, not the object identities.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, compare]);

  if (!other) {
    return (
      <p className="panel__empty muted">
        Nothing to compare with yet: this is the only version, and no other environment is captured. Capture another environment or a new version to compare.
      </p>
    );
  }

  const names = [detail.name, ...others.map((e) => e.name)];
  const latestOf = (name: string) => (name === detail.name ? Math.max(...detail.versions.map((v) => v.version)) : (environments.find((e) => e.name === name)?.latestVersion ?? 1));
  const versions = Array.from({ length: latestOf(other.name) }, (_, i) => latestOf(other.name) - i);

  return (
    <div className="env-compare">
      <div className="tab-toolbar env-compare__pick">
        <IconGitCompare className="muted" />
        <span>Compare</span>
        <label htmlFor={envId}>with</label>
        <select id={envId} className="select select--sm" value={other.name} onChange={(e) => onChange({ name: e.target.value, version: latestOf(e.target.value) })}>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
              {n === detail.name ? ' (this environment)' : ''}
            </option>
          ))}
        </select>
        <label htmlFor={versionId} className="visually-hidden">
          Version to compare with
        </label>
        <select id={versionId} className="select select--sm" value={other.version} onChange={(e) => onChange({ name: other.name, version: Number(e.target.value) })}>
          {versions.map((v) => (
            <option key={v} value={v} disabled={other.name === detail.name && v === shown.version}>
              Version {v}
            </option>
          ))}
        </select>
        {status === 'loading' && <Spinner />}
      </div>
      {error && <LoadProblem error={error} title="Could not compare the environments" onRetry={() => void compare(other, shown)} />}
      {result && (
        <>
          <p className="env-compare__summary">
            <span>
              From <strong>{result.from.name} v{result.from.version}</strong> to <strong>{result.to.name} v{result.to.version}</strong>:
            </span>
            <Badge tone={result.added.length ? 'success' : 'neutral'}>{result.added.length} added</Badge>
            <Badge tone={result.removed.length ? 'danger' : 'neutral'}>{result.removed.length} removed</Badge>
            <Badge tone={result.changed.length ? 'warning' : 'neutral'}>{result.changed.length} changed</Badge>
            <span className="muted small">{plural(result.unchanged, 'package')} unchanged</span>
          </p>
          {result.pythonChanged ?
            <p className="env-compare__python" role="note">
              <strong>Python changes</strong> from <PythonVersion version={result.pythonChanged.from} /> to <PythonVersion version={result.pythonChanged.to} />.
              Pickled models may not load across Python or library versions.
            </p>
          : <p className="muted small">Same Python version.</p>}
          <div className="env-compare__grid">
            <PackageList title="Added" tone="added" packages={result.added} empty="Nothing added." />
            <PackageList title="Removed" tone="removed" packages={result.removed} empty="Nothing removed." />
            <Panel headingId="env-compare-changed" title="Changed" note={result.changed.length} level={3} className="env-compare__list">
              {result.changed.length === 0 ?
                <p className="panel__empty muted">No version changed.</p>
              : <table className="table table--compact table--named-rows">
                  <caption className="visually-hidden">Packages whose version changed</caption>
                  <thead>
                    <tr>
                      <th scope="col">Package</th>
                      <th scope="col">From</th>
                      <th scope="col">
                        <span className="visually-hidden">to</span>
                      </th>
                      <th scope="col">To</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.changed.map((c) => (
                      <tr key={c.name}>
                        <th scope="row" className="mono">
                          {c.name}
                        </th>
                        <td className="mono">{c.from}</td>
                        <td aria-hidden="true" className="muted">
                          →
                        </td>
                        <td className="mono env-compare__to">{c.to}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              }
            </Panel>
          </div>
        </>
      )}
    </div>
  );
}

function PackageList({ title, tone, packages, empty }: { title: string; tone: 'added' | 'removed'; packages: readonly EnvPackage[]; empty: string }) {
  return (
    <Panel headingId={`env-compare-${tone}`} title={title} note={packages.length} level={3} className={`env-compare__list env-compare__list--${tone}`}>
      {packages.length === 0 ?
        <p className="panel__empty muted">{empty}</p>
      : <ul className="env-compare__packages" aria-label={`${title} packages`}>
          {packages.map((p) => (
            <li key={p.name} className="mono">
              <span aria-hidden="true" className="env-compare__sign">
                {tone === 'added' ? '+' : '−'}
              </span>
              {p.name} <span className="muted">{p.version ?? p.specifier ?? ''}</span>
            </li>
          ))}
        </ul>
      }
    </Panel>
  );
}

/** A Python version, or that a requirement file does not pin one. */
function PythonVersion({ version }: { version: string | null }) {
  return version ? <code>{version}</code> : <em>not pinned</em>;
}
