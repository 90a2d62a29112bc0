// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { BundleDetail } from '../../../../shared/contract/index.js';
import { newBundleWizard, type WizardStep } from '../../store/index.js';
import {
  bundleDetail,
  bundleExport,
  bundleImage,
  bundlePlan,
  bundleSummary,
  buildJob,
  buildState,
  createJob,
  exportJob,
  fileContent,
  readyBundle,
  smokeJob,
  smokeResult,
  verifyJob,
  verifyResult,
} from '../../testing/bundle-fixtures.js';
import { fail, type FakeHandlers, type FakeTransport } from '../../testing/fake-transport.js';
import { modelSummary } from '../../testing/model-fixtures.js';
import { unbuiltReport } from '../../testing/readiness-fixtures.js';
import { emitJob, renderView } from '../../testing/render-view.js';
import { BundlesView } from './BundlesView.js';

afterEach(cleanup);

const DEFAULTS: FakeHandlers = {
  'models.list': () => [modelSummary({ name: 'churn', latestVersion: 2, versions: 2 }), modelSummary({ name: 'fraud' })],
  'bundles.plan': ({ model, version }) => bundlePlan({ model: { name: model, version: version ?? (model === 'churn' ? 2 : 1) } }),
  'bundles.list': () => [],
  'bundles.get': ({ name, version }) => bundleDetail({ name, version, model: { name, version } }),
  'bundles.readFile': ({ path }) => fileContent({ path, text: path === 'Dockerfile' ? fileContent().text : `contents of ${path}\n` }),
  'bundles.create': () => createJob(),
  'bundles.build': () => buildJob(),
  'bundles.smokeTest': () => smokeJob(),
  'bundles.export': () => exportJob(),
  'bundles.verify': () => verifyJob(),
  'jobs.cancel': ({ id }) => buildJob({ id, state: 'cancelled' }),
};

/** The wizard, opened at `step` for churn v1 whose bundle `detail` is written already. */
function renderWizard(handlers: FakeHandlers = {}, at?: { step: WizardStep; detail?: BundleDetail }) {
  const r = renderView(<BundlesView />, { ...(at ? { 'bundles.plan': () => bundlePlan({ existing: bundleSummary() }), 'bundles.get': () => at.detail ?? bundleDetail() } : {}), ...handlers }, { defaults: DEFAULTS });
  act(() => {
    r.store.getState().setSection('bundles');
    r.store.getState().openBundleWizard(at ? 'churn' : null, at ? 1 : null);
    if (at) r.store.getState().updateBundleWizard({ step: at.step, reached: at.step });
  });
  return r;
}

const stepHeading = (name: RegExp) => screen.findByRole('heading', { level: 2, name });
const calls = (t: FakeTransport, method: string) => t.calls.filter((c) => c.method === method);

describe('PackageWizard: model and options', () => {
  it('offers the models and their versions, shows the plan, and goes on to the base image', async () => {
    const { transport, store } = renderWizard();
    await stepHeading(/Step 1 of 6: Choose the model version/);
    const model = await screen.findByLabelText('Model');
    await within(model).findByRole('option', { name: 'fraud' });
    expect(within(screen.getByLabelText('Version')).getAllByRole('option').map((o) => o.textContent)).toEqual(['Latest (v2)', 'Version 1']);
    const plan = await screen.findByRole('group', { name: 'What the bundle is made from' });
    expect(plan.textContent).toContain('debian-python v1');
    expect(plan.textContent).toContain('3.11.2');
    expect(plan.textContent).toContain('84 packages');
    expect(calls(transport, 'bundles.plan')[0]!.input).toEqual({ model: 'churn' });

    fireEvent.change(screen.getByLabelText('Version'), { target: { value: '1' } });
    await waitFor(() => expect(calls(transport, 'bundles.plan').at(-1)!.input).toEqual({ model: 'churn', version: 1 }));
    expect(store.getState().bundleWizard).toMatchObject({ model: 'churn', version: 1 });

    // The later steps are not reachable yet.
    const nav = screen.getByRole('navigation', { name: 'Package steps' });
    expect((within(nav).getByRole('button', { name: 'Step 4: Build' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(nav).getByRole('button', { name: 'Step 1: Model' }).getAttribute('aria-current')).toBe('step');
    await waitFor(() => expect((screen.getByRole('button', { name: 'Next: base image' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Next: base image' }));
    const heading = await stepHeading(/Base image and libraries/);
    expect(document.activeElement).toBe(heading);
    expect(within(nav).getByRole('button', { name: 'Step 1: Model (done)' })).toBeTruthy();

    // Start over: back to the first step with nothing chosen.
    fireEvent.click(screen.getByRole('button', { name: 'Start over' }));
    await stepHeading(/Choose the model version/);
    expect(store.getState().bundleWizard).toMatchObject({ model: null, step: 'model', reached: 'model' });
    expect(screen.queryByRole('button', { name: 'Start over' })).toBeNull();
  });

  it('says that a bundle of the version exists and that writing replaces it', async () => {
    renderWizard({ 'bundles.plan': () => bundlePlan({ model: { name: 'churn', version: 2 }, existing: bundleSummary({ version: 2, status: 'tested' }) }) });
    const note = await screen.findByRole('note');
    expect(note.textContent).toContain('Writing it again replaces it whole');
    expect(within(note).getByText('tested')).toBeTruthy();
    expect(within(note).getByRole('link', { name: 'open it' }).getAttribute('href')).toBe('#/bundles/churn@2');
  });

  it('points at Models when there is no model to package', async () => {
    renderWizard({ 'models.list': () => [] });
    expect(await screen.findByRole('heading', { name: 'No models to package' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Go to Models' }).getAttribute('href')).toBe('#/models');
  });

  it('takes the base image (the plan’s default as placeholder, local images as suggestions), a strategy and the tolerance', async () => {
    const { store } = renderWizard({}, { step: 'options' });
    await stepHeading(/Base image and libraries/);
    const base = (await screen.findByLabelText('Base image')) as HTMLInputElement;
    expect(base.placeholder).toBe('python:3.11-slim');
    const suggestions = screen.getByRole('group', { name: 'Images on this machine' });
    fireEvent.click(within(suggestions).getByRole('button', { name: 'greenhouse/python-base:bookworm' }));
    expect(base.value).toBe('greenhouse/python-base:bookworm');
    expect(within(suggestions).getByRole('button', { name: 'greenhouse/python-base:bookworm' }).getAttribute('aria-pressed')).toBe('true');
    // Each strategy says what it does in a line.
    expect(screen.getByLabelText(/Wheelhouse/).closest('label')!.textContent).toContain('air-gapped');
    fireEvent.click(screen.getByLabelText(/^Base image.*already has the libraries/));
    expect(store.getState().bundleWizard?.strategy).toBe('base');

    fireEvent.change(screen.getByLabelText('Golden tolerance'), { target: { value: '2' } });
    expect(screen.getByText('Enter a number above 0 and at most 1, e.g. 1e-6.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next: write the bundle' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Golden tolerance'), { target: { value: '1e-4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next: write the bundle' }));
    await stepHeading(/Write the bundle and review it/);
  });
});

describe('PackageWizard: write and review', () => {
  it('writes with the choices, shows the job’s progress, then the files with the Dockerfile first and any file readable', async () => {
    const { transport, store } = renderWizard({ 'bundles.plan': () => bundlePlan(), 'bundles.get': () => bundleDetail() });
    act(() => {
      store.getState().updateBundleWizard({ ...newBundleWizard('churn', 1), step: 'write', reached: 'export', baseImage: 'greenhouse/python-base:bookworm', strategy: 'base', tolerance: '1e-4' });
    });
    await stepHeading(/Write the bundle and review it/);
    expect(screen.getByRole('group', { name: 'What will be written' }).textContent).toContain('greenhouse/python-base:bookworm');
    expect((screen.getByRole('button', { name: 'Next: build' }) as HTMLButtonElement).disabled).toBe(true);

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Write the bundle' })));
    expect(calls(transport, 'bundles.create')[0]!.input).toEqual({ model: 'churn', version: 1, options: { strategy: 'base', tolerance: 1e-4, baseImage: 'greenhouse/python-base:bookworm' } });
    // A bundle written again has no image yet: the steps after writing are to be done again.
    expect(store.getState().bundleWizard?.reached).toBe('write');
    emitJob(transport, createJob({ state: 'running', progress: 0.5, message: 'Writing the serving app…' }));
    expect(screen.getByRole('progressbar', { name: 'Writing the bundle progress' }).getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByText('Writing the serving app…')).toBeTruthy();

    await act(async () => transport.emit('jobs.onUpdate', createJob({ state: 'succeeded', progress: 1, message: 'Done', result: {} })));
    const files = await screen.findByRole('listbox', { name: 'Files of the bundle' });
    const options = within(files).getAllByRole('option');
    expect(options.map((o) => o.querySelector('.file-viewer__path')!.textContent)).toEqual(['Dockerfile', '.dockerignore', 'app/server.py', 'model/model.joblib', 'requirements.txt', 'manifest.json']);
    expect(options[0]!.getAttribute('aria-selected')).toBe('true');
    expect(options[0]!.textContent).toContain('1.5 kB');
    const viewer = await screen.findByLabelText('Dockerfile, read only');
    expect(viewer.textContent).toContain('FROM greenhouse/python-base:bookworm');
    expect(screen.getByText(/Written to/).textContent).toContain('/home/ana/churn/bundles/churn-1');

    // The keyboard moves through the files; a file is read when chosen.
    fireEvent.keyDown(files, { key: 'End' });
    expect(await screen.findByLabelText('manifest.json, read only')).toBeTruthy();
    expect(document.activeElement?.textContent).toContain('manifest.json');
    fireEvent.keyDown(files, { key: 'ArrowUp' });
    expect(await screen.findByLabelText('requirements.txt, read only')).toBeTruthy();
    expect(calls(transport, 'bundles.readFile').map((c) => (c.input as { path: string }).path)).toEqual(['Dockerfile', 'manifest.json', 'requirements.txt']);
    transport.handle({ 'bundles.readFile': ({ path }) => fileContent({ path, text: null, bytes: 18_432 }) });
    fireEvent.click(within(files).getByRole('option', { name: /model\.joblib/ }));
    expect(await screen.findByText(/A binary file \(18 kB\); it is not shown/)).toBeTruthy();

    expect((screen.getByRole('button', { name: 'Next: build' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByRole('button', { name: 'Write again' })).toBeTruthy();
  });

  it('says why the bundle could not be written', async () => {
    const { transport, store } = renderWizard({ 'bundles.plan': () => bundlePlan() });
    act(() => store.getState().updateBundleWizard({ ...newBundleWizard('churn', 1), step: 'write', reached: 'write' }));
    const button = await screen.findByRole('button', { name: 'Write the bundle' });
    await act(async () => fireEvent.click(button));
    emitJob(transport, createJob({ state: 'failed', error: { code: 'INVALID_INPUT', message: 'churn@1 has no environment recorded.', remedy: 'Register the model again with --python.' } }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Could not write the bundle');
    expect(alert.textContent).toContain('Register the model again with --python.');
  });
});

describe('PackageWizard: build', () => {
  it('builds with a live log of the engine’s lines, the step fraction and Cancel', async () => {
    const { transport } = renderWizard({}, { step: 'build' });
    const button = await screen.findByRole('button', { name: 'Build the image' });
    await act(async () => fireEvent.click(button));
    expect(calls(transport, 'bundles.build')[0]!.input).toEqual({ name: 'churn', version: 1 });
    const lines = ['Sending 31 files (0.1 MB) to the engine…', 'Step 1/12 : FROM greenhouse/python-base:bookworm', ' ---> 68a2c8295e8f', 'Step 2/12 : LABEL org.opencontainers.image.title=churn'];
    lines.forEach((message, i) => emitJob(transport, buildJob({ state: 'running', progress: i / 12, message })));
    const log = screen.getByRole('log', { name: 'Build log' });
    expect(log.textContent).toBe(`${lines.join('\n')}\n`);
    expect(log.querySelector('.job-log__line--step')!.textContent).toContain('Step 1/12');
    expect(screen.getByRole('progressbar', { name: 'Build progress' }).getAttribute('aria-valuenow')).toBe('25');
    expect((screen.getByRole('button', { name: 'Next: smoke test' }) as HTMLButtonElement).disabled).toBe(true);

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel the build' })));
    expect(calls(transport, 'jobs.cancel')[0]!.input).toEqual({ id: 'bbuild-1' });
    expect(screen.getByText('The build was cancelled; nothing was kept.')).toBeTruthy();
    // The log stays to read.
    expect(screen.getByRole('log', { name: 'Build log' }).textContent).toContain('Step 2/12');
  });

  it('a failed build shows its error quoting the step and the remedy, and builds again', async () => {
    const { transport } = renderWizard({}, { step: 'build' });
    const button = await screen.findByRole('button', { name: 'Build the image' });
    await act(async () => fireEvent.click(button));
    emitJob(transport, buildJob({ state: 'running', progress: 0.4, message: 'Step 5/12 : RUN python build/check_versions.py' }));
    const error = { code: 'INVALID_INPUT' as const, message: 'The image build failed at step 5/12 (RUN python build/check_versions.py):\nscikit-learn: the model needs 1.2.1, the base image has 1.3.0', remedy: 'Use a base image with scikit-learn 1.2.1, or the pip strategy.' };
    await act(async () => transport.emit('jobs.onUpdate', buildJob({ state: 'failed', message: `Failed: ${error.message}`, error })));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The build failed');
    expect(alert.textContent).toContain('step 5/12');
    expect(alert.textContent).toContain('Use a base image with scikit-learn 1.2.1, or the pip strategy.');
    expect(screen.getByRole('log', { name: 'Build log' }).querySelector('.job-log__line--error')).toBeTruthy();
    await act(async () => fireEvent.click(within(alert).getByRole('button', { name: 'Build again' })));
    expect(calls(transport, 'bundles.build')).toHaveLength(2);
  });

  it('without a container engine: the remedy, and on to export without an image', async () => {
    const { transport } = renderWizard({ 'bundles.build': () => fail('DOCKER_UNAVAILABLE', 'No container engine answered at /var/run/docker.sock.', 'Start Docker, or set DOCKER_HOST, then check again.') }, { step: 'build' });
    const button = await screen.findByRole('button', { name: 'Build the image' });
    await act(async () => fireEvent.click(button));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('No container engine');
    expect(alert.textContent).toContain('Start Docker, or set DOCKER_HOST, then check again.');
    expect(transport.calls.some((c) => c.method === 'jobs.cancel')).toBe(false);
    fireEvent.click(within(alert).getByRole('button', { name: 'Continue to export without an image' }));
    await stepHeading(/Export and verify/);
    expect((screen.getByLabelText('Include the image') as HTMLInputElement).disabled).toBe(true);
  });

  it('a built image lets the wizard go on; the last build’s log tail is shown', async () => {
    renderWizard({}, { step: 'build', detail: bundleDetail({ status: 'built', image: bundleImage(), lastBuild: buildState() }) });
    const log = await screen.findByRole('log', { name: 'Build log' });
    expect(log.textContent).toContain('Successfully built 9c1e2d3f4a5b');
    expect(screen.getByText('9c1e2d3f4a5b')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Rebuild' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next: smoke test' }));
    await stepHeading(/Smoke-test the image/);
  });
});

describe('PackageWizard: smoke test, export, verify', () => {
  it('runs the smoke test (the workspace setting picks the network) and shows its results', async () => {
    const { transport } = renderWizard({}, { step: 'smoke', detail: bundleDetail({ status: 'built', image: bundleImage(), lastBuild: buildState() }) });
    const button = await screen.findByRole('button', { name: 'Run the smoke test' });
    await act(async () => fireEvent.click(button));
    expect(calls(transport, 'bundles.smokeTest')[0]!.input).toEqual({ name: 'churn', version: 1, timeoutSeconds: 60 });
    emitJob(transport, smokeJob({ state: 'running', progress: 0.3, message: 'Replaying 100 golden examples through /predict and /v2/models/churn/infer…' }));
    expect(screen.getByRole('log', { name: 'Smoke test log' }).textContent).toContain('Replaying 100 golden examples');
    await act(async () => transport.emit('jobs.onUpdate', smokeJob({ state: 'succeeded', progress: 1, result: smokeResult() })));
    expect(await screen.findByRole('heading', { name: 'Smoke test passed' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Checks' }).querySelectorAll('[data-ok="true"]')).toHaveLength(8);
  });

  it('exports with the image, shows the archive, and verifies it', async () => {
    const { transport } = renderWizard({}, { step: 'export', detail: readyBundle() });
    const include = (await screen.findByLabelText('Include the image')) as HTMLInputElement;
    expect(include.disabled).toBe(false);
    fireEvent.click(include);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Export' })));
    expect(calls(transport, 'bundles.export')[0]!.input).toEqual({ name: 'churn', version: 1, includeImage: true });
    emitJob(transport, exportJob({ state: 'running', progress: 0.6, message: 'Saving the image…' }));
    expect(screen.getByRole('progressbar', { name: 'Export progress' }).getAttribute('aria-valuenow')).toBe('60');
    const exported = bundleExport({ includesImage: true, bytes: 312_000_000 });
    await act(async () => transport.emit('jobs.onUpdate', exportJob({ state: 'succeeded', progress: 1, result: exported })));
    const archive = screen.getByRole('group', { name: 'The archive' });
    expect(archive.textContent).toContain('/home/ana/churn/bundles/churn-1.tar.gz');
    expect(archive.textContent).toContain('312 MB');
    expect(archive.textContent).toContain(exported.sha256);

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Verify' })));
    expect(calls(transport, 'bundles.verify')[0]!.input).toEqual({ path: '/home/ana/churn/bundles/churn-1.tar.gz', rerun: true });
    await act(async () => transport.emit('jobs.onUpdate', verifyJob({ state: 'succeeded', progress: 1, result: verifyResult() })));
    expect(await screen.findByRole('heading', { name: 'Verified' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Open the bundle’s page' }).getAttribute('href')).toBe('#/bundles/churn@1');
  });

  it('an export refused by failing gates (no image: the receiver builds it) shows them, and exports anyway with a reason', async () => {
    const { transport } = renderWizard(
      {
        'readiness.get': () => unbuiltReport(),
        'bundles.export': ({ overrideGates }) => (overrideGates ? exportJob() : fail('GATE_FAILED', 'churn@1 cannot be exported: 3 hand-off gates fail.', 'Fix them, or export with a recorded reason.')),
      },
      { step: 'export' },
    );
    await act(async () => fireEvent.click(await screen.findByRole('button', { name: 'Export' })));
    const refusal = screen.getByRole('alert');
    const gates = await within(refusal).findByRole('list', { name: 'Failing hand-off gates' });
    expect(within(gates).getAllByText('failed')).toHaveLength(3);
    expect(gates.textContent).toContain('Build the image and run the smoke test');
    fireEvent.click(within(refusal).getByRole('button', { name: 'Export anyway…' }));
    const dialog = screen.getByRole('dialog', { name: 'Export past failing gates' });
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: 'The receiver builds the image.' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Export anyway' })));
    expect(calls(transport, 'bundles.export').map((c) => c.input)).toEqual([
      { name: 'churn', version: 1, includeImage: false },
      { name: 'churn', version: 1, includeImage: false, overrideGates: 'The receiver builds the image.' },
    ]);
    await act(async () => transport.emit('jobs.onUpdate', exportJob({ state: 'succeeded', progress: 1, result: bundleExport() })));
    expect(screen.getByRole('group', { name: 'The archive' }).textContent).toContain('churn-1.tar.gz');
  });
});
