// The report opened in real Chromium (Playwright, Debian's build as in playwright.config.ts):
// it makes no request but the document's own, runs nothing from the hostile strings, shows what a
// reviewer needs, filters checks without JavaScript, and prints everything.
// GREENHOUSE_REPORT_SCREENSHOTS=DIR also saves full-page screenshots (screen and print) there.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, reportFixture } from './report-fixture.js';
import { renderReportHtml } from './report-html.js';

const DEBIAN_CHROMIUM = '/usr/lib/chromium/chromium';
const executablePath = process.env.GREENHOUSE_CHROMIUM ?? (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);
const SCREENSHOTS = process.env.GREENHOUSE_REPORT_SCREENSHOTS;

// A name that cannot resolve: every request is answered (or refused) by the route below.
const DOC_URL = 'http://report.invalid/readiness-report.html';

let browser: Browser;

interface Opened {
  page: Page;
  requests: string[];
  dialogs: string[];
  errors: string[];
  close(): Promise<void>;
}

async function open(html: string): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const requests: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', (route) =>
    route.request().url() === DOC_URL ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(DOC_URL, { waitUntil: 'load' });
  // Give anything deferred (a lazy image, a late script) the chance to show itself.
  await page.waitForTimeout(300);
  return { page, requests, dialogs, errors, close: () => context.close() };
}

const visible = (page: Page, selector: string) => page.locator(selector).first().isVisible();
const text = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();

describe.skipIf(!executablePath)('the readiness report in Chromium', () => {
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('sees a request and a script when a page has them (the probe works)', async () => {
    const o = await open('<!doctype html><title>t</title><img src="http://tracker.invalid/p.png"><script>alert(1)</script>');
    try {
      expect(o.requests).toEqual([DOC_URL, 'http://tracker.invalid/p.png']);
      expect(o.dialogs).toEqual(['1']);
    } finally {
      await o.close();
    }
  }, 60_000);

  it('requests nothing but itself and runs nothing from the hostile strings, with and without its CSP', async () => {
    const html = renderReportHtml(reportFixture());
    const withoutCsp = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    expect(withoutCsp).not.toBe(html);
    for (const doc of [html, withoutCsp]) {
      const o = await open(doc);
      try {
        expect(o.requests).toEqual([DOC_URL]);
        expect(o.dialogs).toEqual([]);
        expect(o.errors).toEqual([]);
        const found = await o.page.evaluate(() => ({
          // Only the inert data block, which no browser runs.
          scripts: [...document.scripts].filter((s) => s.type !== 'application/json').length,
          dataBlocks: [...document.scripts].filter((s) => s.type === 'application/json').length,
          images: document.images.length,
          handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
        }));
        expect(found).toEqual({ scripts: 0, dataBlocks: 1, images: 0, handlers: 0 });
        // The hostile strings are there, as text.
        expect(await o.page.getByText(HOSTILE.note).isVisible()).toBe(true);
        expect(await o.page.getByText(HOSTILE.comment).isVisible()).toBe(true);
        expect(await o.page.getByText(HOSTILE.column, { exact: true }).first().isVisible()).toBe(true);
      } finally {
        await o.close();
      }
    }
  }, 60_000);

  it('shows the verdict, the score, every gate, every section, remedies, attestations and reviews', async () => {
    const data = reportFixture();
    const o = await open(renderReportHtml(data));
    const { page } = o;
    try {
      expect(await page.title()).toBe('Readiness report: churn-classifier v3 (not ready, score 3)');
      expect(await text(page, '#verdict-title')).toBe('✗ Not ready for production');
      expect(await visible(page, '#verdict-title')).toBe(true);
      expect(await text(page, '.score-number')).toBe('3');
      expect(await text(page, '.score-band')).toBe('(2, 3] reasonably tested');
      expect(await visible(page, '.score-chart')).toBe(true);
      for (const g of data.readiness.gates) {
        expect(await visible(page, `[id="gate-${g.id}"]`)).toBe(true);
        expect(await text(page, `[id="gate-${g.id}"]`)).toContain(g.title);
      }
      expect(await text(page, '[id="gate-dependencies-pinned"]')).toContain('Overridden by Oskar Lind, 2025-11-28 17:05 UTC');
      expect(await text(page, '[id="gate-provenance-complete"]')).toContain('Failed');
      for (const [id, title] of [
        ['data', 'Data 4.5 points'],
        ['model', 'Model 3 points'],
        ['infrastructure', 'Infrastructure 6 points'],
        ['monitoring', 'Monitoring 6 points'],
      ]) {
        expect(await visible(page, `#section-${id}-title`)).toBe(true);
        expect(await text(page, `#section-${id}-title`)).toMatch(new RegExp(`^${title}`));
      }
      const remedy = data.readiness.checks.find((c) => c.id === 'data.3')!.remedy!;
      expect(await page.getByText(remedy).isVisible()).toBe(true);
      const attested = await text(page, '[id="check-data.2"]');
      expect(attested).toContain('0.5 points · attested by Maria Keller');
      expect(attested).toContain('Maria Keller, 2025-11-28 15:20 UTC');
      expect(await text(page, '#reviews')).toMatch(/Changes requested Oskar Lind 2025-11-29 09:12 UTC[\s\S]*Approved Priya Natarajan 2025-11-27 14:02 UTC/);
      for (const id of ['model', 'data-profile', 'lineage', 'environment', 'smoke-test', 'scan', 'drift']) expect(await visible(page, `#${id}`)).toBe(true);
      expect(await page.locator('#data-profile svg.chart').count()).toBe(data.training.columns.length);
      expect(await page.locator('svg.lineage .node').count()).toBe(data.lineage.nodes.length);
      // Nothing is wider than the page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    } finally {
      await o.close();
    }
  }, 60_000);

  it('filters checks by status without JavaScript, and prints all of them', async () => {
    const o = await open(renderReportHtml(reportFixture()));
    const { page } = o;
    try {
      const shown = async () => (await page.locator('.check').evaluateAll((els) => els.filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => el.id))).length;
      expect(await shown()).toBe(28);
      await page.locator('label[for="show-fail"]').click();
      expect(await visible(page, '[id="check-data.3"]')).toBe(true);
      expect(await visible(page, '[id="check-data.1"]')).toBe(false);
      expect(await shown()).toBe(7);
      await page.locator('label[for="show-open"]').click();
      expect(await visible(page, '[id="check-data.2"]')).toBe(true);
      expect(await shown()).toBe(10);

      if (SCREENSHOTS) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.locator('label[for="show-all"]').click();
        await page.screenshot({ path: join(SCREENSHOTS, 'report-screen.png'), fullPage: true });
        await page.locator('label[for="show-open"]').click();
      }

      // Printed: the filter is gone and every check is there, whatever was selected.
      await page.emulateMedia({ media: 'print' });
      expect(await visible(page, '.filter')).toBe(false);
      expect(await visible(page, '.toc')).toBe(false);
      expect(await shown()).toBe(28);
      if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'report-print.png'), fullPage: true });
    } finally {
      await o.close();
    }
  }, 60_000);
});
