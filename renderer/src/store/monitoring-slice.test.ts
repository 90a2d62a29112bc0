import { describe, expect, it } from 'vitest';
import type { DriftSettings, Job } from '../../../shared/contract/index.js';
import { createFakeTransport, fail } from '../testing/fake-transport.js';
import { job, workspaceInfo } from '../testing/fixtures.js';
import { modelSummary } from '../testing/model-fixtures.js';
import { calmCheck, driftCheck, driftJob, driftSettings, driftSummary } from '../testing/monitoring-fixtures.js';
import { bindEvents, resync } from './bind-events.js';
import { createAppStore, driftOutcome, monitoringRoute, selectDriftCheck, selectDriftHistory, selectDriftRunJob, selectDriftSettings } from './index.js';

function storeWith(handlers: Parameters<typeof createFakeTransport>[0] = {}) {
  const transport = createFakeTransport({ 'jobs.list': () => [], 'audit.list': () => [], 'workspace.current': () => workspaceInfo(), ...handlers });
  const store = createAppStore(transport, { storage: null });
  store.setState({ workspace: workspaceInfo() });
  bindEvents(store, transport);
  return { store, transport };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('monitoring slice', () => {
  it('lists every model with its newest check, read in one call; when that read fails, the models say so', async () => {
    const { store, transport } = storeWith({
      'models.list': () => [modelSummary(), modelSummary({ name: 'upsell' })],
      'drift.latest': () => [driftSummary()],
    });
    await store.getState().loadMonitoredModels();
    const s = store.getState();
    expect(s.monitoredModelsStatus).toBe('ready');
    expect(s.monitoredModels.map((m) => [m.model.name, m.latest?.id ?? null, m.error?.code ?? null])).toEqual([
      ['churn', 3, null],
      ['upsell', null, null],
    ]);
    expect(transport.calls.map((c) => c.method).filter((m) => m.startsWith('drift.'))).toEqual(['drift.latest']);

    transport.handle({ 'drift.latest': () => fail('IO_ERROR', 'The catalog is busy.') });
    await store.getState().loadMonitoredModels();
    expect(store.getState().monitoredModels.map((m) => [m.model.name, m.latest, m.error?.code ?? null])).toEqual([
      ['churn', null, 'IO_ERROR'],
      ['upsell', null, 'IO_ERROR'],
    ]);
  });

  it('keys what it loads by model and check, so a page shows only its own', async () => {
    const { store } = storeWith({
      'drift.history': () => [driftSummary()],
      'drift.get': ({ id }) => (id === 1 ? calmCheck() : driftCheck()),
      'drift.settings': () => driftSettings(),
    });
    const s = () => store.getState();
    await Promise.all([s().loadDriftHistory('churn'), s().loadDriftCheck(1), s().loadDriftSettings('churn')]);
    expect(selectDriftHistory(s(), 'churn')).toHaveLength(1);
    expect(selectDriftHistory(s(), 'upsell')).toBeNull();
    expect(selectDriftCheck(s(), 1)?.drift).toBe(false);
    expect(selectDriftCheck(s(), 3)).toBeNull();
    expect(selectDriftSettings(s(), 'churn')?.custom).toBe(false);
  });

  it('starts a check; when its job succeeds the page shows the stored check and the history is read again', async () => {
    let histories = 0;
    const { store, transport } = storeWith({
      'drift.check': () => driftJob(),
      'drift.history': () => {
        histories += 1;
        return [driftSummary()];
      },
      'models.list': () => [modelSummary()],
    });
    store.getState().showMonitoring(monitoringRoute('churn'));
    expect(await store.getState().startDriftCheck('churn', { data: ' /data/b.csv ', version: 2, bundle: true })).toBe(true);
    expect(transport.calls.find((c) => c.method === 'drift.check')?.input).toEqual({ model: 'churn', data: '/data/b.csv', bundle: true, version: 2 });
    expect(store.getState().driftRuns.churn).toEqual({ jobId: 'drift-1', error: null, path: '/data/b.csv', version: 2, bundle: true });
    expect(selectDriftRunJob(store.getState(), 'churn')?.state).toBe('queued');

    transport.emit('jobs.onUpdate', driftJob({ state: 'succeeded', progress: 1, result: driftCheck() }));
    await settle();
    expect(selectDriftCheck(store.getState(), 3)?.drifted).toEqual(['age', 'monthly_spend']);
    expect(store.getState().monitoringRoute).toEqual(monitoringRoute('churn', { check: 3 }));
    expect(histories).toBe(1);
    // The section's list was never opened: it is not read for nothing.
    expect(transport.calls.some((c) => c.method === 'models.list')).toBe(false);
  });

  it('a check refused at the start keeps why; a job that finished before the answer arrived still shows its result', async () => {
    const { store, transport } = storeWith({ 'drift.check': () => fail('NOT_FOUND', 'No model named churn.', 'Register it first.') });
    expect(await store.getState().startDriftCheck('churn', { data: '/d.csv', version: null, bundle: false })).toBe(false);
    expect(store.getState().driftRuns.churn?.error).toMatchObject({ code: 'NOT_FOUND', remedy: 'Register it first.' });
    store.getState().dismissDriftRun('churn');
    expect(store.getState().driftRuns.churn).toBeUndefined();

    // The job's last event comes before the answer that started it.
    const done = driftJob({ id: 'fast', state: 'succeeded', progress: 1, result: calmCheck() });
    transport.handle({
      'drift.check': () => {
        transport.emit('jobs.onUpdate', done);
        return driftJob({ id: 'fast' });
      },
      'drift.history': () => [],
    });
    store.getState().showMonitoring(monitoringRoute('churn'));
    await store.getState().startDriftCheck('churn', { data: '/d.csv', version: null, bundle: false });
    expect(store.getState().jobsById.fast?.state).toBe('succeeded');
    expect(selectDriftCheck(store.getState(), 1)?.id).toBe(1);
    expect(store.getState().monitoringRoute?.check).toBe(1);
  });

  it('reads a drift.check job’s result only when it has the stored check’s shape', () => {
    expect(driftOutcome(driftJob({ state: 'succeeded', result: driftCheck() }))?.id).toBe(3);
    expect(driftOutcome(driftJob({ state: 'succeeded', result: { drift: true } }))).toBeNull();
    expect(driftOutcome(driftJob({ state: 'failed', result: driftCheck() }))).toBeNull();
    expect(driftOutcome(job({ kind: 'objects.verify', state: 'succeeded', result: driftCheck() }))).toBeNull();
  });

  it('hands a check back; when its registration succeeds the check and the history are read again', async () => {
    const { store, transport } = storeWith({
      'drift.handBack': () => job({ id: 'hb', kind: 'datasets.register', state: 'queued', progress: null }),
      'drift.get': () => driftCheck(),
      'drift.history': () => [driftSummary()],
      'datasets.list': () => [],
    });
    store.getState().showMonitoring(monitoringRoute('churn', { check: 3 }));
    await store.getState().loadDriftCheck(3);
    expect(await store.getState().handBackDriftCheck(3, ' churn-drift-3 ')).toBe(true);
    expect(transport.calls.find((c) => c.method === 'drift.handBack')?.input).toEqual({ id: 3, name: 'churn-drift-3' });
    const before = transport.calls.length;
    transport.emit('jobs.onUpdate', job({ id: 'hb', kind: 'datasets.register', state: 'succeeded', progress: 1, result: null }));
    await settle();
    const after = transport.calls.slice(before).map((c) => c.method);
    expect(after).toContain('drift.get');
    expect(after).toContain('drift.history');
    // Another registration is none of the monitoring page's business.
    const more = transport.calls.length;
    transport.emit('jobs.onUpdate', job({ id: 'other', kind: 'datasets.register', state: 'succeeded', progress: 1 }));
    await settle();
    expect(transport.calls.slice(more).map((c) => c.method)).not.toContain('drift.get');
  });

  it('changes and resets the thresholds; a refusal keeps the ones shown and says why', async () => {
    const custom: DriftSettings = driftSettings({ thresholds: { ...driftSettings().thresholds, psiModerate: 0.2 }, custom: true, updatedAt: '2026-11-29T15:00:00.000Z', updatedBy: 'ana' });
    const { store, transport } = storeWith({
      'drift.settings': () => driftSettings(),
      'drift.updateSettings': ({ thresholds, reset }) =>
        reset ? driftSettings()
        : thresholds?.psiModerate === 0.5 ? fail('INVALID_INPUT', 'The moderate PSI threshold (0.5) is above the significant one (0.25).', 'Keep psiModerate at or below psiSignificant.')
        : custom,
    });
    const s = () => store.getState();
    await s().loadDriftSettings('churn');
    expect(await s().saveDriftSettings('churn', { psiModerate: 0.2 })).toBe(true);
    expect(selectDriftSettings(s(), 'churn')).toEqual(custom);
    expect(await s().saveDriftSettings('churn', { psiModerate: 0.5 })).toBe(false);
    expect(s().driftSettingsSaveError?.message).toContain('above the significant one');
    expect(selectDriftSettings(s(), 'churn')).toEqual(custom);
    expect(await s().resetDriftSettings('churn')).toBe(true);
    expect(selectDriftSettings(s(), 'churn')?.custom).toBe(false);
    expect(s().driftSettingsSaveError).toBeNull();
    expect(transport.calls.filter((c) => c.method === 'drift.updateSettings').map((c) => c.input)).toEqual([
      { model: 'churn', thresholds: { psiModerate: 0.2 } },
      { model: 'churn', thresholds: { psiModerate: 0.5 } },
      { model: 'churn', reset: true },
    ]);
  });

  it('after the event stream was down, reads the shown model’s history again: a check may have finished meanwhile', async () => {
    const { store, transport } = storeWith({
      'models.get': () => fail('NOT_FOUND', 'gone'),
      'drift.history': () => [driftSummary()],
    });
    store.getState().showMonitoring(monitoringRoute('churn'));
    await resync(store);
    expect(transport.calls.filter((c) => c.method === 'drift.history').map((c) => c.input)).toEqual([{ model: 'churn' }]);
    expect(selectDriftHistory(store.getState(), 'churn')?.[0]?.id).toBe(3);
  });

  it('forgets the old workspace’s checks when another opens, and ignores answers that arrive after', async () => {
    let answer: (j: Job) => void = () => {};
    const { store } = storeWith({
      'drift.get': () => driftCheck(),
      'drift.check': () => new Promise<Job>((resolve) => (answer = resolve)),
      'jobs.list': () => [],
      'audit.list': () => [],
    });
    store.getState().showMonitoring(monitoringRoute('churn', { check: 3 }));
    await store.getState().loadDriftCheck(3);
    const starting = store.getState().startDriftCheck('churn', { data: '/d.csv', version: null, bundle: false });
    store.getState().workspaceChanged(workspaceInfo({ path: '/home/ana/other' }));
    answer(driftJob());
    expect(await starting).toBe(false);
    const s = store.getState();
    expect(s.driftCheck).toBeNull();
    expect(s.driftRuns).toEqual({});
    // The place in the app stays: the page reloads from the new workspace.
    expect(s.monitoringRoute).toEqual(monitoringRoute('churn', { check: 3 }));
  });
});
