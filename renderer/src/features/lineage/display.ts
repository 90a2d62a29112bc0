// How lineage nodes read and where they lead.
import type { ComponentType } from 'react';
import type { LineageEdge, LineageKind, LineageNode } from '../../../../shared/contract/index.js';
import { IconCpu, IconDatabase, IconLayers, IconNotebook, IconPackage, type IconProps } from '../../ui/icons.js';
import { bundleHref } from '../bundles/route.js';
import { datasetHref } from '../datasets/route.js';
import { environmentHref } from '../environments/route.js';
import { modelHref } from '../models/route.js';
import { notebookHref } from '../notebooks/route.js';

export const KIND_DISPLAY: Record<LineageKind, { label: string; Icon: ComponentType<IconProps> }> = {
  dataset: { label: 'Dataset', Icon: IconDatabase },
  notebook: { label: 'Notebook', Icon: IconNotebook },
  environment: { label: 'Environment', Icon: IconLayers },
  model: { label: 'Model', Icon: IconCpu },
  bundle: { label: 'Bundle', Icon: IconPackage },
};

/** The page of the entry a node stands for, at the node's version. */
export function lineageHref(node: Pick<LineageNode, 'kind' | 'name' | 'version'>): string {
  const at = { version: node.version };
  switch (node.kind) {
    case 'dataset':
      return datasetHref(node.name, at);
    case 'notebook':
      return notebookHref(node.name, at);
    case 'environment':
      return environmentHref(node.name, at);
    case 'model':
      return modelHref(node.name, at);
    case 'bundle':
      return bundleHref(node.name, at);
  }
}

/** "dataset customers v1", as a screen reader and the relation list say it. */
export const nodeText = (node: Pick<LineageNode, 'kind' | 'name' | 'version'>) => `${KIND_DISPLAY[node.kind].label.toLowerCase()} ${node.name} v${node.version}`;

/** An edge's relation, read in the direction of the flow: "dataset customers v1 read by notebook train v1". */
export const RELATION_LABELS: Record<LineageEdge['relation'], string> = {
  'read-by': 'read by',
  wrote: 'wrote',
  trained: 'trained',
  evaluated: 'evaluated',
  'environment-of': 'runs',
  'packaged-in': 'packaged in',
  'handed-back': 'handed back for retraining',
};
