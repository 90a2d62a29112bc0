import { z } from 'zod';
import { event, method } from './define.js';
import { empty, fsPath, isoTime } from './common.js';
import { smokeNetwork } from './bundles.js';

export const workspaceInfo = z.object({
  path: z.string(),
  name: z.string(),
  createdAt: isoTime,
  catalogVersion: z.number().int(),
  counts: z.object({
    datasets: z.number().int(),
    notebooks: z.number().int(),
    environments: z.number().int(),
    models: z.number().int(),
    bundles: z.number().int(),
    jobsRunning: z.number().int(),
  }),
});
export type WorkspaceInfo = z.infer<typeof workspaceInfo>;

export const recentWorkspace = z.object({ path: z.string(), name: z.string(), openedAt: isoTime, exists: z.boolean() });
export type RecentWorkspace = z.infer<typeof recentWorkspace>;

export const workspaceSettings = z.object({
  /** Datasets larger than this are kept by reference (path and hash), not copied into the workspace. */
  snapshotLimitBytes: z.number().int().min(0).default(2 * 1024 ** 3),
  /** Model files larger than this are refused (a model that big usually carries its training data). */
  modelLimitBytes: z.number().int().min(1).default(2 * 1024 ** 3),
  /**
   * How smoke tests reach a container: 'publish' (a port published on 127.0.0.1, for laptops) or
   * 'host' (host networking on a free loopback port, for engines without a bridge network, as in CI).
   */
  smokeNetwork: smokeNetwork.default('publish'),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettings>;

export const workspaceMethods = {
  'workspace.settings': method({ input: empty, output: workspaceSettings, summary: 'The open workspace\'s settings.' }),
  'workspace.updateSettings': method({
    input: workspaceSettings.partial(),
    output: workspaceSettings,
    summary: 'Change some of the open workspace\'s settings.',
  }),
  'workspace.current': method({
    input: empty,
    output: workspaceInfo.nullable(),
    summary: 'The open workspace, or null.',
  }),
  'workspace.create': method({
    input: z.object({ path: fsPath, name: z.string().trim().min(1).max(200).optional() }),
    output: workspaceInfo,
    summary: 'Create a workspace in a folder (created if missing) and open it.',
  }),
  'workspace.open': method({
    input: z.object({ path: fsPath }),
    output: workspaceInfo,
    summary: 'Open an existing workspace folder.',
  }),
  'workspace.close': method({ input: empty, output: z.null(), summary: 'Close the open workspace.' }),
  'workspace.recent': method({
    input: empty,
    output: z.array(recentWorkspace),
    summary: 'Workspaces this user opened recently, newest first.',
  }),
  'workspace.forget': method({
    input: z.object({ path: fsPath }),
    output: z.array(recentWorkspace),
    summary: 'Remove a workspace from the recent list (the folder is not touched).',
  }),
};

export const workspaceEvents = {
  'workspace.onChanged': event({
    payload: workspaceInfo.nullable(),
    summary: 'The open workspace changed (opened, closed or its counts moved).',
  }),
};
