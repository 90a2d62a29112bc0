import { ComingSoon } from '../../ui/ComingSoon.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { IconDatabase } from '../../ui/icons.js';
import { PageHeader } from '../../ui/PageHeader.js';
import type { SectionProps } from '../section-props.js';

export function DatasetsView({ headingRef }: SectionProps) {
  return (
    <>
      <PageHeader
        title="Datasets"
        headingRef={headingRef}
        description="The tabular files behind your model, each version with its content hash, schema and column profile."
      />
      <EmptyState icon={<IconDatabase size={28} />} title="No datasets yet">
        <p>
          Start here: register the CSV, TSV, Parquet or JSON Lines files that trained your model. Every model version is then tied to the
          exact data that made it, and a changed file becomes a new version you can compare.
        </p>
        <ComingSoon>
          Registering datasets arrives with dataset support: a Register button here, or <code>greenhouse dataset add PATH</code> on the
          command line.
        </ComingSoon>
      </EmptyState>
    </>
  );
}
