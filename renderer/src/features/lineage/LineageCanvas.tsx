// The drawing of a laid-out lineage graph (@xyflow/react). Loaded on demand: the graph library
// and ELK are only needed once a graph is shown.
import {
  Background,
  BackgroundVariant,
  BaseEdge,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { LineageNode } from '../../../../shared/contract/index.js';
import { useResolvedTheme } from '../../app/theme.js';
import { lineageHref } from './display.js';
import { edgePath, NODE_HEIGHT, NODE_WIDTH, type LineageLayout, type PlacedEdge } from './layout.js';
import { LineageNodeCard } from './LineageNodeCard.js';

type CardNode = Node<{ node: LineageNode; focus: boolean }, 'lineage'>;
type RoutedEdge = Edge<{ edge: PlacedEdge }, 'routed'>;

function CardNodeView({ data }: NodeProps<CardNode>) {
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} className="lineage-handle" />
      <LineageNodeCard node={data.node} focus={data.focus} />
      <Handle type="source" position={Position.Right} isConnectable={false} className="lineage-handle" />
    </>
  );
}

/** ELK routed the edge and placed its label: draw exactly that. */
function RoutedEdgeView({ data, markerEnd }: EdgeProps<RoutedEdge>) {
  if (!data) return null;
  const { points, label, relation } = data.edge;
  return (
    <BaseEdge
      path={edgePath(points)}
      markerEnd={markerEnd}
      className={`lineage-edge lineage-edge--${relation}`}
      label={label.text}
      labelX={label.x}
      labelY={label.y}
      labelShowBg
      labelBgPadding={[4, 2]}
      labelBgBorderRadius={4}
    />
  );
}

const NODE_TYPES = { lineage: CardNodeView };
const EDGE_TYPES = { routed: RoutedEdgeView };

export interface LineageCanvasProps {
  layout: LineageLayout;
  /** The node the graph is about, highlighted. */
  focus: string | null;
  /** An accessible name for the canvas. */
  label: string;
}

export function LineageCanvas({ layout, focus, label }: LineageCanvasProps) {
  const theme = useResolvedTheme();
  const nodes: CardNode[] = layout.nodes.map((n) => ({
    id: n.id,
    type: 'lineage',
    position: { x: n.x, y: n.y },
    data: { node: n.node, focus: n.id === focus },
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
  }));
  const edges: RoutedEdge[] = layout.edges.map((e) => ({
    id: e.id,
    type: 'routed',
    source: e.source,
    target: e.target,
    data: { edge: e },
    markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, color: 'var(--lineage-edge)' },
  }));
  return (
    <ReactFlow
      aria-label={label}
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      edgeTypes={EDGE_TYPES}
      colorMode={theme}
      fitView
      fitViewOptions={{ padding: 0.06, maxZoom: 1 }}
      minZoom={0.2}
      maxZoom={2}
      // Nodes are links, reached with Tab; nothing is dragged, selected or connected.
      nodesDraggable={false}
      nodesConnectable={false}
      nodesFocusable={false}
      edgesFocusable={false}
      elementsSelectable={false}
      // The page scrolls over the graph; zoom with the buttons, a pinch or a double click.
      zoomOnScroll={false}
      preventScrolling={false}
      proOptions={{ hideAttribution: true }}
      // A click handler is also what makes the canvas let pointer events through to the nodes.
      onNodeClick={(event, node) => {
        // The node's link navigates by itself; a click beside it (on the node's edge) does the same.
        if (!(event.target instanceof Element && event.target.closest('a'))) window.location.hash = lineageHref(node.data.node).slice(1);
      }}
    >
      <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
      <Controls showInteractive={false} position="top-right" />
    </ReactFlow>
  );
}

export default LineageCanvas;
