import { z } from 'zod';
import { method } from './define.js';
import { empty, fsPath, isoTime } from './common.js';

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

export const dirEntry = z.object({
  name: z.string(),
  kind: z.enum(['file', 'directory', 'other']),
  bytes: z.number().int().nullable(),
  modifiedAt: isoTime.nullable(),
});
export type DirEntry = z.infer<typeof dirEntry>;

export const dirListing = z.object({
  path: z.string(),
  /** null at the file-system root. */
  parent: z.string().nullable(),
  entries: z.array(dirEntry),
  /** Set when the listing stopped at the entry limit. */
  truncated: z.boolean(),
});
export type DirListing = z.infer<typeof dirListing>;

export const appMethods = {
  'app.info': method({ input: empty, output: appInfo, summary: 'Version, mode and platform of the backend.' }),
  'dialog.pickPath': method({
    input: pickPathInput,
    output: z.object({ path: fsPath.nullable() }),
    summary: 'Show a native file or folder dialog (desktop app only).',
  }),
  'files.list': method({
    input: z.object({ path: fsPath.optional(), showHidden: z.boolean().default(false) }),
    output: dirListing,
    summary: "List a folder on the backend's machine (the in-app file picker of browser mode); default: the open workspace, else home.",
  }),
};
