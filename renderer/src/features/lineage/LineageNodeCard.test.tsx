// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useSectionHash } from '../../app/use-section-hash.js';
import { createAppStore, datasetRoute, environmentRoute, modelRoute, notebookRoute } from '../../store/index.js';
import { StoreProvider } from '../../store/store-context.js';
import { createFakeTransport } from '../../testing/fake-transport.js';
import { lineageGraph } from '../../testing/model-fixtures.js';
import { lineageHref } from './display.js';
import { LineageNodeCard } from './LineageNodeCard.js';

afterEach(() => {
  cleanup();
  window.history.replaceState(null, '', '#/');
});

function Harness() {
  useSectionHash();
  return (
    <>
      {lineageGraph().nodes.map((n) => (
        <LineageNodeCard key={n.id} node={n} focus={n.kind === 'model'} />
      ))}
    </>
  );
}

describe('LineageNodeCard', () => {
  it('is a link to its entry’s page at its version, named for assistive technology', () => {
    const [dataset, notebook, environment, model] = lineageGraph().nodes;
    expect(lineageHref(dataset!)).toBe('#/datasets/customers@1');
    expect(lineageHref(notebook!)).toBe('#/notebooks/train@1');
    expect(lineageHref(environment!)).toBe('#/environments/python3@1');
    expect(lineageHref(model!)).toBe('#/models/churn@1');
    // A bundle is named for the model version it packages.
    expect(lineageHref({ kind: 'bundle', name: 'churn', version: 1 })).toBe('#/bundles/churn@1');
  });

  it('navigates to the node’s page when clicked, and is reached with the keyboard', async () => {
    const store = createAppStore(createFakeTransport(), { storage: null });
    store.setState({ section: 'models', modelRoute: modelRoute('churn', { tab: 'lineage' }) });
    render(
      <StoreProvider store={store}>
        <Harness />
      </StoreProvider>,
    );
    const node = screen.getByRole('link', { name: 'Dataset customers, version 1, 3,000 rows' });
    expect(node.className).toContain('lineage-node--dataset');
    node.focus();
    expect(document.activeElement).toBe(node);
    expect(screen.getByRole('link', { name: /^Model churn, version 1, Pipeline \(this one\)$/ }).className).toContain('is-focus');

    await act(async () => fireEvent.click(node));
    await waitFor(() => expect(store.getState().section).toBe('datasets'));
    expect(store.getState().datasetRoute).toEqual(datasetRoute('customers', { version: 1 }));

    await act(async () => fireEvent.click(screen.getByRole('link', { name: /^Notebook train/ })));
    await waitFor(() => expect(store.getState().notebookRoute).toEqual(notebookRoute('train', { version: 1 })));
    await act(async () => fireEvent.click(screen.getByRole('link', { name: /^Environment python3/ })));
    await waitFor(() => expect(store.getState().environmentRoute).toEqual(environmentRoute('python3', { version: 1 })));
    expect(store.getState().section).toBe('environments');
  });
});
