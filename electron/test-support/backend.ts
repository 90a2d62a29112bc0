// A real Backend for integration tests: the job worker, the SQLite catalog and the object store,
// in temp folders; `call` goes through dispatch, as every transport does.
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/index.js';
import { Backend } from '../services/backend.js';
import { DockerService } from '../services/docker/docker-service.js';
import { dispatch } from '../services/rpc/dispatch.js';
import { tempDir } from './temp.js';

export interface TestBackend {
  backend: Backend;
  /** The workspace folder. */
  ws: string;
  call<N extends MethodName>(method: N, input: MethodInput<N>): Promise<MethodOutput<N>>;
  /** Wait for a job to finish and return it. */
  finish(job: { id: string }, timeoutMs?: number): Promise<MethodOutput<'jobs.wait'>>;
  close(): Promise<void>;
}

export async function startTestBackend(): Promise<TestBackend> {
  const backend = new Backend({ mode: 'cli', configDir: tempDir(), actor: 'tester', docker: new DockerService(() => []) });
  const call = async <N extends MethodName>(method: N, input: MethodInput<N>): Promise<MethodOutput<N>> => {
    const r = await dispatch(backend.handlers, method, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value as MethodOutput<N>;
  };
  const ws = tempDir();
  await call('workspace.create', { path: ws });
  return {
    backend,
    ws,
    call,
    finish: (job, timeoutMs = 120_000) => call('jobs.wait', { id: job.id, timeoutMs }),
    close: () => backend.close(),
  };
}
