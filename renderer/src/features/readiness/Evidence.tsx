import type { CheckEvidence } from '../../../../shared/contract/index.js';
import { IconFile } from '../../ui/icons.js';
import { tabPanelId } from '../../ui/Tabs.js';
import { bundleHref } from '../bundles/route.js';

/** Where a bundle file opens (the bundle page's Files tab); null where there is no bundle page to open it on. */
export type FileHref = ((path: string) => string) | null;

/** Where a bundle file opens: the bundle page's Files tab, on that file. */
export const bundleFileHref = (name: string, version: number): NonNullable<FileHref> => (path) => bundleHref(name, { version, tab: 'files', file: path });

/** A check's or gate's evidence: what was found, each with the bundle file it comes from. */
export function EvidenceList({ evidence, fileHref }: { evidence: readonly CheckEvidence[]; fileHref: FileHref }) {
  if (evidence.length === 0) return null;
  return (
    <dl className="readiness-evidence">
      {evidence.map((e, i) => (
        <div key={`${e.label}-${i}`}>
          <dt>{e.label}</dt>
          <dd>
            <span className="readiness-evidence__value">{e.value}</span>
            {e.file && <BundleFile path={e.file} fileHref={fileHref} />}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A path inside the bundle; a link to it on the Files tab where the page has one. */
function BundleFile({ path, fileHref }: { path: string; fileHref: FileHref }) {
  const content = (
    <>
      <IconFile size={12} /> <bdi className="mono">{path}</bdi>
    </>
  );
  if (!fileHref) {
    return (
      <span className="readiness-file" title="A file in the bundle">
        {content}
      </span>
    );
  }
  return (
    <a
      className="readiness-file"
      href={fileHref(path)}
      title={`Open ${path} on the Files tab`}
      onClick={() => {
        // The link goes away with this tab: once the hash has switched tabs, focus continues on the Files tab's panel.
        window.addEventListener('hashchange', () => requestAnimationFrame(() => document.getElementById(tabPanelId('bundle', 'files'))?.focus()), { once: true });
      }}
    >
      {content}
    </a>
  );
}
