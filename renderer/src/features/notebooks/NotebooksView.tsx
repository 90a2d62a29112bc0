import { ComingSoon } from '../../ui/ComingSoon.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { IconNotebook } from '../../ui/icons.js';
import { PageHeader } from '../../ui/PageHeader.js';
import type { SectionProps } from '../section-props.js';

export function NotebooksView({ headingRef }: SectionProps) {
  return (
    <>
      <PageHeader
        title="Notebooks"
        headingRef={headingRef}
        description="The Jupyter notebooks that prepared the data and trained the model."
      />
      <EmptyState icon={<IconNotebook size={28} />} title="No notebooks yet">
        <p>
          Register the <code>.ipynb</code> notebooks behind your model. Greenhouse reads their kernel and imports, links them to the datasets
          they read and the models they write, and reports hygiene findings.
        </p>
        <ComingSoon>Notebook registration arrives after datasets. Register your datasets first.</ComingSoon>
      </EmptyState>
    </>
  );
}
