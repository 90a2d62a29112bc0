import type { LineageNode } from '../../../../shared/contract/index.js';
import { cx } from '../../ui/cx.js';
import { KIND_DISPLAY, lineageHref } from './display.js';

/**
 * One node of the graph: a link to the entry's page, so it is reached with Tab and opened with
 * Enter like any link. "nodrag nopan" keep the canvas from taking its pointer events.
 */
export function LineageNodeCard({ node, focus = false }: { node: LineageNode; focus?: boolean }) {
  const { label, Icon } = KIND_DISPLAY[node.kind];
  return (
    <a
      className={cx('lineage-node', `lineage-node--${node.kind}`, focus && 'is-focus', 'nodrag nopan')}
      href={lineageHref(node)}
      aria-label={`${label} ${node.name}, version ${node.version}${node.detail ? `, ${node.detail}` : ''}${focus ? ' (this one)' : ''}`}
      data-node={node.id}
    >
      <span className="lineage-node__icon" aria-hidden="true">
        <Icon size={16} />
      </span>
      <span className="lineage-node__text" aria-hidden="true">
        <span className="lineage-node__kind">{label}</span>
        <span className="lineage-node__name">
          <span className="lineage-node__title">{node.name}</span>
          <span className="lineage-node__version">v{node.version}</span>
        </span>
        {node.detail && <span className="lineage-node__detail">{node.detail}</span>}
      </span>
    </a>
  );
}
