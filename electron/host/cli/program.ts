import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { AppError } from '../../../shared/errors.js';
import { SMOKE_NETWORKS, workspaceSettings, type DockerStatus } from '../../../shared/contract/index.js';
import { Backend } from '../../services/backend.js';
import { candidateEndpoints, DockerService } from '../../services/docker/docker-service.js';
import { dispatch } from '../../services/rpc/dispatch.js';
import { defaultConfigDir } from '../../services/workspace/recent.js';
import { APP_VERSION } from '../../services/version.js';
import { startHost } from '../http-host.js';
import { CliContext } from './context.js';
import { addDatasetCommands } from './dataset-commands.js';
import { addBundleCommands, verifyBundleAt } from './bundle-commands.js';
import { addModelCommands } from './model-commands.js';
import { addReadinessCommands } from './readiness-commands.js';
import { addDriftCommands } from './drift-commands.js';
import { addNotebookCommands } from './notebook-commands.js';
import { call, CliFailure, followJob, line, printError, type CliIo } from './io.js';

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The built renderer: dist/renderer beside dist/host, or from the repo root when run from sources. */
export function defaultRendererDir(): string {
  const candidates = [new URL('../renderer/', import.meta.url), new URL('../../../dist/renderer/', import.meta.url)];
  const found = candidates.map((u) => fileURLToPath(u)).find((p) => existsSync(p));
  return found ?? fileURLToPath(candidates[0]!);
}

/**
 * Run the CLI once; resolves with the exit code (0 ok, 1 failure, 2 usage error).
 * `serve` resolves only when the host stops.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const backend = new Backend({
    mode: 'cli',
    configDir: defaultConfigDir(io.env),
    docker: new DockerService(() => candidateEndpoints(io.env)),
  });
  const ctx = new CliContext(backend, io);
  const withWorkspace = ctx.withWorkspace.bind(ctx);

  const program = new Command('greenhouse')
    .description('Package a trained model with its environment into a Docker image, a readiness report and a deployable bundle.')
    .version(APP_VERSION, '-V, --version')
    .option('-w, --workspace <dir>', 'the workspace folder (default: the nearest folder above the current one that has .greenhouse/)')
    .option('--json', 'print machine-readable JSON on stdout')
    .option('-q, --quiet', 'no progress output')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();

  const out = ctx.out.bind(ctx);

  program
    .command('init')
    .description('Create a workspace in DIR (default: the current folder).')
    .argument('[dir]', 'folder to turn into a workspace (created if missing)', '.')
    .option('--name <name>', 'a display name (default: the folder name)')
    .action(async (dir: string, opts: { name?: string }, cmd: Command) => {
      ctx.begin(cmd);
      const info = await call(backend, 'workspace.create', { path: resolve(io.cwd, dir), name: opts.name });
      out(info, () => line(io.stdout, `Created workspace "${info.name}" in ${info.path}`));
    });

  program
    .command('status')
    .description('Show the workspace, its catalog, running jobs and the container engine.')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      const workspace = await withWorkspace(g, false);
      const dockerResult = await dispatch(backend.handlers, 'docker.status', {});
      const docker = dockerResult.ok
        ? { available: true as const, ...(dockerResult.value as DockerStatus) }
        : { available: false as const, error: dockerResult.error };
      const jobs = workspace ? (await call(backend, 'jobs.list', { limit: 20 })).filter((j) => j.state === 'running') : [];
      out({ version: APP_VERSION, workspace, docker, runningJobs: jobs }, () => {
        line(io.stdout, `Greenhouse ${APP_VERSION}`);
        if (workspace) {
          line(io.stdout, `Workspace  ${workspace.name} (${workspace.path})`);
          line(io.stdout, `Catalog    version ${workspace.catalogVersion}`);
          const c = workspace.counts;
          line(io.stdout, `Contents   ${c.datasets} datasets, ${c.notebooks} notebooks, ${c.environments} environments, ${c.models} models, ${c.bundles} bundles`);
        } else line(io.stdout, 'Workspace  none here (greenhouse init DIR creates one)');
        if (docker.available) line(io.stdout, `Docker     ${docker.product} ${docker.version} (API ${docker.apiVersion}) at ${docker.endpoint}`);
        else line(io.stdout, `Docker     unavailable: ${docker.error.message}`);
        for (const j of jobs) line(io.stdout, `Running    ${j.title} ${j.progress === null ? '' : `${Math.round(j.progress * 100)}%`}`);
      });
    });

  program
    .command('verify')
    .description('With a PATH: check a bundle folder or .tar.gz offline (every file against the manifest, and its signature). Without: re-hash every stored snapshot in the workspace. Exits 1 when anything does not match.')
    .argument('[path]', 'a bundle folder or archive')
    .option('--no-rerun', 'with an archive that includes the image: do not load it and rerun the smoke test')
    .addOption(new Option('--network <mode>', 'for the rerun: publish (a port published on 127.0.0.1) or host (host networking on a free loopback port)').choices([...SMOKE_NETWORKS]).default('publish'))
    .action(async (path: string | undefined, opts: { rerun: boolean; network: (typeof SMOKE_NETWORKS)[number] }, cmd: Command) => {
      if (path) return verifyBundleAt(ctx, cmd, path, opts);
      const g = ctx.begin(cmd);
      await withWorkspace(g, true);
      const job = await followJob(backend, io, await call(backend, 'objects.verify', {}), Boolean(g.quiet || g.json));
      const result = job.result as { checked: number; bytes: number; corrupt: string[] } | null;
      out(job, () => {
        if (job.state !== 'succeeded' || !result) return;
        line(io.stdout, `Checked ${result.checked} snapshots (${result.bytes} bytes).`);
        for (const c of result.corrupt) line(io.stdout, `CORRUPT ${c}`);
      });
      if (job.state !== 'succeeded') throw new CliFailure(job.error ?? new AppError('INTERNAL', job.message).toData());
      if (result && result.corrupt.length > 0) {
        throw new CliFailure(new AppError('IO_ERROR', `${result.corrupt.length} snapshot(s) no longer match their hash.`, {
          remedy: 'Restore .greenhouse/objects from a backup, or register the affected files again.',
        }).toData(), true);
      }
    });

  const settings = program
    .command('settings')
    .description('Show the workspace\'s settings (greenhouse settings set KEY VALUE changes one).')
    .action(async (_opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      await withWorkspace(g, true);
      const values = await call(backend, 'workspace.settings', {});
      out(values, () => {
        for (const [k, v] of Object.entries(values)) line(io.stdout, `${k.padEnd(20)} ${String(v)}`);
      });
    });
  settings
    .command('set')
    .description(`Change one setting: ${Object.keys(workspaceSettings.shape).join(', ')}.`)
    .argument('<key>', 'the setting')
    .argument('<value>', 'its new value (numbers as digits)')
    .action(async (key: string, value: string, _opts: unknown, cmd: Command) => {
      const g = ctx.begin(cmd);
      if (!Object.keys(workspaceSettings.shape).includes(key)) {
        throw new CommanderError(EXIT.usage, 'greenhouse.usage', `Unknown setting ${key}; the settings are ${Object.keys(workspaceSettings.shape).join(', ')}.`);
      }
      await withWorkspace(g, true);
      const parsed = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      const values = await call(backend, 'workspace.updateSettings', { [key]: parsed });
      out(values, () => line(io.stdout, `${key} = ${String((values as Record<string, unknown>)[key])}`));
    });

  program
    .command('audit')
    .description('Print the audit log, newest first.')
    .addOption(new Option('--limit <n>', 'how many entries').default(50).argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new CommanderError(EXIT.usage, 'greenhouse.usage', `--limit must be a whole number from 1 to 1000, got ${v}`);
      return n;
    }))
    .action(async (opts: { limit: number }, cmd: Command) => {
      const g = ctx.begin(cmd);
      await withWorkspace(g, true);
      const entries = await call(backend, 'audit.list', { limit: opts.limit });
      out(entries, () => {
        for (const e of entries) line(io.stdout, `${e.at}  ${e.actor.padEnd(12)} ${e.action.padEnd(20)} ${e.subject ?? ''}`);
      });
    });

  program
    .command('serve')
    .description('Run Greenhouse in your browser: a local server on 127.0.0.1 that requires the printed token.')
    .addOption(new Option('--port <n>', 'port to listen on (0: any free port)').default(0).argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CommanderError(EXIT.usage, 'greenhouse.usage', `--port must be 0..65535, got ${v}`);
      return n;
    }))
    .option('--open', 'open the URL in the default browser')
    .option('--renderer <dir>', 'folder of the built renderer', defaultRendererDir())
    .action(async (opts: { port: number; open?: boolean; renderer: string }, cmd: Command) => {
      const g = ctx.begin(cmd);
      backend.mode = 'browser';
      await withWorkspace(g, false);
      const host = await startHost({ backend, rendererDir: opts.renderer, port: opts.port });
      // One line, so scripts can read it before the server's lifetime ends.
      if (ctx.json) line(io.stdout, JSON.stringify({ url: host.url, port: host.port, token: host.token }));
      else {
        line(io.stdout, `Greenhouse is running at ${host.url}`);
        line(io.stdout, 'Keep the token private: anyone with this URL can use your workspace. Press Ctrl+C to stop.');
      }
      if (opts.open) openInBrowser(host.url);
      await new Promise<void>((done) => {
        const stop = () => void host.close().then(done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  addDatasetCommands(program, ctx);
  addNotebookCommands(program, ctx);
  addModelCommands(program, ctx);
  addBundleCommands(program, ctx);
  addReadinessCommands(program, ctx);
  addDriftCommands(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    printError(io, ctx.json, e);
    return EXIT.failure;
  } finally {
    await backend.close();
  }
}

function openInBrowser(url: string) {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  spawn(cmd, args as string[], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
}
