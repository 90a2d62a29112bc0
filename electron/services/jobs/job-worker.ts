// Entry point of the worker thread that runs one job. Never runs on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/errors.js';
import { toAppErrorData } from '../errors.js';
import { TASKS } from './tasks/index.js';
import { throttleProgress, type FromWorker, type ToWorker, type WorkerStart } from './task.js';

const port = parentPort;
if (!port) throw new Error('job-worker must run in a worker thread');
const start = workerData as WorkerStart;
const controller = new AbortController();
const send = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') controller.abort(new AppError('CANCELLED', 'The job was cancelled.'));
});

const task = TASKS[start.kind] as (input: unknown, ctx: Parameters<(typeof TASKS)[typeof start.kind]>[1]) => Promise<unknown>;
try {
  if (!task) throw new AppError('INTERNAL', `No task for job kind ${start.kind}`);
  const result = await task(start.input, {
    signal: controller.signal,
    workspaceRoot: start.workspaceRoot,
    progress: throttleProgress((progress, message) => send({ type: 'progress', progress, message })),
  });
  send({ type: 'done', result });
} catch (e) {
  const error = controller.signal.aborted ? new AppError('CANCELLED', 'The job was cancelled.').toData() : toAppErrorData(e);
  send({ type: 'failed', error });
} finally {
  port.close();
}
