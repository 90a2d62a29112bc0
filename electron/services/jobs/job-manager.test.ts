import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../shared/contract/index.js';
import { tempDir } from '../../test-support/temp.js';
import { EventBus } from '../events.js';
import { sha256File } from '../objects/object-store.js';
import { WorkspaceSession } from '../workspace/workspace-session.js';
import type { WorkerScript } from './job-manager.js';

const slowWorker: WorkerScript = {
  url: new URL('../../test-support/slow-job-worker.ts', import.meta.url)
};

const sessions: WorkspaceSession[] = [];
afterEach(async () => {
  while (sessions.length) await sessions.pop()!.close();
});

async function workspace(workerScript?: WorkerScript) {
  const events = new EventBus();
  const updates: Job[] = [];
  events.onAny((name, payload) => {
    if (name === 'jobs.onUpdate') updates.push(payload as Job);
  });
  const session = await WorkspaceSession.create(tempDir(), 'jobs', { actor: 'tester', events, workerScript });
  sessions.push(session);
  return { session, updates };
}

describe('JobManager', () => {
  it('runs a job in a worker thread, streams progress several times a second and persists the outcome', async () => {
    const { session, updates } = await workspace(slowWorker);
    const t0 = Date.now();
    const job = session.jobs.start('objects.verify', { steps: 40, stepMs: 25 }, { title: 'Counting' });
    expect(job.state).toBe('running');
    const done = await session.jobs.wait(job.id, 10_000);
    const seconds = (Date.now() - t0) / 1000;
    expect(done).toMatchObject({ state: 'succeeded', progress: 1, result: { counted: 40 }, error: null });
    const progress = updates.filter((u) => u.id === job.id && u.state === 'running' && u.progress !== null);
    expect(progress.length / seconds).toBeGreaterThan(3);
    const fractions = progress.map((u) => u.progress!);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    expect(session.jobs.list()[0]).toMatchObject({ id: job.id, state: 'succeeded' });
    const actions = session.catalog.listAudit({ limit: 10 }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['job.started', 'job.succeeded']));
  });

  it('cancels a running job: it ends as cancelled and its commit never runs', async () => {
    const { session } = await workspace(slowWorker);
    let committed = false;
    const job = session.jobs.start('objects.verify', { steps: 1000, stepMs: 10 }, { title: 'Long', commit: () => (committed = true) });
    await new Promise((r) => setTimeout(r, 100));
    session.jobs.cancel(job.id);
    const done = await session.jobs.wait(job.id, 10_000);
    expect(done.state).toBe('cancelled');
    expect(done.error?.code).toBe('CANCELLED');
    expect(committed).toBe(false);
  });

  it('stops a task that ignores cancellation after the grace period', async () => {
    const { session } = await workspace(slowWorker);
    const job = session.jobs.start('objects.verify', { steps: 100_000, stepMs: 5, ignoreCancel: true }, { title: 'Stubborn' });
    session.jobs.cancel(job.id);
    const done = await session.jobs.wait(job.id, 15_000);
    expect(done.state).toBe('cancelled');
  }, 20_000);

  it('records a failing task with its error and remedy', async () => {
    const { session } = await workspace(slowWorker);
    const job = session.jobs.start('objects.verify', { steps: 10, stepMs: 1, failAt: 3 }, { title: 'Fails' });
    const done = await session.jobs.wait(job.id, 10_000);
    expect(done).toMatchObject({ state: 'failed', error: { code: 'IO_ERROR', message: 'step 3 failed', remedy: 'fix it' } });
  });

  it('fails the job and keeps nothing when recording its result fails', async () => {
    const { session } = await workspace(slowWorker);
    const job = session.jobs.start('objects.verify', { steps: 2, stepMs: 1 }, {
      title: 'Bad commit',
      commit: (tx) => {
        tx.audit({ action: 'should.not.survive' });
        throw new Error('constraint failed');
      },
    });
    const done = await session.jobs.wait(job.id, 10_000);
    expect(done.state).toBe('failed');
    expect(done.error?.message).toContain('constraint failed');
    expect(session.catalog.listAudit({ limit: 50 }).map((e) => e.action)).not.toContain('should.not.survive');
  });

  it('shows a job cut off by a crash as interrupted on the next start', async () => {
    const { session } = await workspace(slowWorker);
    const root = session.paths.root;
    await session.close();
    sessions.length = 0;
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../test-support/start-job-and-hang.ts', import.meta.url)), root], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [firstLine] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const { id } = JSON.parse(firstLine) as { id: string };
    child.kill('SIGKILL');
    await once(child, 'exit');

    const reopened = await WorkspaceSession.open(root, { actor: 'tester', events: new EventBus(), workerScript: slowWorker });
    sessions.push(reopened);
    expect(reopened.jobs.get(id)).toMatchObject({ state: 'interrupted', error: { code: 'INTERRUPTED' } });
    expect(reopened.catalog.listAudit({ limit: 5, action: 'job.interrupted' })).toHaveLength(1);
  }, 30_000);
});

describe('objects.verify (the real task in the real worker)', () => {
  it('finds snapshots whose bytes no longer match their hash', async () => {
    const { session } = await workspace();
    const dir = tempDir();
    const digests: string[] = [];
    for (const [i, text] of ['alpha', 'beta', 'gamma'].entries()) {
      const file = `${dir}/f${i}.txt`;
      writeFileSync(file, text.repeat(10_000));
      const sha = await sha256File(file);
      await session.objects.putFile(file, sha);
      digests.push(sha);
    }
    writeFileSync(session.objects.pathOf(digests[1]!), 'tampered');
    const job = session.jobs.start('objects.verify', {}, { title: 'Verify' });
    const done = await session.jobs.wait(job.id, 20_000);
    expect(done.state).toBe('succeeded');
    expect(done.result).toEqual({ checked: 3, bytes: 50_000 + 8 + 50_000, corrupt: [digests[1]] });
  }, 30_000);
});
