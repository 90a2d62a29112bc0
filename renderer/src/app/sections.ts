import type { ComponentType } from 'react';
import { ActivityView } from '../features/activity/ActivityView.js';
import { BundlesView } from '../features/bundles/BundlesView.js';
import { DatasetsView } from '../features/datasets/DatasetsView.js';
import { EnvironmentsView } from '../features/environments/EnvironmentsView.js';
import { ModelsView } from '../features/models/ModelsView.js';
import { MonitoringView } from '../features/monitoring/MonitoringView.js';
import { NotebooksView } from '../features/notebooks/NotebooksView.js';
import type { SectionProps } from '../features/section-props.js';
import type { SectionId } from '../store/index.js';
import { IconActivity, IconChartLine, IconCpu, IconDatabase, IconLayers, IconNotebook, IconPackage, type IconProps } from '../ui/icons.js';

export interface SectionDef {
  id: SectionId;
  label: string;
  Icon: ComponentType<IconProps>;
  View: ComponentType<SectionProps>;
}

/** The left navigation, in the order of the hand-off flow. */
export const SECTION_DEFS: readonly SectionDef[] = [
  { id: 'datasets', label: 'Datasets', Icon: IconDatabase, View: DatasetsView },
  { id: 'notebooks', label: 'Notebooks', Icon: IconNotebook, View: NotebooksView },
  { id: 'environments', label: 'Environments', Icon: IconLayers, View: EnvironmentsView },
  { id: 'models', label: 'Models', Icon: IconCpu, View: ModelsView },
  { id: 'bundles', label: 'Bundles', Icon: IconPackage, View: BundlesView },
  { id: 'monitoring', label: 'Monitoring', Icon: IconChartLine, View: MonitoringView },
  { id: 'activity', label: 'Activity', Icon: IconActivity, View: ActivityView },
];
