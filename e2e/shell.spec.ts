import { join } from 'node:path';
import { expect, test } from './fixtures.js';

const SECTIONS: [label: string, emptyTitle: string][] = [
  ['Datasets', 'No datasets yet'],
  ['Notebooks', 'No notebooks yet'],
  ['Environments', 'No environment captured yet'],
  ['Models', 'No models yet'],
  ['Monitoring', 'No models to monitor yet'],
  ['Bundles', 'No bundles yet'],
];

test('create a workspace, walk the sections, check Docker, switch theme, verify snapshots', async ({ page, host, tempDir }) => {
  await page.goto(host.url);
  // The token is traded for a cookie and leaves the address bar.
  await expect(page).toHaveURL(`${host.origin}/`);
  await expect(page.getByRole('heading', { level: 1, name: 'Greenhouse' })).toBeVisible();
  await expect(page.getByText('Workspaces you create or open appear here')).toBeVisible();

  const wsPath = join(tempDir, 'churn-model');
  await page.getByLabel('Folder', { exact: true }).fill(wsPath);
  await page.getByLabel('Name', { exact: true }).fill('Churn model');
  await page.getByRole('button', { name: 'Create workspace' }).click();

  const banner = page.getByRole('banner');
  await expect(banner).toContainText('Churn model');
  await expect(banner).toContainText(wsPath);

  // Every section says what to do first.
  const nav = page.getByRole('navigation', { name: 'Workspace sections' });
  for (const [label, emptyTitle] of SECTIONS) {
    await nav.getByRole('link', { name: label }).click();
    await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: emptyTitle })).toBeVisible();
    await expect(nav.getByRole('link', { name: label })).toHaveAttribute('aria-current', 'page');
  }
  await expect(page.getByRole('main')).toContainText('It starts from a model');

  // The container engine resolves to a version or to "unavailable", never stays on a spinner.
  const docker = banner.getByRole('button', { name: /^Container engine:/ });
  await expect(docker).toHaveText(/^(Docker|Podman) \d+(\.\d+)+\S* · API \d+\.\d+$|^Docker unavailable$/, { timeout: 15_000 });
  await docker.click();
  const panel = page.getByRole('dialog', { name: 'Container engine' });
  await expect(panel.getByRole('button', { name: 'Check again' })).toBeVisible();
  await panel.getByRole('button', { name: 'Check again' }).click();
  await expect(panel).toContainText(/Checked at/);
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  // Theme: light by default here, dark after the switch, still dark after a reload.
  const html = page.locator('html');
  const themeSwitch = page.getByRole('switch', { name: 'Dark theme' });
  await expect(html).toHaveAttribute('data-theme', 'light');
  const lightBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await themeSwitch.click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(themeSwitch).toHaveAttribute('aria-checked', 'true');
  const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(darkBackground).not.toBe(lightBackground);
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('switch', { name: 'Dark theme' })).toHaveAttribute('aria-checked', 'true');
  // The reload kept the workspace and the section.
  await expect(page.getByRole('heading', { level: 1, name: 'Bundles' })).toBeVisible();

  // Activity: start a job and watch it finish through the event stream.
  await nav.getByRole('link', { name: 'Activity' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
  await page.getByRole('button', { name: 'Verify snapshots' }).click();
  const job = page.getByRole('list', { name: 'Jobs' }).getByRole('listitem').filter({ hasText: 'Verify snapshots' });
  await expect(job).toHaveCount(1);
  await expect(job).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  await expect(job.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(job).toContainText('all intact');
  await expect(job.getByRole('button', { name: /Cancel/ })).toHaveCount(0);

  // The audit log has the creation and, live, the verification.
  const audit = page.getByRole('table');
  await expect(audit).toContainText('workspace.created');
  await expect(audit).toContainText('objects.verified');
});

test('the picker explains errors, and recent workspaces reopen', async ({ page, host, tempDir }) => {
  await page.goto(host.url);

  // Opening a folder that is not a workspace says what happened and what to do.
  await page.getByLabel('Workspace folder', { exact: true }).fill(tempDir);
  await page.getByRole('button', { name: 'Open workspace' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not open the workspace');
  await expect(alert).toContainText('is not a Greenhouse workspace');
  await expect(alert).toContainText('Pick a folder created with');
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toHaveCount(0);

  // Create, close, and come back through the recent list.
  const wsPath = join(tempDir, 'fraud');
  await page.getByLabel('Folder', { exact: true }).fill(wsPath);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('banner')).toContainText('fraud');
  await page.getByRole('button', { name: 'Close workspace' }).click();

  const recent = page.getByRole('list', { name: 'Recent workspaces' });
  await expect(recent).toContainText(wsPath);
  await recent.getByRole('button', { name: 'Open fraud' }).click();
  await expect(page.getByRole('banner')).toContainText(wsPath);

  // Creating it again is a conflict, explained in the create form.
  await page.getByRole('button', { name: 'Close workspace' }).click();
  await page.getByLabel('Folder', { exact: true }).fill(wsPath);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('alert')).toContainText('already a Greenhouse workspace');
  await expect(page.getByRole('alert')).toContainText('Open it instead');

  // Forget removes it from the list, not from the disk.
  await recent.getByRole('button', { name: 'Forget fraud' }).click();
  await expect(page.getByText('Workspaces you create or open appear here')).toBeVisible();
});
