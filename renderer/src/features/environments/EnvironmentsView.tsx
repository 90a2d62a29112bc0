import { ComingSoon } from '../../ui/ComingSoon.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { IconLayers } from '../../ui/icons.js';
import { PageHeader } from '../../ui/PageHeader.js';
import type { SectionProps } from '../section-props.js';

export function EnvironmentsView({ headingRef }: SectionProps) {
  return (
    <>
      <PageHeader
        title="Environments"
        headingRef={headingRef}
        description="The Python interpreter and packages your model was trained with, pinned for the image."
      />
      <EmptyState icon={<IconLayers size={28} />} title="No environment captured yet">
        <p>
          Pick the Python environment your model needs: an interpreter found on this machine (virtualenv, conda, pyenv or system), or a{' '}
          <code>requirements.txt</code>, <code>pyproject.toml</code> or <code>environment.yml</code>. The Docker image is built from it, so
          training and serving use the same versions.
        </p>
        <ComingSoon>Capturing environments arrives in a later version of Greenhouse.</ComingSoon>
      </EmptyState>
    </>
  );
}
