// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleRoute, type BundleTab } from '../../store/index.js';
import { bundleDetail, bundleExport, bundleImage, bundleSummary, buildJob, buildState, exportJob, fileContent, readyBundle } from '../../testing/bundle-fixtures.js';
import { fail, type FakeHandlers } from '../../testing/fake-transport.js';
import { readinessReport, unbuiltReport } from '../../testing/readiness-fixtures.js';
import { emitJob, renderView } from '../../testing/render-view.js';
import { BundlesView } from './BundlesView.js';

afterEach(cleanup);

function renderBundles(handlers: FakeHandlers = {}, tab?: BundleTab) {
  const r = renderView(<BundlesView />, handlers, {
    defaults: {
      'bundles.list': () => [],
      'bundles.get': () => readyBundle(),
      'bundles.readFile': ({ path }) => fileContent({ path }),
      'bundles.build': () => buildJob(),
      'readiness.get': () => readinessReport(),
      'archives.list': () => [],
    },
  });
  act(() => {
    r.store.getState().setSection('bundles');
    if (tab) r.store.getState().showBundle(bundleRoute('churn', { version: 1, tab }));
  });
  return r;
}

describe('BundlesView: the list', () => {
  it('lists bundles with their status, model version, strategy, image tag, creation and last export', async () => {
    renderBundles({
      'bundles.list': () => [
        bundleSummary({ status: 'tested', image: bundleImage(), lastExport: bundleExport() }),
        bundleSummary({ name: 'fraud', version: 2, model: { name: 'fraud', version: 2 }, status: 'build-failed', strategy: 'pip', imageTag: 'greenhouse/fraud:2' }),
        bundleSummary({ name: 'churn', version: 2, model: { name: 'churn', version: 2 }, status: 'smoke-failed' }),
        bundleSummary({ name: 'spend', status: 'built' }),
        bundleSummary({ name: 'leads', status: 'written' }),
      ],
    });
    const table = await screen.findByRole('table', { name: 'Bundles, newest first' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Bundle', 'Status', 'Model version', 'Strategy', 'Image tag', 'Created', 'Last export']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(within(rows[0]!).getByRole('link', { name: 'churn v1' }).getAttribute('href')).toBe('#/bundles/churn@1');
    expect(within(rows[0]!).getByText('tested').className).toContain('badge--success');
    expect(rows[0]!.textContent).toContain('48 kB');
    expect(within(rows[0]!).getByRole('link', { name: 'Model churn, version 1' }).getAttribute('href')).toBe('#/models/churn@1');
    expect(within(rows[1]!).getByText('build failed').className).toContain('badge--danger');
    expect(within(rows[1]!).getByRole('link', { name: 'fraud v2' }).getAttribute('href')).toBe('#/bundles/fraud@2');
    expect(rows[1]!.textContent).toContain('greenhouse/fraud:2');
    expect(rows[1]!.textContent).toContain('pip');
    expect(within(rows[2]!).getByText('smoke failed').className).toContain('badge--danger');
    expect(within(rows[3]!).getByText('built').className).toContain('badge--info');
    expect(within(rows[4]!).getByText('written').className).toContain('badge--neutral');
    expect(rows[4]!.textContent).toContain('—');
    expect(screen.getByText('5 bundles')).toBeTruthy();
  });

  it('points at the wizard and at Models while there is none', async () => {
    renderBundles();
    expect(await screen.findByRole('heading', { level: 2, name: 'No bundles yet' })).toBeTruthy();
    expect(screen.getAllByRole('link', { name: /Package a model/ }).map((a) => a.getAttribute('href'))).toEqual(['#/bundles/~package', '#/bundles/~package']);
    expect(screen.getByRole('link', { name: 'Models' }).getAttribute('href')).toBe('#/models');
  });
});

describe('BundlesView: a bundle’s page', () => {
  it('shows the overview: status, image, last build, smoke test and export, the signature, and the next step', async () => {
    const { store } = renderBundles({ 'bundles.get': () => readyBundle({ lastExport: bundleExport() }) }, 'overview');
    const panel = await screen.findByRole('tabpanel');
    expect(screen.getByRole('heading', { level: 1, name: 'churn' })).toBeTruthy();
    expect(document.querySelector('.bundle-header-facts')!.textContent).toContain('greenhouse/python-base:bookworm');
    const facts = within(panel).getByRole('region', { name: 'Where it stands' });
    expect(facts.textContent).toContain('9c1e2d3f4a5b');
    expect(facts.textContent).toContain('812 MB');
    expect(facts.textContent).toContain('100/100 golden examples matched');
    expect(facts.textContent).toContain('SHA256:q2Wf0x1lM9c7XnQpZb4r8sT6uVwYz3aB5cD7eF9gH1i');
    expect(within(panel).getByRole('group', { name: 'The archive' }).textContent).toContain('/home/ana/churn/bundles/churn-1.tar.gz');
    fireEvent.click(within(panel).getByRole('button', { name: 'Review its readiness' }));
    expect(store.getState().bundleRoute?.tab).toBe('readiness');
    expect(screen.getByRole('link', { name: /Package again/ }).getAttribute('href')).toBe('#/bundles/~package/churn@1');
  });

  it('lists the files with the Dockerfile first and shows it', async () => {
    renderBundles({}, 'files');
    const panel = await screen.findByRole('tabpanel');
    const options = within(within(panel).getByRole('listbox', { name: 'Files of the bundle' })).getAllByRole('option');
    expect(options[0]!.textContent).toContain('Dockerfile');
    expect((await within(panel).findByLabelText('Dockerfile, read only')).textContent).toContain('USER 10001');
  });

  it('the Build tab shows the last failed build with its log tail, and rebuilds with the same live log', async () => {
    const failed = bundleDetail({ status: 'build-failed', lastBuild: buildState({ state: 'failed', imageId: null, durationMs: null, error: 'The image build failed at step 5/12: pip check', logTail: ['Step 5/12 : RUN pip check', 'ERROR: scikit-learn 1.2.1 has requirement numpy>=1.17'] }) });
    const { transport } = renderBundles({ 'bundles.get': () => failed }, 'build');
    const panel = await screen.findByRole('tabpanel');
    expect(within(panel).getByRole('alert').textContent).toContain('The last build failed');
    expect(within(panel).getByRole('log', { name: 'Build log' }).textContent).toContain('ERROR: scikit-learn');
    const rebuild = within(panel).getByRole('button', { name: 'Rebuild' });
    await act(async () => fireEvent.click(rebuild));
    emitJob(transport, buildJob({ state: 'running', progress: 0.5, message: 'Step 6/12 : COPY app/ /srv/app/' }));
    expect(within(panel).getByRole('log', { name: 'Build log' }).textContent).toBe('Step 6/12 : COPY app/ /srv/app/\n');
    expect(within(panel).getByRole('progressbar', { name: 'Build progress' }).getAttribute('aria-valuenow')).toBe('50');
    expect((within(panel).getByRole('button', { name: 'Rebuild' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('the Smoke test tab shows the last results with the shared component', async () => {
    renderBundles({}, 'smoke');
    const panel = await screen.findByRole('tabpanel');
    expect(within(panel).getByRole('heading', { name: 'Smoke test passed' })).toBeTruthy();
    expect(within(panel).getByRole('button', { name: 'Run again' })).toBeTruthy();
  });

  it('an export refused by failing gates lists them with what to do, and “Export anyway…” passes a recorded reason', async () => {
    const { transport } = renderBundles(
      {
        'bundles.get': () => bundleDetail(),
        'readiness.get': () => unbuiltReport(),
        'bundles.export': ({ overrideGates }) =>
          overrideGates ? exportJob() : fail('GATE_FAILED', 'churn@1 cannot be exported: 3 hand-off gates fail: …', 'Fix them, or export with a recorded reason.'),
      },
      'export',
    );
    const panel = await screen.findByRole('tabpanel');
    await act(async () => fireEvent.click(within(panel).getByRole('button', { name: 'Export' })));
    const refusal = await within(panel).findByRole('alert');
    expect(refusal.textContent).toContain('Not exported: 3 hand-off gates fail');
    const gates = await within(refusal).findByRole('list', { name: 'Failing hand-off gates' });
    expect([...gates.querySelectorAll('[data-gate]')].map((g) => g.getAttribute('data-gate'))).toEqual(['image-builds', 'smoke-test', 'golden-parity']);
    expect(gates.textContent).toContain('Build the image and run the smoke test (for image-builds).');
    expect(within(refusal).getByRole('link', { name: 'Open the readiness checklist' }).getAttribute('href')).toBe('#/bundles/churn@1/readiness');

    fireEvent.click(within(refusal).getByRole('button', { name: 'Export anyway…' }));
    const dialog = screen.getByRole('dialog', { name: 'Export past failing gates' });
    expect(dialog.textContent).toContain('Each failing gate is overridden with this reason');
    expect(dialog.textContent).toContain('The container smoke test passes');
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: 'short' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Export anyway' }));
    expect(transport.calls.filter((c) => c.method === 'bundles.export')).toHaveLength(1);
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: 'Operations build and test the image on their side.' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Export anyway' })));
    expect(transport.calls.filter((c) => c.method === 'bundles.export').map((c) => c.input)).toEqual([
      { name: 'churn', version: 1, includeImage: false },
      { name: 'churn', version: 1, includeImage: false, overrideGates: 'Operations build and test the image on their side.' },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(within(panel).queryByRole('list', { name: 'Failing hand-off gates' })).toBeNull();
    expect(within(panel).getByRole('progressbar', { name: /Export/ })).toBeTruthy();
  });

  it('other export failures stay a plain error', async () => {
    renderBundles({ 'bundles.export': () => fail('CONFLICT', 'A build of churn@1 is running.') }, 'export');
    const panel = await screen.findByRole('tabpanel');
    await act(async () => fireEvent.click(within(panel).getByRole('button', { name: 'Export' })));
    expect(within(panel).getByRole('alert').textContent).toContain('The export failed');
    expect(within(panel).queryByRole('button', { name: 'Export anyway…' })).toBeNull();
  });

  it('the Overview shows the readiness summary, linking to the Readiness tab', async () => {
    renderBundles({}, 'overview');
    const panel = await screen.findByRole('tabpanel');
    const summary = within(panel).getByRole('region', { name: 'Readiness' });
    expect((await within(summary).findByRole('link', { name: '1' })).getAttribute('href')).toBe('#/bundles/churn@1/readiness');
    expect(summary.textContent).toContain('7 of 7 pass');
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Overview', 'Files 5', 'Build', 'Smoke test', 'Readiness', 'Export & verify']);
  });

  it('says when there is no such bundle', async () => {
    renderBundles({ 'bundles.get': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'No bundle of churn@1.', remedy: 'Create it.' } }) }, 'overview');
    expect(await screen.findByText('No such bundle')).toBeTruthy();
  });
});
