// Bundles end to end, on the real engine with Debian's Python: the workspace is prepared with the
// CLI (a dataset, a model trained and registered with /usr/bin/python3, smoke tests on host
// networking), then in the UI the model's Package button opens the wizard: the local base image
// with the base strategy, the bundle written and its Dockerfile previewed, the image built with
// the live log, the smoke test passing with golden parity, the export and its verification, and
// the bundle's page.
import { expect, test } from './fixtures.js';
import { BASE_IMAGE, churnWorkspace } from './test-data.js';

test('package a model in the wizard: base image, write and review, build with the live log, smoke test, export and verify', async ({ page, host, tempDir }) => {
  test.setTimeout(180_000);
  const ws = await churnWorkspace(tempDir, 240, 7);

  await page.goto(host.url);
  await page.getByLabel('Workspace folder', { exact: true }).fill(ws);
  await page.getByRole('button', { name: 'Open workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();

  // The model's page offers to package the version shown.
  await page.goto(`${host.origin}/#/models/churn`);
  await expect(page.getByRole('heading', { level: 1, name: 'churn' })).toBeVisible();
  await page.getByRole('link', { name: 'Package', exact: true }).click();
  await expect(page).toHaveURL(/#\/bundles\/~package\/churn@1$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Package a model' })).toBeVisible();

  // 1. The model version: its environment and Python.
  const plan = page.getByRole('group', { name: 'What the bundle is made from' });
  await expect(plan).toContainText('3.11');
  await expect(plan).toContainText('available');
  await page.getByRole('button', { name: 'Next: base image' }).click();

  // 2. The local base image, suggested from the engine's images, and the base strategy.
  await expect(page.getByRole('heading', { level: 2, name: /Base image and libraries/ })).toBeVisible();
  await page.getByRole('group', { name: 'Images on this machine' }).getByRole('button', { name: BASE_IMAGE }).click();
  await expect(page.getByLabel('Base image', { exact: true })).toHaveValue(BASE_IMAGE);
  await page.getByRole('radio', { name: /^Base image/ }).check();
  await page.getByRole('button', { name: 'Next: write the bundle' }).click();

  // 3. Write, then review: the Dockerfile first.
  await page.getByRole('button', { name: 'Write the bundle' }).click();
  const files = page.getByRole('listbox', { name: 'Files of the bundle' });
  await expect(files).toBeVisible({ timeout: 30_000 });
  await expect(files.getByRole('option').first()).toContainText('Dockerfile');
  const dockerfile = page.getByLabel('Dockerfile, read only');
  await expect(dockerfile).toContainText(`FROM ${BASE_IMAGE}`);
  await expect(dockerfile).toContainText('HEALTHCHECK');
  await expect(dockerfile).toContainText('USER 10001');
  await files.getByRole('option', { name: /requirements\.txt/ }).click();
  await expect(page.getByLabel('requirements.txt, read only')).toContainText('scikit-learn==1.2.1');
  await page.getByRole('button', { name: 'Next: build' }).click();

  // 4. Build with the live log and the step fraction.
  await page.getByRole('button', { name: 'Build the image' }).click();
  const log = page.getByRole('log', { name: 'Build log' });
  await expect(log).toContainText(/Step 1\/\d+ : FROM/, { timeout: 30_000 });
  const next = page.getByRole('button', { name: 'Next: smoke test' });
  await expect(next).toBeEnabled({ timeout: 120_000 });
  await expect(log).toContainText(/Step \d+\/\d+ : /);
  await expect(page.locator('[data-build="succeeded"]')).toBeVisible();
  await next.click();

  // 5. The smoke test passes: every golden example matched on both endpoints.
  await page.getByRole('button', { name: 'Run the smoke test' }).click();
  await expect(page.getByRole('heading', { name: 'Smoke test passed' })).toBeVisible({ timeout: 90_000 });
  const parity = page.getByRole('region', { name: 'Golden parity' });
  await expect(parity).toContainText('All 100 examples matched on both endpoints.');
  await expect(page.getByRole('list', { name: 'Checks' }).locator('[data-ok="false"]')).toHaveCount(0);
  await page.getByRole('button', { name: 'Next: export' }).click();

  // 6. Export, then verify the archive.
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const archive = page.getByRole('group', { name: 'The archive' });
  await expect(archive).toContainText(/churn-1\.tar\.gz/, { timeout: 30_000 });
  await expect(archive).toContainText(/[0-9a-f]{64}/);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Verified' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('list', { name: 'Verification checks' }).locator('[data-ok="false"]')).toHaveCount(0);

  // The bundle's page: tested, with the same results.
  await page.getByRole('link', { name: 'Open the bundle’s page' }).click();
  await expect(page).toHaveURL(/#\/bundles\/churn@1$/);
  await expect(page.getByRole('heading', { level: 1, name: 'churn' })).toBeVisible();
  await expect(page.locator('.detail-header [data-status="tested"]')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Where it stands' })).toContainText('passed');
  await page.getByRole('tab', { name: 'Smoke test' }).click();
  await expect(page.getByRole('tabpanel').getByRole('heading', { name: 'Smoke test passed' })).toBeVisible();
  await page.getByRole('link', { name: /^Bundles/ }).first().click();
  await expect(page.getByRole('table', { name: 'Bundles, newest first' }).getByRole('row', { name: /churn v1/ })).toContainText('tested');
});
