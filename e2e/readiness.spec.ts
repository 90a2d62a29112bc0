// Readiness end to end, on the real engine with Debian's Python: the bundle is packaged with the
// CLI (written, built on the local base image, smoke-tested on host networking, exported), then a
// reviewer works in the UI: reads the verdict and the score, attests two manual checks and sees
// their sections and the final score move, requests changes with a comment on a check, approves,
// sees the history, and writes the HTML report into the bundle.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { BASE_IMAGE, churnWorkspace, cli } from './test-data.js';

/** A section's points as the score panel shows them ("3.5 / 7"). */
async function points(score: Locator, section: string): Promise<number> {
  const text = await score.locator(`[data-section="${section}"] dd`).textContent();
  return Number(/^([\d.]+)/.exec(text ?? '')?.[1]);
}

test('review a bundle’s readiness: score, attestations, a review with changes requested then approved, the HTML report', async ({ page, host, tempDir }) => {
  test.setTimeout(150_000);
  const ws = await churnWorkspace(tempDir, 200, 11);
  // Written, built, smoke-tested and exported in one go: every gate can pass.
  const packaged = JSON.parse(cli(ws, 'package', 'churn', '--strategy', 'base', '--base', BASE_IMAGE, '--network', 'host', '--json')) as { smoke: { passed: boolean } | null; archive: string | null };
  expect(packaged.smoke?.passed).toBe(true);
  expect(packaged.archive).toMatch(/churn-1\.tar\.gz$/);

  await page.goto(host.url);
  await page.getByLabel('Workspace folder', { exact: true }).fill(ws);
  await page.getByRole('button', { name: 'Open workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();

  // The overview sums it up and links to the checklist.
  await page.goto(`${host.origin}/#/bundles/churn@1`);
  const summary = page.getByRole('tabpanel').getByRole('region', { name: 'Readiness', exact: true });
  await expect(summary).toContainText('7 of 7 pass');
  await expect(summary).toContainText('not reviewed');
  await summary.getByRole('link', { name: 'Open the checklist' }).click();
  await expect(page).toHaveURL(/#\/bundles\/churn@1\/readiness$/);

  // The verdict first: the gates pass (built, smoke-tested, pinned, provenance complete); nobody approved it yet.
  const panel = page.getByRole('tabpanel');
  const verdict = panel.locator('[data-verdict]');
  await expect(verdict).toHaveAttribute('data-verdict', 'waiting');
  await expect(verdict).toContainText('gates pass, waiting for a reviewer');
  await expect(panel.getByRole('list', { name: 'Hand-off gates' }).locator('[data-state="passed"]')).toHaveCount(7);
  const score = panel.getByRole('region', { name: 'Score', exact: true });
  await expect(score.locator('.recharts-bar-rectangle')).toHaveCount(4);
  const before = { data: await points(score, 'data'), model: await points(score, 'model'), infrastructure: await points(score, 'infrastructure'), monitoring: await points(score, 'monitoring') };
  const finalBefore = Math.min(...Object.values(before));
  await expect(score.getByTestId('final-score')).toHaveText(String(finalBefore));
  // No evaluation data, no card, no notebook: the model section is the weakest.
  expect(before.model).toBe(finalBefore);
  await expect(score.locator('[data-section="model"]')).toHaveClass(/is-weakest/);

  // Two manual checks, attested: half a point each.
  const checks = panel.getByRole('region', { name: 'Checklist', exact: true });
  for (const [id, note] of [
    ['data.3', 'Each feature comes from the billing system at no extra cost; reviewed with the data owner.'],
    ['model.3', 'Grid search over C (0.01 to 100) with 5-fold cross-validation; see the notebook.'],
  ] as const) {
    const row = checks.locator(`[data-check="${id}"]`);
    await row.getByRole('button', { expanded: false }).click();
    await row.getByRole('button', { name: `Attest ${id}…` }).click();
    const dialog = page.getByRole('dialog', { name: `Attest ${id}` });
    await expect(dialog).toContainText('half a point');
    await dialog.getByLabel('Note').fill(note);
    await dialog.getByRole('button', { name: 'Attest', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toHaveAttribute('data-basis', 'attested');
    await expect(row).toContainText(note);
  }
  await expect(score.locator('[data-section="data"] dd')).toHaveText(`${before.data + 0.5} / 7`);
  await expect(score.locator('[data-section="model"] dd')).toHaveText(`${before.model + 0.5} / 7`);
  const finalAfter = Math.min(before.data + 0.5, before.model + 0.5, before.infrastructure, before.monitoring);
  expect(finalAfter).toBeGreaterThan(finalBefore);
  await expect(score.getByTestId('final-score')).toHaveText(String(finalAfter));
  await expect(checks.getByRole('group', { name: 'Show checks' }).getByRole('button', { name: /^Attested/ })).toHaveText('Attested 2');

  // A review that requests changes, with a comment on a check chosen from the list…
  const review = panel.getByRole('region', { name: 'Review', exact: true });
  const form = review.getByRole('form', { name: 'Record a review' });
  await form.getByRole('radio', { name: /Request changes/ }).check();
  await form.getByLabel('Summary', { exact: true }).fill('The staleness study is missing.');
  await form.getByRole('button', { name: /Add a comment/ }).click();
  const comment = form.getByRole('group', { name: 'Comment 1' });
  await comment.getByLabel('On', { exact: true }).selectOption('model.4');
  await comment.getByLabel('Comment', { exact: true }).fill('How fast does the model decay?');
  await form.getByRole('button', { name: 'Record the review' }).click();
  await expect(review.getByRole('status')).toContainText('changes requested');
  await expect(checks.locator('[data-check="model.4"]')).toContainText('1 comment');
  // …then an approval.
  await form.getByRole('radio', { name: /Approve/ }).check();
  await form.getByLabel('Summary', { exact: true }).fill('Staleness explained in the card; good to go.');
  await form.getByRole('button', { name: 'Record the review' }).click();
  const history = review.getByRole('list', { name: 'Reviews, newest first' });
  await expect(history.locator(':scope > li')).toHaveCount(2);
  await expect(history.locator(':scope > li').first()).toHaveAttribute('data-decision', 'approve');
  await expect(history.locator(':scope > li').nth(1)).toContainText('model.4 · The impact of model staleness is known');
  await expect(history.locator(':scope > li').nth(1)).toContainText('How fast does the model decay?');
  await expect(verdict).toHaveAttribute('data-verdict', 'ready');
  await expect(verdict.getByRole('heading', { name: 'Ready to hand off' })).toBeVisible();
  await expect(verdict).toContainText(/Ready: gates pass and approved by \S+/);

  // The HTML report, written into the bundle folder.
  await verdict.getByRole('button', { name: 'Write the HTML report' }).click();
  const written = verdict.locator('[data-format="html"]');
  await expect(written).toContainText(join(ws, 'bundles', 'churn-1', 'readiness-report.html'));
  const html = await readFile(join(ws, 'bundles', 'churn-1', 'readiness-report.html'), 'utf8');
  expect(html).toContain('approved by');
  expect(html).toContain('Grid search over C');
});
