// Datasets end to end: register a CSV through the dialog (typed path and the in-app file picker
// of browser mode), watch its job, read the profile and its charts, register a changed version
// and compare the two; and drop a file on the page, which browser mode uploads first.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { PLANS, random, REGIONS } from './test-data.js';



/**
 * A customers table with integers, decimals, categories, dates, booleans and some nulls.
 * Version 2 spends more, shifts the plan mix, has more rows and adds a "score" column.
 */
function customersCsv(rows: number, version: 1 | 2): string {
  const r = random(version === 1 ? 42 : 7);
  const header = ['id', 'signup_date', 'plan', 'region', 'monthly_spend', 'age', 'churned', ...(version === 2 ? ['score'] : [])];
  const lines = [header.join(',')];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 1; i <= rows; i++) {
    const plan = version === 1 ? PLANS[Math.floor(r() * 3)]! : r() < 0.6 ? 'enterprise' : PLANS[Math.floor(r() * 2)]!;
    const spend = (version === 1 ? 20 + r() * 80 : 60 + r() * 140).toFixed(2);
    const date = new Date(start + Math.floor(r() * 365) * 86_400_000).toISOString().slice(0, 10);
    const age = r() < 0.05 ? '' : String(18 + Math.floor(r() * 60));
    const cells = [i, date, plan, REGIONS[Math.floor(r() * 4)], r() < 0.03 ? '' : spend, age, r() < 0.2 ? 'true' : 'false'];
    if (version === 2) cells.push((r() * 10).toFixed(3));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

async function createWorkspace(page: Page, url: string, path: string) {
  await page.goto(url);
  await page.getByLabel('Folder', { exact: true }).fill(path);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
}

test('register a CSV, read its profile and charts, register a changed version and compare', async ({ page, host, tempDir }) => {
  const dataDir = join(tempDir, 'data');
  await mkdir(dataDir, { recursive: true });
  const csv = join(dataDir, 'customers.csv');
  await writeFile(csv, customersCsv(3000, 1));
  await createWorkspace(page, host.url, join(tempDir, 'churn'));
  await expect(page.getByRole('heading', { level: 2, name: 'No datasets yet' })).toBeVisible();

  // The register dialog; in browser mode "Browse…" opens the in-app picker of the backend's files.
  await page.getByRole('button', { name: 'Register dataset' }).first().click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toHaveAccessibleName('Register a dataset');
  await dialog.getByRole('button', { name: 'Browse…' }).click();
  await expect(dialog).toHaveAccessibleName('Choose a file or folder');
  // It starts in the workspace folder; go up to the temp folder, then into data/.
  await expect(dialog.getByLabel('Folder', { exact: true })).toHaveValue(join(tempDir, 'churn'));
  await dialog.getByRole('button', { name: 'Up to the parent folder' }).click();
  await dialog.getByRole('button', { name: 'Open folder data' }).click();
  await dialog.getByRole('button', { name: 'customers.csv' }).click();
  await dialog.getByRole('button', { name: 'Choose file' }).click();
  await expect(dialog).toHaveAccessibleName('Register a dataset');
  const pathField = dialog.getByLabel('File or folder');
  await expect(pathField).toHaveValue(csv);
  // A typed or pasted path does the same.
  await pathField.fill(csv);
  await expect(dialog.getByLabel('Keep a snapshot copy in the workspace')).toBeChecked();
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();

  // The job's progress bar, then its outcome.
  const progress = dialog.getByRole('progressbar', { name: 'Register customers progress' });
  await expect(progress).toBeVisible();
  const job = dialog.getByRole('region', { name: 'Register customers' });
  await expect(job).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  await expect(progress).toHaveAttribute('aria-valuenow', '100');
  await expect(dialog).toContainText('Registered customers as a new dataset (version 1).');
  await dialog.getByRole('link', { name: 'Open customers' }).click();

  // The dataset page: header facts, the schema table, a column's profile with its chart.
  await expect(page.getByRole('heading', { level: 1, name: 'customers' })).toBeVisible();
  await expect(page).toHaveURL(/#\/datasets\/customers$/);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const facts = page.locator('.fact-grid');
  await expect(facts).toContainText('3,000');
  await expect(facts).toContainText('copy in the workspace');
  await expect(page.getByRole('tab', { name: /Columns/ })).toHaveAttribute('aria-selected', 'true');
  const schema = page.getByRole('table', { name: /Columns of customers/ });
  await expect(schema.getByRole('row')).toHaveCount(8); // header + 7 columns

  await schema.getByRole('button', { name: 'monthly_spend' }).click();
  const spend = page.getByRole('region', { name: 'Profile of monthly_spend' });
  const histogram = spend.getByRole('figure', { name: 'Distribution of monthly_spend' });
  await expect(histogram).toBeVisible();
  await expect(histogram.locator('.recharts-bar-rectangle path').first()).toBeVisible();
  expect(await histogram.locator('.recharts-bar-rectangle path').count()).toBeGreaterThan(5);
  await expect(spend).toContainText('p50');
  // The numbers behind the chart, for those who cannot see it.
  await histogram.getByText('Show the numbers').click();
  await expect(histogram.getByRole('table')).toBeVisible();

  await schema.getByRole('button', { name: 'plan' }).click();
  const top = page.getByRole('region', { name: 'Profile of plan' }).getByRole('figure', { name: /Most frequent values of plan/ });
  await expect(top.locator('.recharts-bar-rectangle path')).toHaveCount(3);
  await expect(page).toHaveURL(/#\/datasets\/customers\/columns\/plan$/);

  // A reload keeps the page and the open profile.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'customers' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Profile of plan' })).toBeVisible();

  // Sample rows.
  await page.getByRole('tab', { name: 'Sample' }).click();
  await expect(page.getByRole('region', { name: 'Sample rows, scrollable' }).getByRole('row')).toHaveCount(101);

  // The datasheet saves.
  await page.getByRole('tab', { name: 'Datasheet' }).click();
  await page.getByLabel('Owner').fill('Ana Analyst');
  await page.getByRole('radio', { name: 'No', exact: true }).check();
  await page.getByRole('button', { name: 'Save datasheet' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  // A changed file (other values, more rows, a new column) becomes version 2.
  await writeFile(csv, customersCsv(3200, 2));
  await page.getByRole('button', { name: 'New version' }).click();
  await expect(dialog.getByLabel('File or folder')).toHaveValue(csv);
  await expect(dialog.getByLabel('Name')).toHaveValue('customers');
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(dialog.getByRole('region', { name: 'Register customers' })).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  await expect(dialog).toContainText('Registered version 2 of customers.');

  // The same bytes again: nothing changes, and it says so.
  await dialog.getByRole('button', { name: 'Register another' }).click();
  await dialog.getByLabel('File or folder').fill(csv);
  await dialog.getByLabel('Name').fill('customers');
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(dialog.getByRole('region', { name: 'Register customers' })).toHaveAttribute('data-state', 'unchanged', { timeout: 30_000 });
  await expect(dialog).toContainText('Nothing changed');
  await expect(dialog).toContainText('no new version was made');
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(facts).toContainText('2 of 2');

  // Versions: both, newest first; compare them.
  await page.getByRole('tab', { name: /Versions/ }).click();
  const versions = page.getByRole('table', { name: 'Versions of customers' });
  await expect(versions.getByRole('row')).toHaveCount(3);
  await page.getByRole('button', { name: 'Compare v1 → v2' }).click();
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/#\/datasets\/customers\/compare\/1\.\.2$/);

  const diff = page.getByRole('region', { name: 'Changes from version 1 to version 2' });
  await expect(diff).toContainText('3,000 → 3,200');
  await expect(diff.locator('.schema-change--added')).toContainText('score');
  const spendShift = diff.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /monthly_spend/ }) });
  await expect(spendShift).toContainText(/\d+\.\d{3}/);
  await expect(spendShift).toContainText('major shift');
  const regionShift = diff.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /region/ }) });
  await expect(regionShift).toContainText('stable');

  // Back to the list: one dataset, found by the search box.
  await page.getByRole('link', { name: 'Datasets', exact: true }).first().click();
  const list = page.getByRole('list', { name: 'Datasets' });
  await expect(list.getByRole('link', { name: /customers/ })).toBeVisible();
  await page.getByLabel('Search datasets').fill('nothing-like-this');
  await expect(page.getByText('No dataset matches')).toBeVisible();
  await page.getByLabel('Search datasets').fill('custom');
  await expect(list.getByRole('link', { name: /customers/ })).toBeVisible();
});

test('a file dropped on the datasets page is uploaded and registered', async ({ page, host, tempDir }) => {
  await createWorkspace(page, host.url, join(tempDir, 'dropzone'));
  const csv = customersCsv(500, 1);
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
    return dt;
  }, csv);
  const view = page.locator('.datasets-view');
  await view.dispatchEvent('dragenter', { dataTransfer });
  await expect(page.getByText('Drop to register', { exact: true })).toBeVisible();
  await view.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByText('Drop to register', { exact: true })).toHaveCount(0);

  const card = page.getByRole('region', { name: 'Registrations' }).locator('.registration');
  await expect(card).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  await expect(card).toContainText('Registered dropped as a new dataset (version 1).');
  await card.getByRole('link', { name: 'Open dropped' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'dropped' })).toBeVisible();
  // Browser mode uploaded it into the workspace first.
  await expect(page.locator('.fact-grid')).toContainText(join(tempDir, 'dropzone', '.greenhouse', 'uploads'));
  await expect(page.locator('.fact-grid')).toContainText('500');
});

// Screenshots of the datasets screens in both themes, for looking at them (not a visual diff).
// Run: GREENHOUSE_SHOTS_DIR=/tmp/shots npx playwright test datasets -g screenshots
test('screenshots of the datasets screens in both themes', async ({ page, host, tempDir }) => {
  const dir = process.env.GREENHOUSE_SHOTS_DIR;
  test.skip(!dir, 'Set GREENHOUSE_SHOTS_DIR to take screenshots.');
  test.setTimeout(240_000);
  const out = dir!;
  await mkdir(out, { recursive: true });
  const dataDir = join(tempDir, 'data');
  await mkdir(dataDir, { recursive: true });
  const csv = join(dataDir, 'customers.csv');
  const big = join(dataDir, 'events-large.csv');
  await writeFile(big, customersCsv(600_000, 2));
  for (const name of ['orders-2024', 'web-sessions', 'support-tickets']) await writeFile(join(dataDir, `${name}.csv`), customersCsv(800, 1));

  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await writeFile(csv, customersCsv(3000, 1));
    await createWorkspace(page, host.url, join(tempDir, `shots-${theme}`));
    await page.screenshot({ path: join(out, `${theme}-datasets-empty.png`) });

    const register = async (path: string, shot?: string) => {
      await page.getByRole('button', { name: 'Register dataset' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('File or folder').fill(path);
      await dialog.getByRole('button', { name: 'Register', exact: true }).click();
      const card = dialog.locator('.registration');
      if (shot) {
        // The big file takes a few seconds; catch it running if it still is.
        await expect(card).toHaveAttribute('data-state', /running|succeeded/, { timeout: 30_000 });
        await page.screenshot({ path: join(out, `${theme}-${shot}.png`) });
      }
      await expect(card).toHaveAttribute('data-state', /succeeded|unchanged/, { timeout: 120_000 });
      if (shot) await page.screenshot({ path: join(out, `${theme}-${shot}-done.png`) });
      await dialog.getByRole('button', { name: 'Close' }).last().click();
    };

    // The picker of browser mode.
    await page.getByRole('button', { name: 'Register dataset' }).first().click();
    await page.getByRole('dialog').getByLabel('File or folder').fill(csv);
    await page.getByRole('dialog').getByRole('button', { name: 'Browse…' }).click();
    await expect(page.getByRole('dialog').getByRole('button', { name: 'customers.csv' })).toHaveAttribute('aria-pressed', 'true');
    await page.screenshot({ path: join(out, `${theme}-register-picker.png`) });
    await page.getByRole('dialog').getByRole('button', { name: 'Back' }).click();
    await page.screenshot({ path: join(out, `${theme}-register-form.png`) });
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    await register(big, 'register-progress');
    for (const name of ['orders-2024', 'web-sessions', 'support-tickets']) await register(join(dataDir, `${name}.csv`));
    await register(csv);
    await expect(page.getByRole('list', { name: 'Datasets' }).getByRole('listitem')).toHaveCount(5);
    await page.screenshot({ path: join(out, `${theme}-datasets-list.png`) });
    const dataTransfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['a\n1\n'], 'x.csv'));
      return dt;
    });
    await page.locator('.datasets-view').dispatchEvent('dragenter', { dataTransfer });
    await page.screenshot({ path: join(out, `${theme}-datasets-drop.png`) });
    await page.locator('.datasets-view').dispatchEvent('dragleave', { dataTransfer });

    // Taller, to see a whole profile or diff (the content scrolls inside the shell, not the page).
    await page.setViewportSize({ width: 1280, height: 1300 });
    await page.getByRole('link', { name: /^customers/ }).click();
    await page.getByRole('button', { name: 'monthly_spend' }).click();
    await expect(page.locator('[data-chart="histogram"] .recharts-bar-rectangle').first()).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-dataset-columns.png`) });
    await page.getByRole('button', { name: 'monthly_spend' }).click();
    await page.getByRole('button', { name: 'plan' }).click();
    await expect(page.locator('[data-chart="top-values"] .recharts-bar-rectangle').first()).toBeVisible();
    await page.locator('[data-chart="top-values"] .recharts-bar-rectangle').first().hover();
    await page.screenshot({ path: join(out, `${theme}-dataset-top-values.png`) });
    await page.getByRole('tab', { name: 'Sample' }).click();
    await page.screenshot({ path: join(out, `${theme}-dataset-sample.png`) });
    await page.getByRole('tab', { name: 'Datasheet' }).click();
    await page.getByLabel('Description').fill('One row per customer and month: plan, spend, churn flag.');
    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('button', { name: 'Save datasheet' }).click();
    await page.screenshot({ path: join(out, `${theme}-dataset-datasheet.png`) });

    await writeFile(csv, customersCsv(3200, 2));
    await page.getByRole('button', { name: 'New version' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Register', exact: true }).click();
    await expect(page.getByRole('dialog').locator('.registration')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    await page.screenshot({ path: join(out, `${theme}-register-new-version.png`) });
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).last().click();
    await page.getByRole('tab', { name: /Versions/ }).click();
    await page.screenshot({ path: join(out, `${theme}-dataset-versions.png`) });
    await page.getByRole('tab', { name: 'Compare' }).click();
    await expect(page.getByRole('region', { name: /Changes from version 1/ })).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-dataset-compare.png`) });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Close workspace' }).click();
  }
});
