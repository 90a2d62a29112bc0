// Monitoring end to end, with Debian's Python and no container engine: a workspace holds the
// customers dataset and the churn model trained on it (CLI). In the UI the analyst opens the model's
// monitoring page from the Monitoring section, lowers the dataset-level threshold, checks a batch
// like the training data (no drift), then one whose monthly_spend was doubled: follows its progress
// and reads the verdict: monthly_spend is flagged with its reference-vs-current chart, plan is not.
// The drifted batch is handed back for retraining, and the history opens the earlier check. With
// GREENHOUSE_SHOTS_DIR set, the page is shot in both themes.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';
import { churnWorkspace, shiftedChurnCsv } from './test-data.js';

const shots = process.env.GREENHOUSE_SHOTS_DIR;

declare global {
  interface Window {
    /** The highest percentage the drift check's progress bar showed (-1: never shown). */
    __driftProgress?: number;
  }
}

test('check a drifted batch on a model’s monitoring page: progress, verdict, the drifted feature and its chart, hand-back', async ({ page, host, tempDir }) => {
  test.setTimeout(60_000);
  const ws = await churnWorkspace(tempDir, 400, 7);
  await mkdir(join(tempDir, 'batches'), { recursive: true });
  // Other customers like the training ones; then others again, with twice the spend.
  const calm = join(tempDir, 'batches', 'october.csv');
  const batch = join(tempDir, 'batches', 'november.csv');
  await writeFile(calm, shiftedChurnCsv(5_000, 13, 1));
  await writeFile(batch, shiftedChurnCsv(20_000, 12, 2));

  await page.goto(host.url);
  await page.getByLabel('Workspace folder', { exact: true }).fill(ws);
  await page.getByRole('button', { name: 'Open workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();

  // The section lists the model, never checked, and opens its page.
  const nav = page.getByRole('navigation', { name: 'Workspace sections' });
  await nav.getByRole('link', { name: 'Monitoring' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Monitoring' })).toBeVisible();
  const models = page.getByRole('table', { name: 'Models and their latest drift check' });
  await expect(models.locator('[data-model="churn"]')).toHaveAttribute('data-verdict', 'none');
  await models.getByRole('link', { name: /^churn/ }).click();
  await expect(page).toHaveURL(/#\/monitoring\/churn$/);
  await expect(page.getByRole('heading', { level: 1, name: 'churn' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'History' })).toContainText('No check yet.');

  // One drifted feature of four makes the batch drift once the dataset share is a quarter.
  const thresholds = page.getByRole('region', { name: 'Thresholds' });
  await expect(thresholds.getByLabel('Share of features')).toHaveValue('0.5');
  await thresholds.getByLabel('Share of features').fill('0.25');
  await thresholds.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(thresholds).toContainText('set for this model');

  // A batch like the training data does not drift.
  const form = page.getByRole('region', { name: 'Check a batch' });
  const verdict = page.locator('[data-verdict]');
  await form.getByLabel('Batch file').fill(calm);
  await form.getByRole('button', { name: 'Run the check' }).click();
  await expect(verdict).toHaveAttribute('data-verdict', 'no-drift', { timeout: 30_000 });
  await expect(verdict).toContainText('0 of 4 features drifted (0%), below the 25% that makes the batch drift.');
  await expect(page).toHaveURL(/#\/monitoring\/churn\/checks\/1$/);

  // The drifted batch, by its typed path; the progress bar shows while the job runs.
  await form.getByLabel('Batch file').fill(batch);
  await page.evaluate(() => {
    window.__driftProgress = -1;
    new MutationObserver(() => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Drift check progress"]');
      if (bar) window.__driftProgress = Math.max(window.__driftProgress ?? -1, Number(bar.getAttribute('aria-valuenow') ?? 0));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await form.getByRole('button', { name: 'Run the check' }).click();

  // The verdict first.
  await expect(verdict).toHaveAttribute('data-verdict', 'drift', { timeout: 30_000 });
  expect(await page.evaluate(() => window.__driftProgress)).toBeGreaterThanOrEqual(0);
  await expect(form.getByRole('group', { name: 'Drift check in progress' })).toHaveCount(0);
  await expect(verdict.getByRole('heading', { level: 2 })).toHaveText('Drift');
  await expect(verdict).toContainText('1 of 4 features drifted (25%), at or above the 25% that makes the batch drift. Drifted: monthly_spend.');
  await expect(verdict).toContainText('20,000');
  await expect(verdict).toContainText(batch);
  await expect(page).toHaveURL(/#\/monitoring\/churn\/checks\/2$/);

  // The features, most severe first: monthly_spend flagged, and its chart shown first.
  const features = page.getByRole('region', { name: 'Features' });
  const rows = features.locator('tbody tr');
  await expect(rows).toHaveCount(4);
  await expect(rows.first()).toHaveAttribute('data-feature', 'monthly_spend');
  await expect(features.locator('tr[data-feature="monthly_spend"]')).toHaveAttribute('data-drifted', 'true');
  await expect(features.locator('tr[data-feature="monthly_spend"]')).toContainText('significant');
  for (const name of ['plan', 'region', 'age']) await expect(features.locator(`tr[data-feature="${name}"]`)).toHaveAttribute('data-drifted', 'false');
  const spend = features.getByRole('region', { name: 'monthly_spend' });
  const spendChart = spend.getByRole('figure', { name: /Reference vs current: monthly_spend/ });
  await expect(spendChart).toBeVisible();
  await expect(spendChart.locator('.drift-chart__reference .recharts-bar-rectangle').first()).toBeVisible();
  await expect(spendChart.locator('.drift-chart__current .recharts-bar-rectangle').first()).toBeVisible();
  await expect(spend.locator('[data-fact="out-of-range"]')).toContainText('above the maximum');

  // A feature that did not drift, chosen from the table.
  await features.getByRole('button', { name: 'plan', exact: true }).click();
  const plan = features.getByRole('region', { name: 'plan' });
  await expect(plan).toHaveAttribute('data-drifted', 'false');
  await expect(plan.getByText('no drift', { exact: true })).toBeVisible();
  await expect(plan.getByRole('figure', { name: /Reference vs current: plan/ }).locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Schema violations' })).toContainText('monthly_spend');

  // The history has both checks, the drifted one marked.
  const history = page.getByRole('region', { name: 'History' });
  const checks = history.getByRole('list', { name: 'Drift checks, newest first' }).getByRole('link');
  await expect(checks).toHaveCount(2);
  await expect(history.locator('.drift-history__dot')).toHaveCount(2);
  await expect(history.locator('.drift-history__dot--drift')).toHaveCount(1);

  if (shots) {
    await mkdir(shots, { recursive: true });
    await plan.screenshot({ path: join(shots, 'light-monitoring-category.png') });
    await features.getByRole('button', { name: 'monthly_spend', exact: true }).click();
    // The shell scrolls inside: a tall window, scrolled to the top, shows the whole page.
    await page.setViewportSize({ width: 1280, height: 2300 });
    await page.locator('#main').evaluate((main) => main.scrollTo(0, 0));
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      // Let the theme's colour transitions finish.
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(shots, `${theme}-monitoring-drift.png`), fullPage: true });
      await features.getByRole('region', { name: 'monthly_spend' }).screenshot({ path: join(shots, `${theme}-monitoring-feature.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  // Hand the batch back for retraining: a labelled dataset version (it has the target column).
  const handBack = verdict.getByRole('group', { name: 'Hand back for retraining' });
  await handBack.getByRole('button', { name: 'Hand back…' }).click();
  await expect(handBack.getByLabel('Dataset name')).toHaveValue('churn-drift-2');
  await handBack.getByRole('button', { name: 'Hand back', exact: true }).click();
  await expect(handBack.getByRole('status')).toContainText('Registered as churn-drift-2 v1, labelled (it carries churned)', { timeout: 30_000 });
  await expect(handBack.getByRole('list', { name: 'Hand-backs of this check' })).toContainText('churn-drift-2 v1');

  // The earlier check, from the history.
  await checks.nth(1).click();
  await expect(page).toHaveURL(/#\/monitoring\/churn\/checks\/1$/);
  await expect(verdict).toHaveAttribute('data-verdict', 'no-drift');
  await expect(checks.nth(1)).toHaveAttribute('aria-current', 'true');

  await nav.getByRole('link', { name: 'Monitoring' }).click();
  await expect(models.locator('[data-model="churn"]')).toHaveAttribute('data-verdict', 'drift');
  if (shots) await page.screenshot({ path: join(shots, 'light-monitoring-list.png') });
});
