import type { LineageLink } from '../../../../shared/contract/index.js';
import { IconNotebook } from '../../ui/icons.js';
import { notebookHref } from '../notebooks/route.js';
import './read-by-notebooks.css';

/** The notebooks that read this dataset (any version), each linking to that notebook version's page. */
export function ReadByNotebooks({ links }: { links: readonly LineageLink[] }) {
  const notebooks = links.filter((l) => l.kind === 'notebook');
  if (notebooks.length === 0) return null;
  return (
    <section className="read-by" aria-labelledby="read-by-heading">
      <h2 id="read-by-heading" className="read-by__title">
        Read by notebooks
      </h2>
      <ul className="read-by__list">
        {notebooks.map((l) => (
          <li key={`${l.name}@${l.version}`}>
            <a className="read-by__link" href={notebookHref(l.name, l.version === null ? {} : { version: l.version })} title={`Reads ${l.path}`}>
              <IconNotebook />
              {l.name}
              {l.version !== null && <span className="muted"> v{l.version}</span>}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
