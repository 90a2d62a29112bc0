// The desktop app's PDF printer for readiness-report.html: the report opened in a hidden,
// sandboxed window with JavaScript off and printed with webContents.printToPDF. It has the same
// signature as the CLI's renderPdf (headless Chromium), so the readiness service takes either
// and needs no browser installed when it runs inside Electron.
import { existsSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { BrowserWindow, BrowserWindowConstructorOptions, PrintToPDFOptions } from 'electron';
import { AppError } from '../../shared/errors.js';
import { DEFAULT_PDF_TIMEOUT_MS, type PdfRenderer } from '../services/readiness/report-pdf.js';

/** What the printer needs of a BrowserWindow (tests pass a fake). */
export interface PrintWindow {
  loadFile: BrowserWindow['loadFile'];
  destroy(): void;
  isDestroyed(): boolean;
  webContents: { printToPDF(options: PrintToPDFOptions): Promise<Buffer> };
}

/** Never shown; the report needs no script, no Node and no preload. */
export const PRINT_WINDOW_OPTIONS: BrowserWindowConstructorOptions = {
  show: false,
  webPreferences: {
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    javascript: false,
    webSecurity: true,
    spellcheck: false,
  },
};

/** The page size and margins come from the report's @page rule, as in the CLI's print. */
export const PRINT_TO_PDF_OPTIONS: PrintToPDFOptions = {
  printBackground: true,
  preferCSSPageSize: true,
  displayHeaderFooter: false,
  generateTaggedPDF: true,
  generateDocumentOutline: true,
};

export function createReportPrinter(makeWindow: (options: BrowserWindowConstructorOptions) => PrintWindow): PdfRenderer {
  return async (htmlPath, pdfPath, opts = {}) => {
    if (opts.signal?.aborted) throw new AppError('CANCELLED', 'Printing the PDF was cancelled.');
    if (!existsSync(htmlPath)) throw new AppError('NOT_FOUND', `The report ${htmlPath} does not exist.`, { remedy: 'Write the HTML report first.' });
    const timeoutMs = opts.timeoutMs ?? DEFAULT_PDF_TIMEOUT_MS;
    const target = resolve(pdfPath);
    const partial = join(dirname(target), `.${basename(target)}.${process.pid}.partial.pdf`);
    const win = makeWindow(PRINT_WINDOW_OPTIONS);
    let timer: NodeJS.Timeout | undefined;
    let onAbort = () => {};
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError('IO_ERROR', `Printing the PDF took longer than ${Math.round(timeoutMs / 1000)} s.`, { remedy: 'Try again; a very large report may need a longer timeout.' })), timeoutMs);
      onAbort = () => reject(new AppError('CANCELLED', 'Printing the PDF was cancelled.'));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const pdf = await Promise.race([
        (async () => {
          await win.loadFile(resolve(htmlPath));
          return win.webContents.printToPDF(PRINT_TO_PDF_OPTIONS);
        })(),
        stopped,
      ]);
      await writeFile(partial, pdf);
      await rename(partial, target);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (!win.isDestroyed()) win.destroy();
      await rm(partial, { force: true });
    }
  };
}
