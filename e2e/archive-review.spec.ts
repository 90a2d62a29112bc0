// Reviewing an exported archive end to end, without Docker: an author packages churn with the CLI
// (written on the local base image's recipe, exported with its gates overridden) and hands the
// archive over; a reviewer opens it from the UI in an empty workspace of their own, reads the
// verdict and a check's evidence, comments on a check and approves; the review is written into the
// archive (progress, then "Written into"), the verdict turns ready, and the CLI reads it from the
// archive. With GREENHOUSE_SHOTS_DIR set it also takes screenshots of the archive page.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';
import { BASE_IMAGE, BIN, churnWorkspace, cli } from './test-data.js';

const shots = process.env.GREENHOUSE_SHOTS_DIR;

test('review an exported archive in another workspace: verdict, evidence, a comment, approve, written into the archive', async ({ page, host, tempDir }) => {
  // The author's side, on the command line.
  const author = await churnWorkspace(join(tempDir, 'author'), 200, 11);
  cli(author, 'bundle', 'create', 'churn', '--strategy', 'base', '--base-image', BASE_IMAGE);
  const exported = JSON.parse(cli(author, 'bundle', 'export', 'churn', '--override-gates', 'Operations build and smoke-test it in their own CI.', '--json')) as { archive: string; sha256: string };
  // Handed over: a copy in a folder of the reviewer's, and the reviewer's own empty workspace.
  const handover = join(tempDir, 'handover');
  await mkdir(handover);
  const archive = join(handover, 'churn-1.tar.gz');
  await copyFile(exported.archive, archive);
  const ops = join(tempDir, 'ops');
  execFileSync(process.execPath, [BIN, '--quiet', 'init', ops, '--name', 'Operations'], { stdio: 'pipe' });

  await page.goto(host.url);
  await page.getByLabel('Workspace folder', { exact: true }).fill(ops);
  await page.getByRole('button', { name: 'Open workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Bundles' }).click();
  await expect(page.getByRole('region', { name: 'Archives for review' })).toContainText('No archive opened for review yet');

  // Open the archive from the UI.
  await page.getByRole('button', { name: 'Open archive for review' }).click();
  const dialog = page.getByRole('dialog', { name: 'Open an archive for review' });
  await dialog.getByLabel('Archive', { exact: true }).fill(archive);
  if (shots) {
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'light-open-archive.png') });
  }
  await dialog.getByRole('button', { name: 'Open for review' }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(/#\/bundles\/~archives\/\d+$/);
  await expect(page.getByRole('heading', { level: 1, name: 'churn v1' })).toBeVisible();

  // The header: where it is, its hash, verified.
  const facts = page.locator('.archive-facts');
  await expect(facts).toContainText(archive);
  await expect(facts).toContainText(exported.sha256.slice(0, 12));
  await expect(facts.locator('[data-ok="true"]')).toContainText('verified');

  // The verdict as exported: the gates pass (three overridden by the author), nobody approved it.
  const panel = page.getByRole('tabpanel');
  const verdict = panel.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'waiting');
  await expect(verdict).toContainText('waiting for a reviewer');
  await expect(panel.getByRole('region', { name: 'Score', exact: true }).locator('.recharts-bar-rectangle')).toHaveCount(4);
  const gates = panel.getByRole('list', { name: 'Hand-off gates' });
  await expect(gates.locator('[data-state="overridden"]')).toHaveCount(3);
  await expect(gates).toContainText('Operations build and smoke-test it in their own CI.');

  // A check's evidence, read-only: nothing to attest or override here.
  const checks = panel.getByRole('region', { name: 'Checklist', exact: true });
  const data1 = checks.locator('[data-check="data.1"]');
  await data1.getByRole('button', { expanded: false }).click();
  await expect(data1).toContainText('Signature inputs');
  await expect(data1).toContainText('plan (string), region (string)');
  await expect(data1).toContainText('model/metadata.json');
  const data3 = checks.locator('[data-check="data.3"]');
  await data3.getByRole('button', { expanded: false }).click();
  await expect(data3).toContainText('How it is evaluated');
  await expect(panel.getByRole('button', { name: /^(Attest \S+…|Override|Withdraw)/ })).toHaveCount(0);

  // The review: a comment on a check, approve.
  const review = panel.getByRole('region', { name: 'Review', exact: true });
  const form = review.getByRole('form', { name: 'Record a review' });
  await form.getByRole('radio', { name: /Approve/ }).check();
  await form.getByLabel('Summary', { exact: true }).fill('Built and smoke-tested in our CI.');
  await form.getByRole('button', { name: /Add a comment/ }).click();
  const comment = form.getByRole('group', { name: 'Comment 1' });
  await comment.getByLabel('On', { exact: true }).selectOption('infrastructure.1');
  await comment.getByLabel('Comment', { exact: true }).fill('We reproduce the training run in our pipeline.');
  // Every state the write goes through, as the page shows it.
  await page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { writeStates: Set<string> }).writeStates = seen;
    const note = () => document.querySelectorAll('[data-write]').forEach((el) => seen.add(el.getAttribute('data-write') ?? ''));
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-write'] });
  });
  await form.getByRole('button', { name: 'Record the review' }).click();

  const written = review.locator('[data-write="written"]');
  await expect(written).toContainText(`Written into ${archive}`);
  await expect(written).toContainText('ready');
  const states = await page.evaluate(() => [...(window as unknown as { writeStates: Set<string> }).writeStates]);
  expect(states.some((s) => s === 'starting' || s === 'running'), `the write's progress was shown (saw ${states.join(', ')})`).toBe(true);
  await expect(verdict).toHaveAttribute('data-verdict', 'ready');
  await expect(verdict.getByRole('heading', { name: 'Ready to hand off' })).toBeVisible();
  await expect(page.locator('.archive-verdict-badge')).toHaveText('ready');
  const history = review.getByRole('list', { name: 'Reviews, newest first' });
  await expect(history.locator(':scope > li')).toHaveCount(1);
  await expect(history.locator(':scope > li').first()).toHaveAttribute('data-decision', 'approve');
  await expect(history).toContainText('infrastructure.1 · Training is reproducible');
  await expect(history).toContainText('We reproduce the training run in our pipeline.');
  await expect(checks.locator('[data-check="infrastructure.1"]')).toContainText('1 comment');

  if (shots) {
    // The page scrolls inside the shell: a viewport as tall as the page shows all of it at once.
    for (const theme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize({ width: 1280, height: 60 + (await page.locator('.shell__main').evaluate((el) => el.scrollHeight)) });
      // No tooltip where the pointer was; the theme's colours ease in.
      await page.mouse.move(1270, 790);
      await page.waitForTimeout(400);
      await page.screenshot({ path: join(shots, `${theme}-archive-review.png`) });
      await page.screenshot({ path: join(shots, `${theme}-archive-review-top.png`), clip: { x: 0, y: 0, width: 1280, height: 800 } });
      await review.screenshot({ path: join(shots, `${theme}-archive-review-written.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  // The list says so too.
  await page.getByRole('link', { name: 'Bundles', exact: true }).first().click();
  const row = page.getByRole('table', { name: /Archives opened for review/ }).getByRole('row').nth(1);
  await expect(row).toHaveAttribute('data-ready', 'true');
  await expect(row).toContainText('approved');
  if (shots) await page.screenshot({ path: join(shots, 'light-archives-list.png') });

  // CI reads the verdict from the archive itself, with no workspace of its own.
  const check = JSON.parse(execFileSync(process.execPath, [BIN, 'check', archive, '--json'], { cwd: handover, encoding: 'utf8' })) as { verdict: { ready: boolean; summary: string }; passed: boolean };
  expect(check.verdict.ready).toBe(true);
  expect(check.verdict.summary).toMatch(/approved by/);
});
