// Run as a child process by the crash test: opens a workspace, starts a slow job, says so on
// stdout, then waits to be killed.
import { EventBus } from '../services/events.js';
import { WorkspaceSession } from '../services/workspace/workspace-session.js';

const [root] = process.argv.slice(2);
const session = await WorkspaceSession.open(root!, {
  actor: 'crashy',
  events: new EventBus(),
  workerScript: { url: new URL('./slow-job-worker.ts', import.meta.url) },
});
const job = session.jobs.start('objects.verify', { steps: 10_000, stepMs: 50 }, { title: 'Long job' });
process.stdout.write(`${JSON.stringify({ id: job.id })}\n`);
setInterval(() => undefined, 1000);
