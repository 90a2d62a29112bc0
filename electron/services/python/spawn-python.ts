import { spawn, type ChildProcess } from 'node:child_process';

export interface SpawnPythonOptions {
  cwd?: string;
  /** Added to process.env (PYTHONDONTWRITEBYTECODE and PYTHONIOENCODING are set by default). */
  env?: NodeJS.ProcessEnv;
  /** Aborting kills the whole process group. */
  signal?: AbortSignal;
  /** Kill the whole process group after this long. */
  timeoutMs?: number;
  /** 'pipe' to read stdout (line protocols); by default it is discarded (libraries print). */
  stdout?: 'pipe' | 'ignore';
  /** How much of the end of stderr to keep, in characters (default 16 000). */
  stderrTail?: number;
}

export interface PythonExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the process wrote to stderr. */
  stderr: string;
  /** The process could not be started (ENOENT: no such file, EACCES: not executable…). */
  spawnError: NodeJS.ErrnoException | null;
  /** It ran longer than timeoutMs and was killed. */
  timedOut: boolean;
  /** The signal aborted and it was killed. */
  aborted: boolean;
}

export interface PythonProcess {
  child: ChildProcess;
  /** Settles (never rejects) once the process has exited and its output is closed. */
  exited: Promise<PythonExit>;
  /** Kill the process and everything it started (its process group). */
  kill(): void;
}

const isWindows = process.platform === 'win32';

/** Kill a process group (POSIX) or process tree (Windows); quiet when it is already gone. */
export function killProcessGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    if (isWindows) spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    else process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/**
 * Start `python args…` in its own process group, so that a cancel or a timeout kills it together
 * with whatever it started (a kernel, joblib workers, a shell). Whatever the group leaves behind
 * when the leader exits is killed too, so `exited` cannot hang on an inherited pipe.
 */
export function spawnPython(python: string, args: string[], opts: SpawnPythonOptions = {}): PythonProcess {
  const tailLimit = opts.stderrTail ?? 16_000;
  const child = spawn(python, args, {
    cwd: opts.cwd,
    detached: !isWindows,
    windowsHide: true,
    stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8', ...opts.env },
  });
  let stderr = '';
  let timedOut = false;
  let aborted = false;
  const kill = () => killProcessGroup(child.pid);
  const onAbort = () => {
    aborted = true;
    kill();
  };
  const timer =
    opts.timeoutMs !== undefined
      ? setTimeout(() => {
          timedOut = true;
          kill();
        }, opts.timeoutMs)
      : null;
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });

  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    stderr = (stderr + d).slice(-tailLimit);
  });
  // The leader is gone: anything left in its group is a leftover holding our pipes open.
  child.once('exit', kill);

  const exited = new Promise<PythonExit>((resolve) => {
    const done = (result: { code: number | null; signal: NodeJS.Signals | null; spawnError: NodeJS.ErrnoException | null }) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ ...result, stderr, timedOut, aborted });
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      // 'error' without a pid: it never started ('close' may not follow).
      if (child.pid === undefined) done({ code: null, signal: null, spawnError: error });
    });
    child.once('close', (code, signal) => done({ code, signal, spawnError: null }));
  });
  return { child, exited, kill };
}

/** The last lines of a process's stderr, for an error message. */
export function lastLines(text: string, n = 8): string {
  return text.trimEnd().split(/\r?\n/).slice(-n).join('\n');
}
