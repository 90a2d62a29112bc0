import { describe, expect, it } from 'vitest';
import { lineageGraph } from '../../testing/model-fixtures.js';
import { edgePath, layoutLineage, NODE_WIDTH } from './layout.js';

describe('layoutLineage', () => {
  it('lays the flow out left to right: datasets, then notebooks and environments, then models', async () => {
    const layout = await layoutLineage(lineageGraph());
    const x = (id: string) => layout.nodes.find((n) => n.id === id)!.x;
    expect(x('dataset:customers@1')).toBeLessThan(x('notebook:train@1'));
    expect(x('notebook:train@1')).toBeLessThan(x('model:churn@1'));
    expect(x('environment:python3@1')).toBeLessThan(x('model:churn@1'));
    // Columns do not overlap.
    expect(x('notebook:train@1') - x('dataset:customers@1')).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(layout.width).toBeGreaterThan(3 * NODE_WIDTH);
  });

  it('routes every edge from its source to its target, with its relation as the label', async () => {
    const layout = await layoutLineage(lineageGraph());
    expect(layout.edges).toHaveLength(4);
    const wrote = layout.edges.find((e) => e.relation === 'wrote')!;
    expect(wrote.label.text).toBe('wrote');
    const source = layout.nodes.find((n) => n.id === wrote.source)!;
    const target = layout.nodes.find((n) => n.id === wrote.target)!;
    expect(wrote.points[0]!.x).toBeCloseTo(source.x + NODE_WIDTH, 0);
    expect(wrote.points.at(-1)!.x).toBeCloseTo(target.x, 0);
    expect(layout.edges.find((e) => e.relation === 'environment-of')!.label.text).toBe('runs');
  });

  it('drops edges to nodes the graph does not hold, and duplicates', async () => {
    const graph = lineageGraph();
    graph.edges.push({ source: 'dataset:customers@1', target: 'model:gone@1', relation: 'trained' }, { ...graph.edges[0]! });
    const layout = await layoutLineage(graph);
    expect(layout.edges).toHaveLength(4);
  });

  it('lays out an empty graph', async () => {
    const layout = await layoutLineage({ nodes: [], edges: [] });
    expect(layout.nodes).toEqual([]);
  });

  it('rounds the corners of a path', () => {
    expect(edgePath([{ x: 0, y: 0 }, { x: 10, y: 0 }])).toBe('M 0 0 L 10 0');
    expect(edgePath([{ x: 0, y: 0 }, { x: 20, y: 0 }, { x: 20, y: 20 }])).toBe('M 0 0 L 14 0 Q 20 0 20 6 L 20 20');
  });
});
