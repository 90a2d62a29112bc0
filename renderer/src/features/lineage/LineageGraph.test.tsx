// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LineageGraph as Graph } from '../../../../shared/contract/index.js';
import { createAppStore } from '../../store/index.js';
import { StoreProvider } from '../../store/store-context.js';
import { createFakeTransport, fail, type FakeHandlers } from '../../testing/fake-transport.js';
import { lineageGraph } from '../../testing/model-fixtures.js';
import type { LineageCanvasProps } from './LineageCanvas.js';
import { LineageGraph } from './LineageGraph.js';
import { LineageNodeCard } from './LineageNodeCard.js';

// jsdom lays nothing out, which the graph library needs; the canvas is checked in the browser
// (e2e). Here it stands in with the laid-out nodes it was given.
vi.mock('./LineageCanvas.js', () => ({
  default: ({ layout, focus, label }: LineageCanvasProps) => (
    <div role="group" aria-label={label}>
      {layout.nodes.map((n) => (
        <LineageNodeCard key={n.id} node={n.node} focus={n.id === focus} />
      ))}
    </div>
  ),
}));

afterEach(cleanup);

function renderGraph(handlers: FakeHandlers, focus: string | null = 'model:churn@1') {
  const transport = createFakeTransport(handlers);
  const store = createAppStore(transport, { storage: null });
  render(
    <StoreProvider store={store}>
      <LineageGraph focus={focus} label="Lineage of churn" empty={<p>Nothing yet</p>} />
    </StoreProvider>,
  );
  return { store, transport };
}

describe('LineageGraph', () => {
  it('loads the graph around its focus, lays it out and draws every node as a link', async () => {
    const { transport } = renderGraph({ 'lineage.graph': () => lineageGraph() });
    const canvas = await screen.findByRole('group', { name: 'Lineage of churn' });
    expect(transport.calls[0]).toEqual({ method: 'lineage.graph', input: { focus: 'model:churn@1' } });
    expect(within(canvas).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual([
      '#/datasets/customers@1',
      '#/notebooks/train@1',
      '#/environments/python3@1',
      '#/models/churn@1',
    ]);
    expect(document.querySelector('.lineage__canvas')?.getAttribute('data-laid-out')).toBe('true');
  });

  it('lists every relation in words, and what is linked to nothing', async () => {
    const graph: Graph = lineageGraph();
    graph.nodes.push({ id: 'dataset:holdout@2', kind: 'dataset', name: 'holdout', version: 2, detail: '' });
    renderGraph({ 'lineage.graph': () => graph }, null);
    const list = await screen.findByRole('list', { name: 'Lineage relations' });
    const items = within(list).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toContain('dataset customers v1 read by notebook train v1');
    expect(items).toContain('notebook train v1 wrote model churn v1');
    expect(items).toContain('environment python3 v1 runs model churn v1');
    expect(items).toContain('dataset holdout v2 is not linked to anything yet');
  });

  it('shows the empty state when there is nothing, and a load error with its remedy', async () => {
    renderGraph({ 'lineage.graph': () => ({ nodes: [], edges: [] }) });
    expect(await screen.findByText('Nothing yet')).toBeTruthy();
    cleanup();
    renderGraph({ 'lineage.graph': () => fail('NO_WORKSPACE', 'No workspace is open.', 'Open one first.') });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Open one first.'));
  });
});
