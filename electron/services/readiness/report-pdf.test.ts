import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/temp.js';
import { reportFixture } from './report-fixture.js';
import { renderReportHtml } from './report-html.js';
import { chromiumArgs, findChromium, renderPdf, tail } from './report-pdf.js';

describe('findChromium', () => {
  const has = (...paths: string[]) => (p: string) => paths.includes(p);

  it('takes GREENHOUSE_CHROMIUM first, and says so when it points nowhere', () => {
    expect(findChromium({ env: { GREENHOUSE_CHROMIUM: '/opt/chrome/chrome', PATH: '/usr/bin' }, exists: has('/opt/chrome/chrome', '/usr/bin/chromium') })).toBe('/opt/chrome/chrome');
    expect(() => findChromium({ env: { GREENHOUSE_CHROMIUM: '/nope', PATH: '/usr/bin' }, exists: has('/usr/bin/chromium') })).toThrow(/GREENHOUSE_CHROMIUM is set to \/nope, which does not exist/);
  });

  it('then chromium, chromium-browser and google-chrome on PATH, then the known install paths', () => {
    const env = { PATH: ['/a', '/b'].join(delimiter) };
    expect(findChromium({ env, exists: has('/b/google-chrome', '/a/chromium-browser') })).toBe('/a/chromium-browser');
    expect(findChromium({ env, exists: has('/b/google-chrome', '/b/chromium') })).toBe('/b/chromium');
    expect(findChromium({ env, exists: has('/usr/bin/chromium'), candidates: ['/usr/bin/chromium'] })).toBe('/usr/bin/chromium');
  });

  it('says what to install when there is none', () => {
    let error: unknown;
    try {
      findChromium({ env: { PATH: '/a' }, exists: () => false });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('No Chromium or Chrome was found'), remedy: expect.stringContaining('apt-get install chromium') });
    expect((error as { remedy: string }).remedy).toContain('GREENHOUSE_CHROMIUM');
  });
});

describe('chromiumArgs', () => {
  it('prints headless to the given file from a file URL, with its own profile, and --no-sandbox only as root', () => {
    const args = chromiumArgs('/tmp/r e/report.html', '/tmp/out.pdf', '/tmp/profile', true);
    expect(args).toEqual(expect.arrayContaining(['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', '--print-to-pdf=/tmp/out.pdf', '--user-data-dir=/tmp/profile']));
    expect(args.at(-1)).toBe('file:///tmp/r%20e/report.html');
    expect(chromiumArgs('/x.html', '/x.pdf', '/p', false)).not.toContain('--no-sandbox');
  });

  it('keeps the end of long output', () => {
    expect(tail(Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n'), 3)).toBe('line 27\nline 28\nline 29');
  });
});

/** A stand-in browser: a shell script that acts on the --print-to-pdf and --user-data-dir it is given. */
function fakeBrowser(dir: string, body: string): string {
  const path = join(dir, 'fake-chromium');
  writeFileSync(
    path,
    `#!/bin/sh
for a in "$@"; do
  case "$a" in
    --print-to-pdf=*) OUT="\${a#--print-to-pdf=}" ;;
    --user-data-dir=*) PROFILE="\${a#--user-data-dir=}" ;;
  esac
done
echo "$PROFILE" > "${dir}/profile-used"
${body}
`,
  );
  chmodSync(path, 0o755);
  return path;
}

function setup() {
  const dir = tempDir('gh-pdf-');
  const out = join(dir, 'out');
  execFileSync('mkdir', [out]);
  const html = join(out, 'readiness-report.html');
  writeFileSync(html, '<!doctype html><title>r</title><p>report</p>');
  return { dir, out, html, pdf: join(out, 'readiness-report.pdf') };
}

const onlyHtml = (out: string) => expect(readdirSync(out)).toEqual(['readiness-report.html']);

describe.skipIf(process.platform === 'win32')('renderPdf with a stand-in browser', () => {
  it('writes the PDF under a temporary name and renames it; the profile folder is removed', async () => {
    const { dir, out, html, pdf } = setup();
    writeFileSync(pdf, 'an older report');
    const browser = fakeBrowser(dir, 'case "$OUT" in *.partial.pdf) ;; *) exit 9 ;; esac\nprintf "%%PDF-1.4 fake" > "$OUT"');
    await renderPdf(html, pdf, { chromium: browser });
    expect(readFileSync(pdf, 'latin1')).toBe('%PDF-1.4 fake');
    expect(readdirSync(out).sort()).toEqual(['readiness-report.html', 'readiness-report.pdf']);
    const profile = readFileSync(join(dir, 'profile-used'), 'utf8').trim();
    expect(profile).toMatch(/greenhouse-chromium-/);
    expect(existsSync(profile)).toBe(false);
  });

  it('fails with the exit code and the end of what the browser printed', async () => {
    const { dir, out, html, pdf } = setup();
    const browser = fakeBrowser(dir, 'printf "%%PDF-half" > "$OUT"\nfor i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do echo "noise $i" >&2; done\necho "ERROR: cannot open display" >&2\nexit 3');
    const error = await renderPdf(html, pdf, { chromium: browser }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('fake-chromium failed to print the PDF (exit code 3)') });
    expect((error as Error).message).toContain('ERROR: cannot open display');
    expect((error as Error).message).not.toContain('noise 1\n');
    onlyHtml(out);
  });

  it('fails when the browser exits cleanly without writing a PDF', async () => {
    const { dir, out, html, pdf } = setup();
    await expect(renderPdf(html, pdf, { chromium: fakeBrowser(dir, 'exit 0') })).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('exited without writing a PDF') });
    await expect(renderPdf(html, pdf, { chromium: fakeBrowser(dir, 'echo "<html>" > "$OUT"') })).rejects.toMatchObject({ code: 'IO_ERROR' });
    onlyHtml(out);
  });

  it('stops a browser that hangs, and one that is cancelled, leaving nothing behind', async () => {
    const { dir, out, html, pdf } = setup();
    const hang = fakeBrowser(dir, 'printf "%%PDF-partial" > "$OUT"\nexec sleep 30');
    const started = Date.now();
    await expect(renderPdf(html, pdf, { chromium: hang, timeoutMs: 300 })).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringContaining('took longer than 0.3 s') });
    expect(Date.now() - started).toBeLessThan(5000);
    onlyHtml(out);

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(renderPdf(html, pdf, { chromium: hang, signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    onlyHtml(out);
    const aborted = new AbortController();
    aborted.abort();
    await expect(renderPdf(html, pdf, { chromium: hang, signal: aborted.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('says what is missing: the browser, or the HTML', async () => {
    const { dir, out, html, pdf } = setup();
    await expect(renderPdf(html, pdf, { chromium: join(dir, 'no-such-browser') })).rejects.toMatchObject({ code: 'NOT_FOUND', remedy: expect.stringContaining('apt-get install chromium') });
    await expect(renderPdf(join(out, 'missing.html'), pdf, { chromium: fakeBrowser(dir, 'exit 0') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    onlyHtml(out);
  });
});

const realChromium = (() => {
  try {
    return findChromium();
  } catch {
    return null;
  }
})();
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;

describe.skipIf(!realChromium)('renderPdf with real Chromium', () => {
  it('prints the report to an A4 PDF', async () => {
    const dir = tempDir('gh-pdf-real-');
    const html = join(dir, 'readiness-report.html');
    const pdf = join(dir, 'readiness-report.pdf');
    writeFileSync(html, renderReportHtml(reportFixture()));
    await renderPdf(html, pdf, { timeoutMs: 90_000 });
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(readdirSync(dir).sort()).toEqual(['readiness-report.html', 'readiness-report.pdf']);
  }, 120_000);

  // pdftotext is poppler-utils (Debian).
  it.skipIf(!hasPdftotext)('holds the verdict, the score, the checks and the page footer as text', async () => {
    const dir = tempDir('gh-pdf-text-');
    const html = join(dir, 'readiness-report.html');
    const pdf = join(dir, 'readiness-report.pdf');
    writeFileSync(html, renderReportHtml(reportFixture()));
    await renderPdf(html, pdf, { timeoutMs: 90_000 });
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    const flat = text.replace(/\s+/g, ' ');
    // Checked one by one so that a failure names what is missing rather than printing 21 pages.
    for (const expected of [
      'Not ready for production',
      '(2, 3] reasonably tested',
      'New features can be added quickly',
      'Attest the check with a note naming the costly features',
      'Overridden by Oskar Lind',
      '<script>alert(1)</script>',
    ]) {
      expect(flat.includes(expected), expected).toBe(true);
    }
    expect(/FINAL SCORE 3\b/.test(flat), 'FINAL SCORE 3').toBe(true);
    expect(/Page 1 of \d+/.test(flat), 'Page 1 of N').toBe(true);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)/);
    expect(info).toContain('Title:           Readiness report: churn-classifier v3 (not ready, score 3)');
  }, 120_000);
});
