// Run the dataset registration task on one file in this process and print the error it fails
// with as JSON (or {"ok":true}). Used to test what an unprivileged user sees: run it as
// `node --import tsx register-as-child.ts FILE WORKSPACE_ROOT` with another uid.
import { AppError } from '../../shared/errors.js';
import { registerDataset } from '../services/datasets/register-task.js';

const [path, workspaceRoot] = process.argv.slice(2) as [string, string];
try {
  await registerDataset(
    { path, snapshot: false, snapshotLimitBytes: 0, knownSha256: [] },
    { signal: new AbortController().signal, workspaceRoot, progress: () => undefined },
  );
  process.stdout.write(JSON.stringify({ ok: true }));
} catch (e) {
  process.stdout.write(JSON.stringify(e instanceof AppError ? e.toData() : { message: String(e) }));
}
