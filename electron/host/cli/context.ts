import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { WorkspaceInfo } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Backend } from '../../services/backend.js';
import { findWorkspace } from '../../services/workspace/find-workspace.js';
import { call, line, type CliIo } from './io.js';

export interface GlobalOptions {
  workspace?: string;
  json?: boolean;
  quiet?: boolean;
}

/** What every command's action needs: the backend, the streams, the global options and the output rule. */
export class CliContext {
  /** Set by the running command; decides how errors print. */
  json = false;

  constructor(
    readonly backend: Backend,
    readonly io: CliIo,
  ) {}

  /** Start of every action: read the global options. */
  begin(cmd: Command): GlobalOptions {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    this.json = Boolean(g.json);
    return g;
  }

  /** Open --workspace, else the nearest workspace above the current folder. */
  async withWorkspace(opts: GlobalOptions, required: true): Promise<WorkspaceInfo>;
  async withWorkspace(opts: GlobalOptions, required: boolean): Promise<WorkspaceInfo | null>;
  async withWorkspace(opts: GlobalOptions, required: boolean): Promise<WorkspaceInfo | null> {
    const dir = opts.workspace ? resolve(this.io.cwd, opts.workspace) : findWorkspace(this.io.cwd);
    if (!dir) {
      if (!required) return null;
      throw new AppError('NO_WORKSPACE', `No Greenhouse workspace in ${this.io.cwd} or any folder above it.`, {
        remedy: 'Run "greenhouse init" here, or pass --workspace DIR.',
      });
    }
    return call(this.backend, 'workspace.open', { path: dir });
  }

  /** JSON on stdout with --json, else the human form. */
  out(value: unknown, human: () => void): void {
    if (this.json) line(this.io.stdout, JSON.stringify(value, null, 2));
    else human();
  }
}
