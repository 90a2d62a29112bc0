// The lineage graph laid out by ELK's layered algorithm, left to right: datasets, then notebooks
// (with environments beside them, a side input), then models, then bundles. ELK also routes
// the edges around the nodes and places their labels, so the canvas only draws what it is given.
import ElkBundle from 'elkjs/lib/elk.bundled.js';
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { LineageEdge, LineageGraph, LineageKind, LineageNode } from '../../../../shared/contract/index.js';
import { RELATION_LABELS } from './display.js';

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 68;

/** The column each kind goes in; ELK keeps partitions in this order. */
const COLUMN: Record<LineageKind, number> = { dataset: 0, notebook: 1, environment: 1, model: 2, bundle: 3 };


export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  node: LineageNode;
}

export interface PlacedEdge {
  id: string;
  source: string;
  target: string;
  relation: LineageEdge['relation'];
  /** From the source's border to the target's, with the bends between. */
  points: Point[];
  label: { text: string; x: number; y: number; width: number; height: number };
}

export interface LineageLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

const LABEL_HEIGHT = 18;
/** About the width of the label text at 11px, with room for its background. */
const labelWidth = (text: string) => Math.ceil(text.length * 6.2) + 10;

export const edgeId = (e: LineageEdge) => `${e.source}->${e.target}:${e.relation}`;

// The bundle is CommonJS: its module object is the constructor, which also sits on .default.
const ElkConstructor = ElkBundle.default;
let elk: ELK | null = null;

/** Positions for every node, and a routed path and label position for every edge. */
export async function layoutLineage(graph: LineageGraph): Promise<LineageLayout> {
  elk ??= new ElkConstructor();
  const known = new Set(graph.nodes.map((n) => n.id));
  // An edge to a node the graph does not hold would make ELK throw; it cannot be drawn anyway.
  const edges = dedupe(graph.edges.filter((e) => known.has(e.source) && known.has(e.target) && e.source !== e.target));
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.partitioning.activate': 'true',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '72',
      'elk.layered.spacing.edgeNodeBetweenLayers': '24',
      'elk.spacing.nodeNode': '28',
      'elk.spacing.edgeLabel': '4',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
      'elk.padding': '[top=16,left=16,bottom=16,right=16]',
    },
    children: graph.nodes.map((n) => ({
      id: n.id,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      layoutOptions: { 'elk.partitioning.partition': String(COLUMN[n.kind]) },
    })),
    edges: edges.map((e): ElkExtendedEdge => {
      const text = RELATION_LABELS[e.relation];
      return { id: edgeId(e), sources: [e.source], targets: [e.target], labels: [{ id: `${edgeId(e)}#label`, text, width: labelWidth(text), height: LABEL_HEIGHT }] };
    }),
  };
  const laid = await elk.layout(root);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes: PlacedNode[] = (laid.children ?? []).map((c) => ({ id: c.id, x: c.x ?? 0, y: c.y ?? 0, node: byId.get(c.id)! }));
  const placed = new Map(nodes.map((n) => [n.id, n]));
  const relations = new Map(edges.map((e) => [edgeId(e), e]));
  return {
    nodes,
    edges: (laid.edges ?? []).map((e) => {
      const edge = relations.get(e.id)!;
      const section = e.sections?.[0];
      const points =
        section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : straight(placed.get(edge.source)!, placed.get(edge.target)!);
      const label = e.labels?.[0];
      const mid = points[Math.floor(points.length / 2)]!;
      const text = RELATION_LABELS[edge.relation];
      return {
        id: e.id,
        source: edge.source,
        target: edge.target,
        relation: edge.relation,
        points,
        label: {
          text,
          width: label?.width ?? labelWidth(text),
          height: label?.height ?? LABEL_HEIGHT,
          // ELK gives the label's top-left corner; the canvas centres it.
          x: label?.x !== undefined ? label.x + (label.width ?? 0) / 2 : mid.x,
          y: label?.y !== undefined ? label.y + (label.height ?? 0) / 2 : mid.y,
        },
      };
    }),
    width: laid.width ?? 0,
    height: laid.height ?? 0,
  };
}

function dedupe(edges: readonly LineageEdge[]): LineageEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const id = edgeId(e);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Without a routed section: from the right of the source to the left of the target. */
function straight(a: PlacedNode, b: PlacedNode): Point[] {
  return [
    { x: a.x + NODE_WIDTH, y: a.y + NODE_HEIGHT / 2 },
    { x: b.x, y: b.y + NODE_HEIGHT / 2 },
  ];
}

/** An SVG path through the points, its corners slightly rounded. */
export function edgePath(points: readonly Point[], radius = 6): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  let d = `M ${first!.x} ${first!.y}`;
  for (let i = 0; i < rest.length; i++) {
    const p = rest[i]!;
    const prev = i === 0 ? first! : rest[i - 1]!;
    const next = rest[i + 1];
    if (!next) {
      d += ` L ${p.x} ${p.y}`;
      break;
    }
    // Stop short of the corner and curve round it.
    const r = Math.min(radius, dist(prev, p) / 2, dist(p, next) / 2);
    const a = toward(p, prev, r);
    const b = toward(p, next, r);
    d += ` L ${a.x} ${a.y} Q ${p.x} ${p.y} ${b.x} ${b.y}`;
  }
  return d;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
const toward = (from: Point, to: Point, by: number): Point => {
  const d = dist(from, to) || 1;
  return { x: from.x + ((to.x - from.x) / d) * by, y: from.y + ((to.y - from.y) / d) * by };
};
