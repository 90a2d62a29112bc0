import { join } from 'node:path';
import { expect, test } from './fixtures.js';

// Point the backend at a socket that does not exist: the engine is unavailable, whatever runs here.
test.use({ hostEnv: { DOCKER_HOST: 'unix:///nonexistent/greenhouse-e2e/docker.sock' } });

test('an unavailable container engine says so, with what to do, and can be checked again', async ({ page, host, tempDir }) => {
  await page.goto(host.url);
  await page.getByLabel('Folder', { exact: true }).fill(join(tempDir, 'no-docker'));
  await page.getByRole('button', { name: 'Create workspace' }).click();

  const docker = page.getByRole('banner').getByRole('button', { name: /^Container engine:/ });
  await expect(docker).toHaveText('Docker unavailable', { timeout: 15_000 });
  await expect(docker).toHaveAttribute('title', /DOCKER_HOST|Start Docker/);

  await docker.click();
  const panel = page.getByRole('dialog', { name: 'Container engine' });
  await expect(panel).toContainText(/Start Docker|DOCKER_HOST/);
  await panel.getByRole('button', { name: 'Check again' }).click();
  await expect(panel).toContainText('Checked at');
  await expect(docker).toHaveText('Docker unavailable');
  if (process.env.GREENHOUSE_SHOTS_DIR) await page.screenshot({ path: join(process.env.GREENHOUSE_SHOTS_DIR, 'light-docker-unavailable.png') });
});
