import { z } from 'zod';
import { method } from './define.js';
import { empty, fsPath } from './common.js';

export const appInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** Which transport the renderer is talking through. */
  mode: z.enum(['electron', 'browser', 'cli']),
  platform: z.string(),
  /** Whether native file dialogs are available (desktop app only). */
  nativeDialogs: z.boolean(),
  user: z.string(),
});
export type AppInfo = z.infer<typeof appInfo>;

export const pickPathInput = z.object({
  kind: z.enum(['directory', 'file']),
  title: z.string().max(200).optional(),
  /** File-name filters, e.g. [{ name: 'Data', extensions: ['csv', 'parquet'] }]. */
  filters: z.array(z.object({ name: z.string(), extensions: z.array(z.string()) })).max(20).optional(),
});

export const appMethods = {
  'app.info': method({ input: empty, output: appInfo, summary: 'Version, mode and platform of the backend.' }),
  'dialog.pickPath': method({
    input: pickPathInput,
    output: z.object({ path: fsPath.nullable() }),
    summary: 'Show a native file or folder dialog (desktop app only).',
  }),
};
