// Screenshots of the main screens in both themes, for looking at the UI (not a visual diff).
// Run: GREENHOUSE_SHOTS_DIR=/tmp/shots npx playwright test screenshots
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';

const dir = process.env.GREENHOUSE_SHOTS_DIR;

test('screenshots of the shell in both themes', async ({ page, host, tempDir }) => {
  test.skip(!dir, 'Set GREENHOUSE_SHOTS_DIR to take screenshots.');
  const out = dir!;
  await mkdir(out, { recursive: true });

  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(host.url);
    await expect(page.getByRole('heading', { level: 1, name: 'Greenhouse' })).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-picker.png`) });

    await page.getByLabel('Workspace folder', { exact: true }).fill(join(tempDir, 'nope'));
    await page.getByRole('button', { name: 'Open workspace' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-picker-error.png`) });

    await page.getByLabel('Folder', { exact: true }).fill(join(tempDir, `churn-${theme}`));
    await page.getByLabel('Name', { exact: true }).fill('Churn model');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Container engine:/ })).not.toHaveAttribute('data-state', 'checking', { timeout: 15_000 });
    await page.screenshot({ path: join(out, `${theme}-datasets.png`) });

    await page.getByRole('button', { name: /^Container engine:/ }).click();
    await page.screenshot({ path: join(out, `${theme}-docker.png`) });
    await page.keyboard.press('Escape');

    // Keyboard focus must be visible: tab from the skip link into the navigation.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.getByRole('link', { name: 'Skip to content' }).focus();
    await page.screenshot({ path: join(out, `${theme}-focus-skip-link.png`) });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.screenshot({ path: join(out, `${theme}-focus-header.png`) });

    await page.getByRole('link', { name: 'Models' }).click();
    await page.screenshot({ path: join(out, `${theme}-models.png`) });

    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('button', { name: 'Verify snapshots' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Verify snapshots' }).first()).toHaveAttribute('data-state', 'succeeded');
    await page.screenshot({ path: join(out, `${theme}-activity.png`) });

    await page.getByRole('button', { name: 'Close workspace' }).click();
    await expect(page.getByRole('list', { name: 'Recent workspaces' })).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-picker-recent.png`) });
  }
});
