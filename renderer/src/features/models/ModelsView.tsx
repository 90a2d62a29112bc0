import { ComingSoon } from '../../ui/ComingSoon.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { IconCpu } from '../../ui/icons.js';
import { PageHeader } from '../../ui/PageHeader.js';
import type { SectionProps } from '../section-props.js';

export function ModelsView({ headingRef }: SectionProps) {
  return (
    <>
      <PageHeader
        title="Models"
        headingRef={headingRef}
        description="Trained artifacts, each version tied to the data, notebook and environment that made it."
      />
      <EmptyState icon={<IconCpu size={28} />} title="No models yet">
        <p>
          Register a trained model (scikit-learn or XGBoost joblib/pickle, ONNX). Greenhouse inspects it in its environment, scans the pickle
          for unsafe code and records its parameters, metrics, input signature and golden predictions. It needs the datasets, notebook and
          environment behind it, so start with <a href="#/datasets">Datasets</a>.
        </p>
        <ComingSoon>Model registration arrives in a later version of Greenhouse.</ComingSoon>
      </EmptyState>
    </>
  );
}
