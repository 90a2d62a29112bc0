import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions, PrintToPDFOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../test-support/temp.js';
import { createReportPrinter, PRINT_TO_PDF_OPTIONS, PRINT_WINDOW_OPTIONS, type PrintWindow } from './report-printer.js';

/** A window that "prints" the HTML it loaded, or hangs, or fails. */
function fakeWindow(behaviour: 'ok' | 'hang' | 'fail' = 'ok') {
  const made: { options: BrowserWindowConstructorOptions; loaded: string[]; printed: PrintToPDFOptions[]; destroyed: boolean }[] = [];
  const make = (options: BrowserWindowConstructorOptions): PrintWindow => {
    const state = { options, loaded: [] as string[], printed: [] as PrintToPDFOptions[], destroyed: false };
    made.push(state);
    return {
      loadFile: vi.fn(async (path: string) => {
        state.loaded.push(path);
      }),
      destroy: () => void (state.destroyed = true),
      isDestroyed: () => state.destroyed,
      webContents: {
        printToPDF: async (o: PrintToPDFOptions) => {
          state.printed.push(o);
          if (behaviour === 'hang') return new Promise<Buffer>(() => {});
          if (behaviour === 'fail') throw new Error('Printing failed');
          return Buffer.from(`%PDF-1.7 of ${state.loaded[0]}`);
        },
      },
    };
  };
  return { make, made };
}

const setup = () => {
  const dir = tempDir('gh-printer-');
  const html = join(dir, 'readiness-report.html');
  writeFileSync(html, '<!doctype html><title>r</title>');
  return { dir, html, pdf: join(dir, 'readiness-report.pdf') };
};

describe('the desktop report printer (webContents.printToPDF)', () => {
  it('prints in a hidden sandboxed window without JavaScript, writes the PDF and closes the window', async () => {
    const { dir, html, pdf } = setup();
    const { make, made } = fakeWindow();
    await createReportPrinter(make)(html, pdf);
    expect(readFileSync(pdf, 'latin1')).toBe(`%PDF-1.7 of ${html}`);
    expect(made).toHaveLength(1);
    expect(made[0]!.options).toEqual(PRINT_WINDOW_OPTIONS);
    expect(PRINT_WINDOW_OPTIONS).toMatchObject({ show: false, webPreferences: { sandbox: true, javascript: false, nodeIntegration: false, contextIsolation: true } });
    expect(made[0]!.printed).toEqual([PRINT_TO_PDF_OPTIONS]);
    expect(PRINT_TO_PDF_OPTIONS).toMatchObject({ preferCSSPageSize: true, printBackground: true, displayHeaderFooter: false });
    expect(made[0]!.destroyed).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['readiness-report.html', 'readiness-report.pdf']);
  });

  it('leaves nothing behind when printing fails, times out or is cancelled', async () => {
    const { dir, html, pdf } = setup();
    const failing = fakeWindow('fail');
    await expect(createReportPrinter(failing.make)(html, pdf)).rejects.toThrow('Printing failed');
    expect(failing.made[0]!.destroyed).toBe(true);

    const hanging = fakeWindow('hang');
    await expect(createReportPrinter(hanging.make)(html, pdf, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(hanging.made[0]!.destroyed).toBe(true);

    const controller = new AbortController();
    const cancelled = createReportPrinter(fakeWindow('hang').make)(html, pdf, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(existsSync(pdf)).toBe(false);
    expect(readdirSync(dir)).toEqual(['readiness-report.html']);
  });

  it('refuses a missing report without opening a window', async () => {
    const { dir } = setup();
    const { make, made } = fakeWindow();
    await expect(createReportPrinter(make)(join(dir, 'nope.html'), join(dir, 'x.pdf'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(made).toHaveLength(0);
  });
});
