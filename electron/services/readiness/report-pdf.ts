// readiness-report.pdf from readiness-report.html with headless Chromium (the CLI; the desktop
// app prints the same file with webContents.printToPDF, see electron/main/report-printer.ts).
// The PDF is written under a temporary name beside the target and renamed, so a failed or
// cancelled print never leaves a half-written report.
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../../shared/errors.js';

export interface PdfOptions {
  /** The browser to run; default: findChromium(). */
  chromium?: string;
  signal?: AbortSignal;
  /** Default 60 s. */
  timeoutMs?: number;
}

/** Prints an HTML file to a PDF file (the CLI's renderPdf, or the desktop app's printer). */
export type PdfRenderer = (htmlPath: string, pdfPath: string, opts?: PdfOptions) => Promise<void>;

export const DEFAULT_PDF_TIMEOUT_MS = 60_000;

/** Names looked up on PATH, in order, after GREENHOUSE_CHROMIUM. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome'];
/** Looked at last, where PATH may not reach (Debian's launcher, the macOS apps). */
export const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

const INSTALL_REMEDY =
  'Install Chromium (Debian/Ubuntu: apt-get install chromium; macOS: install Google Chrome) or set GREENHOUSE_CHROMIUM to the browser executable, then try again. The HTML report is complete without the PDF.';

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

export interface FindChromiumOptions {
  env?: NodeJS.ProcessEnv;
  /** Default: the platform's PATH lookup over `env.PATH`. */
  exists?: (path: string) => boolean;
  candidates?: string[];
}

/**
 * The browser to print with: GREENHOUSE_CHROMIUM (which must exist when set), then chromium,
 * chromium-browser and google-chrome on PATH, then the well-known install paths.
 * Throws NOT_FOUND saying what to install when there is none.
 */
export function findChromium({ env = process.env, exists = isFile, candidates = CHROMIUM_PATHS }: FindChromiumOptions = {}): string {
  const configured = env.GREENHOUSE_CHROMIUM?.trim();
  if (configured) {
    if (exists(configured)) return configured;
    throw new AppError('NOT_FOUND', `GREENHOUSE_CHROMIUM is set to ${configured}, which does not exist.`, {
      remedy: 'Point GREENHOUSE_CHROMIUM at a Chromium or Chrome executable, or unset it to use the one on PATH.',
    });
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      for (const ext of exts) {
        const path = join(dir, name + ext);
        if (exists(path)) return path;
      }
    }
  }
  for (const path of candidates) if (exists(path)) return path;
  throw new AppError('NOT_FOUND', `No Chromium or Chrome was found to print the PDF (looked for GREENHOUSE_CHROMIUM, ${CHROMIUM_NAMES.join(', ')} on PATH, and ${candidates.join(', ')}).`, {
    remedy: INSTALL_REMEDY,
  });
}

/** The command line for one print. --no-sandbox only as root, where Chromium refuses to start with it. */
export function chromiumArgs(htmlPath: string, pdfOut: string, profileDir: string, asRoot = process.getuid?.() === 0): string[] {
  return [
    '--headless',
    ...(asRoot ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--no-pdf-header-footer',
    // The older spelling of the same switch, for browsers before it was renamed; ignored by newer ones.
    '--print-to-pdf-no-header',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    '--disable-sync',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-default-apps',
    '--mute-audio',
    `--user-data-dir=${profileDir}`,
    `--print-to-pdf=${pdfOut}`,
    pathToFileURL(resolve(htmlPath)).href,
  ];
}

/** The last lines of a process's output, for an error message. */
export function tail(text: string, lines = 12, chars = 2000): string {
  const kept = text.trimEnd().split(/\r?\n/).slice(-lines).join('\n');
  return kept.length > chars ? `…${kept.slice(-chars)}` : kept;
}

async function startsWithPdf(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
    const buf = Buffer.alloc(5);
    const { bytesRead } = await fh.read(buf, 0, 5, 0);
    return bytesRead === 5 && buf.toString('latin1') === '%PDF-';
  } catch {
    return false;
  } finally {
    await fh?.close();
  }
}

/**
 * Print `htmlPath` to `pdfPath` with headless Chromium. The PDF appears only when the print
 * succeeded. Errors: NOT_FOUND (no browser, or no HTML file), CANCELLED (signal), IO_ERROR
 * (timeout, or the browser failed: with the end of what it printed).
 */
export async function renderPdf(htmlPath: string, pdfPath: string, opts: PdfOptions = {}): Promise<void> {
  if (!existsSync(htmlPath)) throw new AppError('NOT_FOUND', `The report ${htmlPath} does not exist.`, { remedy: 'Write the HTML report first (greenhouse report BUNDLE --format html).' });
  const browser = opts.chromium ?? findChromium();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PDF_TIMEOUT_MS;
  if (opts.signal?.aborted) throw new AppError('CANCELLED', 'Printing the PDF was cancelled.');
  const target = resolve(pdfPath);
  // Beside the target so that the rename stays on one file system.
  const partial = join(dirname(target), `.${basename(target)}.${process.pid}.partial.pdf`);
  const profile = await mkdtemp(join(tmpdir(), 'greenhouse-chromium-'));
  try {
    await runChromium(browser, chromiumArgs(htmlPath, partial, profile), timeoutMs, opts.signal);
    if (!(await startsWithPdf(partial))) {
      throw new AppError('IO_ERROR', `${basename(browser)} exited without writing a PDF.`, {
        remedy: 'Check that the browser can print (run it with --headless --print-to-pdf by hand), or set GREENHOUSE_CHROMIUM to another Chromium.',
      });
    }
    await rename(partial, target);
  } finally {
    await rm(partial, { force: true });
    // Chromium's helpers may still hold files for a moment after it exits.
    await rm(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

function runChromium(browser: string, args: string[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // Not detached: Ctrl-C in the CLI reaches the browser too. Its helper processes (zygote,
    // renderer) end by themselves when the browser process is gone.
    const child = spawn(browser, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-16_384);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let settled = false;
    let stopReason: AppError | null = null;
    const kill = () => {
      child.kill('SIGKILL');
    };
    const stop = (error: AppError) => {
      if (stopReason) return;
      stopReason = error;
      kill();
    };
    const timer = setTimeout(
      () =>
        stop(
          new AppError('IO_ERROR', `Printing the PDF took longer than ${timeoutMs >= 1000 ? Math.round(timeoutMs / 1000) : timeoutMs / 1000} s; ${basename(browser)} was stopped.`, {
            remedy: 'Try again; if it keeps happening, check that the browser starts headless on this machine (no missing libraries), or raise the timeout.',
          }),
        ),
      timeoutMs,
    );
    const onAbort = () => stop(new AppError('CANCELLED', 'Printing the PDF was cancelled.'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolvePromise();
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(
        e.code === 'ENOENT' || e.code === 'EACCES'
          ? new AppError('NOT_FOUND', `Could not run ${browser}: ${e.code === 'ENOENT' ? 'it does not exist' : 'permission denied'}.`, { remedy: INSTALL_REMEDY })
          : new AppError('IO_ERROR', `Could not run ${browser}: ${e.message}`, { remedy: INSTALL_REMEDY }),
      );
    });
    child.on('close', (code, sig) => {
      if (stopReason) return finish(stopReason);
      if (code === 0) return finish(null);
      const said = tail(output);
      finish(
        new AppError('IO_ERROR', `${basename(browser)} failed to print the PDF (${code === null ? `killed by ${sig}` : `exit code ${code}`})${said ? `:\n${said}` : '.'}`, {
          remedy: 'Read what the browser printed above; running it as root needs --no-sandbox (added automatically for root), and it needs a writable temporary folder.',
        }),
      );
    });
  });
}
