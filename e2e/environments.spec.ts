// Environments end to end: capture a requirements.txt, read its packages (pinned and open
// requirements), capture the changed file as a new version and compare the two; the list finds
// it by name.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

async function createWorkspace(page: Page, url: string, path: string) {
  await page.goto(url);
  await page.getByLabel('Folder', { exact: true }).fill(path);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
}

test('capture a requirements file, capture its change as a new version, and compare the two', async ({ page, host, tempDir }) => {
  const requirements = join(tempDir, 'requirements.txt');
  await writeFile(requirements, '# serving\npandas==1.5.3\nscikit-learn==1.2.1\nnumpy>=1.24\nfastapi==0.110.0\n');
  await createWorkspace(page, host.url, join(tempDir, 'ws'));

  await page.getByRole('link', { name: /^Environments/ }).click();
  await expect(page.getByRole('heading', { name: 'No environment captured yet' })).toBeVisible();
  await page.getByRole('button', { name: 'Capture environment' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Capture an environment' });
  // The interpreters found on this machine are offered; Debian's Python is one of them.
  await expect(dialog.getByRole('group', { name: 'Interpreters found on this computer' }).getByRole('radio').first()).toBeVisible();
  await dialog.getByLabel('Interpreter or requirement file').fill(requirements);
  await dialog.getByLabel('Name', { exact: true }).fill('serving');
  await dialog.getByRole('button', { name: 'Capture', exact: true }).click();
  await expect(dialog.locator('.registration')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  await expect(dialog).toContainText('Captured serving as a new environment (version 1, 4 packages).');
  await dialog.getByRole('link', { name: 'Open serving' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'serving' })).toBeVisible();
  await expect(page).toHaveURL(/#\/environments\/serving$/);
  await expect(page.locator('.detail-header__titles')).toContainText('requirements.txt');
  await expect(page.locator('.env-facts')).toContainText(requirements);
  const packages = page.getByRole('table', { name: 'Packages of serving version 1' });
  await expect(packages.getByRole('row', { name: /pandas 1\.5\.3/ })).toBeVisible();
  await expect(packages.getByRole('row', { name: /numpy/ })).toContainText('>=1.24');
  await page.getByLabel('Filter packages').fill('fast');
  await expect(page.getByRole('table', { name: /Packages of serving/ }).getByRole('rowheader')).toHaveText(['fastapi']);

  // The file changes: a new version, captured from the page.
  await writeFile(requirements, 'pandas==2.0.3\nscikit-learn==1.2.1\nnumpy>=1.24\nscipy==1.10.1\n');
  await page.getByRole('button', { name: 'Capture again' }).click();
  const again = page.getByRole('dialog', { name: 'Capture a new version of serving' });
  await expect(again.getByLabel('Interpreter or requirement file')).toHaveValue(requirements);
  await again.getByRole('button', { name: 'Capture', exact: true }).click();
  await expect(again).toContainText('Captured version 2 of serving', { timeout: 30_000 });
  await again.getByRole('button', { name: 'Close' }).last().click();
  await expect(page.getByLabel('Version shown')).toHaveValue('2');

  // Compare: with the previous version by default.
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByRole('list', { name: 'Added packages' })).toContainText('scipy');
  await expect(page.getByRole('list', { name: 'Removed packages' })).toContainText('fastapi');
  const changed = page.getByRole('table', { name: 'Packages whose version changed' });
  await expect(changed.getByRole('row', { name: /pandas/ })).toContainText('1.5.3');
  await expect(changed.getByRole('row', { name: /pandas/ })).toContainText('2.0.3');
  await page.reload();
  await expect(page.getByRole('list', { name: 'Added packages' })).toContainText('scipy');

  // The list, and its search.
  await page.getByRole('navigation', { name: 'Workspace sections' }).getByRole('link', { name: /^Environments/ }).click();
  const list = page.getByRole('list', { name: 'Environments' });
  await expect(list.getByRole('link', { name: /serving/ })).toContainText('v2');
  await page.getByLabel('Search environments').fill('nothing-like-this');
  await expect(page.getByText('No environment matches')).toBeVisible();
});
