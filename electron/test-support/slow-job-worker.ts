// A job worker for testing the job machinery itself: counts to `steps` with a pause per step,
// speaking the same protocol as the real job-worker. `ignoreCancel` simulates a stuck task.
import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { throttleProgress, type FromWorker, type ToWorker, type WorkerStart } from '../services/jobs/task.js';

const port = parentPort!;
const start = workerData as WorkerStart;
const input = start.input as { steps: number; stepMs: number; ignoreCancel?: boolean; failAt?: number };
let cancelled = false;
port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel' && !input.ignoreCancel) cancelled = true;
});
const send = (m: FromWorker) => port.postMessage(m);
const progress = throttleProgress((p, message) => send({ type: 'progress', progress: p, message }), 20);

for (let i = 0; i < input.steps; i++) {
  if (cancelled) {
    send({ type: 'failed', error: { code: 'CANCELLED', message: 'cancelled', remedy: 'again' } });
    process.exit(0);
  }
  if (input.failAt === i) {
    send({ type: 'failed', error: { code: 'IO_ERROR', message: `step ${i} failed`, remedy: 'fix it' } });
    process.exit(0);
  }
  progress(i / input.steps, `step ${i}`);
  await sleep(input.stepMs);
}
send({ type: 'done', result: { counted: input.steps } });
