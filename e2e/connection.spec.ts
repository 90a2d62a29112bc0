import { join } from 'node:path';
import { expect, test } from './fixtures.js';

// Once the server is gone the browser logs the refused connections; they are the point here.
test.use({ allowedConsoleErrors: /WebSocket connection to .* failed|Failed to load resource/ });

test('when the server stops, the app says it lost the connection and why calls fail', async ({ page, host, tempDir }) => {
  await page.goto(host.url);
  await page.getByLabel('Folder', { exact: true }).fill(join(tempDir, 'offline'));
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();

  await host.stop();
  await expect(page.getByRole('status').filter({ hasText: 'Lost the connection to Greenhouse' })).toBeVisible();

  // A call now fails with an error that says what happened and what to do.
  await page.getByRole('link', { name: 'Activity' }).click();
  await page.getByRole('button', { name: 'Verify snapshots' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not start the job');
  await expect(alert).toContainText('The Greenhouse backend is not reachable.');
  await expect(alert).toContainText('greenhouse serve');
  if (process.env.GREENHOUSE_SHOTS_DIR) await page.screenshot({ path: join(process.env.GREENHOUSE_SHOTS_DIR, 'light-connection-lost.png') });
});
