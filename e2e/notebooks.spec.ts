// Notebooks end to end: register a .ipynb by typing its path, see its findings at the right
// cells and its markdown and code rendered safely, follow its lineage link to the dataset it
// reads; then reproduce runs in Debian's Python with nbclient and ipykernel: one passes, one
// fails at a known cell.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';

const PYTHON = '/usr/bin/python3';

interface Cell {
  type?: 'code' | 'markdown';
  source: string;
  executionCount?: number | null;
  outputs?: unknown[];
}

/** An nbformat 4.5 notebook (cell ids required) for a Python 3 kernel. */
function notebookJson(cells: Cell[]): string {
  return JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
        language_info: { name: 'python', version: '3.11.2' },
      },
      cells: cells.map((c, i) =>
        c.type === 'markdown'
          ? { id: `cell-${i}`, cell_type: 'markdown', metadata: {}, source: c.source }
          : { id: `cell-${i}`, cell_type: 'code', metadata: {}, execution_count: c.executionCount ?? null, source: c.source, outputs: c.outputs ?? [] },
      ),
    },
    null,
    1,
  );
}

const stream = (text: string) => ({ output_type: 'stream', name: 'stdout', text });
const result = (text: string, count: number) => ({ output_type: 'execute_result', execution_count: count, metadata: {}, data: { 'text/plain': text } });
const image = (png: Buffer) => ({ output_type: 'display_data', metadata: {}, data: { 'image/png': png.toString('base64'), 'text/plain': '<Figure size 640x480 with 1 Axes>' } });

/** A small PNG bar chart, drawn pixel by pixel (no plotting library on the test machine). */
function barChartPng(values: number[], width = 360, height = 180): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const max = Math.max(...values);
  const slot = Math.floor((width - 40) / values.length);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3, 255);
    for (let x = 0; x < width; x++) {
      const i = Math.floor((x - 30) / slot);
      const inBar = x >= 30 && i < values.length && (x - 30) % slot > 6 && height - 20 - y < (values[i]! / max) * (height - 40) && y < height - 20;
      const axis = (x === 29 && y < height - 19) || (y === height - 20 && x >= 29);
      const [r, g, b] = axis ? [90, 98, 108] : inBar ? [29, 122, 76] : [255, 255, 255];
      row[1 + x * 3] = r;
      row[2 + x * 3] = g;
      row[3 + x * 3] = b;
    }
    row[0] = 0;
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const CUSTOMERS_CSV = ['id,plan,monthly_spend,churned', '1,basic,20.5,false', '2,pro,61.0,true', '3,enterprise,99.9,false', '4,pro,55.2,false', ''].join('\n');

/**
 * The notebook of the first test: markdown (with a <script> and a javascript: link that must
 * stay inert), a read of the CSV by relative path, an error output in cell index 2 and a
 * hard-coded password in cell index 3.
 */
const analysisCells = (): Cell[] => [
  {
    type: 'markdown',
    source:
      '# Churn analysis\n\nReads the **customers** table and looks at spend by plan.\n\n<script>window.__pwned = true</script>\n\n[Run it](javascript:window.__pwned=true) · [pandas docs](https://pandas.pydata.org/docs/)',
  },
  {
    source: "import pandas as pd\n\ndf = pd.read_csv('data/customers.csv')  # relative to the notebook\ndf.groupby('plan')['monthly_spend'].mean()",
    executionCount: 1,
    outputs: [result('plan\nbasic         20.50\nenterprise    99.90\npro           58.10\nName: monthly_spend, dtype: float64', 1), image(barChartPng([20.5, 99.9, 58.1]))],
  },
  {
    source: "churn_rate = df['churned'].sum() / len(df[df['plan'] == 'trial'])",
    executionCount: 2,
    outputs: [
      {
        output_type: 'error',
        ename: 'ZeroDivisionError',
        evalue: 'division by zero',
        traceback: ['\u001b[0;31mZeroDivisionError\u001b[0m Traceback (most recent call last)', "Cell \u001b[0;32mIn[2], line 1\u001b[0m\n----> 1 churn_rate = df['churned'].sum() / len(...)", '\u001b[0;31mZeroDivisionError\u001b[0m: division by zero'],
      },
    ],
  },
  {
    source: "import sqlalchemy  # noqa\ndb_password = 'Tr0ub4dor-and-3'\nprint('connecting as analyst')",
    executionCount: 3,
    outputs: [stream('connecting as analyst\n')],
  },
];

async function createWorkspace(page: Page, url: string, path: string) {
  await page.goto(url);
  await page.getByLabel('Folder', { exact: true }).fill(path);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Datasets' })).toBeVisible();
}

/** Register a dataset through the backend's RPC with the page's session cookie (setup, not under test). */
async function registerDataset(page: Page, origin: string, path: string) {
  const start = await page.request.post(`${origin}/api/rpc/datasets.register`, { data: { path } });
  const job = (await start.json()) as { ok: boolean; value: { id: string } };
  expect(job.ok).toBe(true);
  const done = await page.request.post(`${origin}/api/rpc/jobs.wait`, { data: { id: job.value.id, timeoutMs: 30_000 } });
  expect(await done.json()).toMatchObject({ ok: true, value: { state: 'succeeded' } });
}

async function registerNotebook(page: Page, path: string, expected: string) {
  await page.getByRole('button', { name: 'Register notebook' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Register a notebook' });
  await dialog.getByLabel('Notebook file').fill(path);
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(dialog.locator('.registration')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  await expect(dialog).toContainText(expected);
  return dialog;
}

test('register a notebook, see its findings at the right cells, and follow its link to the dataset', async ({ page, host, tempDir }) => {
  const project = join(tempDir, 'project');
  await mkdir(join(project, 'data'), { recursive: true });
  const csv = join(project, 'data', 'customers.csv');
  await writeFile(csv, CUSTOMERS_CSV);
  const ipynb = join(project, 'churn.ipynb');
  await writeFile(ipynb, notebookJson(analysisCells()));

  await createWorkspace(page, host.url, join(tempDir, 'ws'));
  await registerDataset(page, host.origin, csv);

  await page.getByRole('link', { name: /^Notebooks/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Notebooks' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No notebooks yet' })).toBeVisible();
  const dialog = await registerNotebook(page, ipynb, 'Registered churn as a new notebook (version 1).');
  await dialog.getByRole('link', { name: 'Open churn' }).click();

  // The page: header facts and findings counts.
  await expect(page.getByRole('heading', { level: 1, name: 'churn' })).toBeVisible();
  await expect(page).toHaveURL(/#\/notebooks\/churn$/);
  const facts = page.locator('.nb-facts');
  await expect(facts).toContainText('Python 3 (ipykernel)');
  await expect(facts).toContainText('3 code · 1 markdown');
  await expect(facts).toContainText(ipynb);
  await expect(page.locator('.detail-header__titles')).toContainText('2 errors');

  // Markdown is rendered, and what it tried to run stays inert text.
  const intro = page.getByRole('article', { name: 'Cell 1' });
  await expect(intro.getByRole('heading', { name: 'Churn analysis' })).toBeVisible();
  await expect(intro).toContainText('<script>window.__pwned = true</script>');
  await expect(page.locator('.nb-markdown script')).toHaveCount(0);
  await expect(intro.locator('a[href^="javascript" i]')).toHaveCount(0);
  await expect(intro.getByRole('link', { name: 'pandas docs' })).toHaveAttribute('target', '_blank');
  expect(await page.evaluate(() => (window as { __pwned?: boolean }).__pwned)).toBeUndefined();

  // Code is highlighted; the output image shows (the CSP allows data: images).
  const read = page.getByRole('article', { name: 'Cell 2' });
  await expect(read.locator('.tok-keyword').first()).toHaveText('import');
  await expect(read.locator('.tok-string').first()).toHaveText("'data/customers.csv'");
  const chart = read.getByRole('img', { name: 'Image output 2 of cell 2' });
  await expect(chart).toBeVisible();
  expect(await chart.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(360);
  await expect(read.getByRole('list', { name: /Findings/ })).toHaveCount(0);

  // Findings at the right cells: the error output at cell index 2, the password at index 3 (line 2).
  const failing = page.getByRole('article', { name: 'Cell 3' });
  await expect(failing.locator('.nb-output--error')).toContainText('ZeroDivisionError: division by zero');
  await expect(failing.getByRole('list', { name: 'Findings in cell 3' })).toContainText('Error outputs');
  const secret = page.getByRole('article', { name: 'Cell 4' });
  const secretFindings = secret.getByRole('list', { name: 'Findings in cell 4' });
  await expect(secretFindings).toContainText('Secrets in code or outputs');
  await expect(secretFindings).toContainText('line 2');
  await expect(secretFindings).not.toContainText('Tr0ub4dor-and-3');
  await expect(secret.locator('.nb-code__line--error')).toHaveAttribute('data-line', '2');

  // The summary counts them, filters them and jumps to a finding's cell.
  const summary = page.getByRole('region', { name: 'Findings' });
  await summary.getByRole('button', { name: /^Errors/ }).click();
  await expect(summary.getByRole('listitem')).toHaveCount(2);
  await summary.getByRole('button', { name: 'Cell 4, line 2' }).click();
  await expect(secret).toBeFocused();
  await expect(secret).toBeInViewport();
  await summary.getByRole('button', { name: /^All/ }).click();

  // The cell that reads the CSV is linked to the registered dataset; so is the Lineage tab.
  await expect(read.getByRole('link', { name: /dataset customers v1/ })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'churn' })).toBeVisible();
  await page.getByRole('tab', { name: /Lineage/ }).click();
  await expect(page).toHaveURL(/#\/notebooks\/churn\/lineage$/);
  const datasets = page.getByRole('list', { name: 'Datasets it reads' });
  await expect(datasets).toContainText('same bytes');
  await datasets.getByRole('link', { name: /customers/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'customers' })).toBeVisible();
  await expect(page).toHaveURL(/#\/datasets\/customers@1$/);
  await expect(page.locator('.fact-grid')).toContainText(csv);
  // And the dataset page names the notebooks that read it.
  const readBy = page.getByRole('region', { name: 'Read by notebooks' });
  await expect(readBy.getByRole('link', { name: 'churn v1' })).toHaveAttribute('href', '#/notebooks/churn@1');

  // Back in the list: the notebook with its findings; search finds it by path.
  await page.getByRole('link', { name: /^Notebooks/ }).click();
  const list = page.getByRole('list', { name: 'Notebooks' });
  await expect(list.getByRole('link', { name: /churn/ })).toContainText('2 errors');
  await expect(list.getByRole('link', { name: /churn/ })).toContainText('Not run');
  await page.getByLabel('Search notebooks').fill('project/churn');
  await expect(list.getByRole('link', { name: /churn/ })).toBeVisible();
  await page.getByLabel('Search notebooks').fill('nothing-like-this');
  await expect(page.getByText('No notebook matches')).toBeVisible();
});

test('reproduce runs in Debian’s Python: one passes, one fails at a known cell', async ({ page, host, tempDir }) => {
  test.setTimeout(180_000);
  const project = join(tempDir, 'project');
  await mkdir(join(project, 'data'), { recursive: true });
  await writeFile(join(project, 'data', 'customers.csv'), CUSTOMERS_CSV);
  const clean = join(project, 'clean.ipynb');
  await writeFile(
    clean,
    notebookJson([
      { type: 'markdown', source: '# Spend by plan' },
      { source: "import pandas as pd\ndf = pd.read_csv('data/customers.csv')", executionCount: 1 },
      { source: "means = df.groupby('plan')['monthly_spend'].mean()\nprint(means.round(2).to_dict())", executionCount: 2 },
    ]),
  );
  const broken = join(project, 'broken.ipynb');
  await writeFile(
    broken,
    notebookJson([
      { type: 'markdown', source: '# Churn by plan' },
      { source: "import pandas as pd\ndf = pd.read_csv('data/customers.csv')", executionCount: 1 },
      { source: "rate = df['churned'].mean()\nprint(rate_by_plan)", executionCount: 2 },
      { source: "print('never reached')", executionCount: 3 },
    ]),
  );
  await createWorkspace(page, host.url, join(tempDir, 'ws'));
  await page.getByRole('link', { name: /^Notebooks/ }).click();
  const dialog = await registerNotebook(page, clean, 'Registered clean as a new notebook (version 1).');
  await dialog.getByRole('button', { name: 'Register another' }).click();
  await dialog.getByLabel('Notebook file').fill(broken);
  await dialog.getByRole('button', { name: 'Register', exact: true }).click();
  await expect(dialog).toContainText('Registered broken as a new notebook (version 1).', { timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Close' }).last().click();

  // A clean notebook passes.
  await page.getByRole('list', { name: 'Notebooks' }).getByRole('link', { name: /clean/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'clean' })).toBeVisible();
  await page.getByRole('button', { name: 'Reproduce' }).click();
  await expect(page).toHaveURL(/#\/notebooks\/clean\/reproduce$/);
  await expect(page.getByText(/Not run yet/)).toBeVisible();
  await page.getByLabel('Python').fill(PYTHON);
  await page.getByRole('button', { name: 'Run notebook' }).click();
  await expect(page.getByRole('group', { name: 'Reproduce run in progress' }).getByRole('button', { name: 'Cancel' })).toBeVisible();
  const latest = page.getByRole('region', { name: 'Latest run' });
  await expect(latest).toHaveAttribute('data-state', 'passed', { timeout: 90_000 });
  await expect(latest).toContainText('Passed: every code cell ran without an error');
  await expect(latest).toContainText(PYTHON);
  await expect(page.getByRole('table', { name: 'Reproduce runs, newest first' }).getByRole('row')).toHaveCount(2);
  await page.getByRole('tab', { name: /Cells/ }).click();
  await expect(page.getByRole('article', { name: 'Cell 2' })).toContainText('Ran OK');
  await expect(page.getByRole('article', { name: 'Cell 3' })).toContainText('Ran OK');

  // A notebook that uses a name it never defined fails at that cell; the rest does not run.
  await page.getByRole('link', { name: 'Notebooks', exact: true }).first().click();
  await page.getByRole('list', { name: 'Notebooks' }).getByRole('link', { name: /broken/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'broken' })).toBeVisible();
  await page.getByRole('tab', { name: /Reproduce/ }).click();
  await page.getByLabel('Python').fill(PYTHON);
  await page.getByRole('button', { name: 'Run notebook' }).click();
  const failed = page.getByRole('region', { name: 'Latest run' });
  await expect(failed).toHaveAttribute('data-state', 'failed', { timeout: 90_000 });
  await expect(failed).toContainText('Failed at cell 3 with NameError');
  const error = failed.getByRole('group', { name: 'Error of the failing cell' });
  await expect(error).toContainText("name 'rate_by_plan' is not defined");
  await expect(error.locator('.nb-traceback')).toContainText('NameError');
  await error.getByRole('button', { name: 'Show cell 3' }).click();
  await expect(page).toHaveURL(/#\/notebooks\/broken$/);
  const cell3 = page.getByRole('article', { name: 'Cell 3' });
  await expect(cell3).toBeFocused();
  await expect(cell3).toContainText('Failed in the last run');
  await expect(cell3.getByRole('group', { name: 'Reproduce error in cell 3' })).toContainText('NameError');
  await expect(page.getByRole('article', { name: 'Cell 2' })).toContainText('Ran OK');
  await expect(page.getByRole('article', { name: 'Cell 4' })).toContainText('Not run in the last run');

  // The Python is remembered for the notebook; the list shows each last run.
  await page.reload();
  await page.getByRole('tab', { name: /Reproduce/ }).click();
  await expect(page.getByLabel('Python')).toHaveValue(PYTHON);
  await page.getByRole('link', { name: 'Notebooks', exact: true }).first().click();
  const list = page.getByRole('list', { name: 'Notebooks' });
  await expect(list.getByRole('link', { name: /clean/ })).toContainText('Reproduced');
  await expect(list.getByRole('link', { name: /broken/ })).toContainText('Run failed');
});

// Screenshots of the notebook screens in both themes, for looking at them (not a visual diff).
// Run: GREENHOUSE_SHOTS_DIR=/tmp/shots npx playwright test notebooks -g screenshots
test('screenshots of the notebook screens in both themes', async ({ page, host, tempDir }) => {
  const dir = process.env.GREENHOUSE_SHOTS_DIR;
  test.skip(!dir, 'Set GREENHOUSE_SHOTS_DIR to take screenshots.');
  test.setTimeout(300_000);
  const out = dir!;
  await mkdir(out, { recursive: true });
  const project = join(tempDir, 'project');
  await mkdir(join(project, 'data'), { recursive: true });
  const csv = join(project, 'data', 'customers.csv');
  await writeFile(csv, CUSTOMERS_CSV);
  const churn = join(project, 'churn.ipynb');
  await writeFile(churn, notebookJson(analysisCells()));
  const broken = join(project, 'features.ipynb');
  await writeFile(
    broken,
    notebookJson([
      { type: 'markdown', source: '## Feature engineering\n\n1. Load the customers\n2. Derive `spend_band`\n\n> Keep this notebook free of hard-coded paths.' },
      { source: "import pandas as pd\nimport numpy as np\n\ndf = pd.read_csv('data/customers.csv')", executionCount: 1 },
      { source: "df['spend_band'] = pd.cut(df['monthly_spend'], bins=[0, 50, 100], labels=['low', 'high'])\nprint(df['spend_band'].value_counts().to_dict())", executionCount: 2 },
      { source: 'df.to_parquet(OUTPUT_PATH)', executionCount: 3 },
    ]),
  );
  const clean = join(project, 'report.ipynb');
  await writeFile(clean, notebookJson([{ source: "import pandas as pd\nprint(pd.read_csv('data/customers.csv').shape)", executionCount: 1 }]));

  for (const theme of ['light', 'dark'] as const) {
    await page.setViewportSize({ width: 1280, height: 800 });
    // Reduced motion: a jump to a cell scrolls at once, so the screenshot shows where it lands.
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await createWorkspace(page, host.url, join(tempDir, `shots-${theme}`));
    await registerDataset(page, host.origin, csv);
    await page.getByRole('link', { name: /^Notebooks/ }).click();
    await page.screenshot({ path: join(out, `${theme}-notebooks-empty.png`) });
    const dialog = await registerNotebook(page, churn, 'Registered churn');
    await page.screenshot({ path: join(out, `${theme}-notebook-registered.png`) });
    for (const path of [broken, clean]) {
      await dialog.getByRole('button', { name: 'Register another' }).click();
      await dialog.getByLabel('Notebook file').fill(path);
      await dialog.getByRole('button', { name: 'Register', exact: true }).click();
      await expect(dialog.locator('.registration')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
    }
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    // Runs for the last-run badges of the list.
    for (const [name, python] of [
      ['features', PYTHON],
      ['report', PYTHON],
    ] as const) {
      await page.getByRole('list', { name: 'Notebooks' }).getByRole('link', { name: new RegExp(name) }).click();
      await page.getByRole('button', { name: 'Reproduce' }).click();
      await page.getByLabel('Python').fill(python);
      await page.getByRole('button', { name: 'Run notebook' }).click();
      if (name === 'features') {
        await expect(page.getByRole('group', { name: 'Reproduce run in progress' })).toBeVisible();
        await page.screenshot({ path: join(out, `${theme}-reproduce-running.png`) });
      }
      await expect(page.getByRole('region', { name: 'Latest run' })).toHaveAttribute('data-state', /passed|failed/, { timeout: 90_000 });
      if (name === 'features') {
        await page.setViewportSize({ width: 1280, height: 1100 });
        await page.screenshot({ path: join(out, `${theme}-reproduce-failed.png`) });
        await page.getByRole('button', { name: 'Show cell 4' }).click();
        await expect(page.getByRole('article', { name: 'Cell 4' })).toBeFocused();
        await page.screenshot({ path: join(out, `${theme}-reproduce-failed-cell.png`) });
        await page.setViewportSize({ width: 1280, height: 800 });
      }
      await page.getByRole('link', { name: 'Notebooks', exact: true }).first().click();
    }
    await expect(page.getByRole('list', { name: 'Notebooks' }).getByRole('listitem')).toHaveCount(3);
    await page.screenshot({ path: join(out, `${theme}-notebooks-list.png`) });

    await page.setViewportSize({ width: 1280, height: 1600 });
    await page.getByRole('list', { name: 'Notebooks' }).getByRole('link', { name: /churn/ }).click();
    await expect(page.getByRole('img', { name: 'Image output 2 of cell 2' })).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-notebook-page.png`) });
    await page.getByRole('tab', { name: /Lineage/ }).click();
    await page.screenshot({ path: join(out, `${theme}-notebook-lineage.png`) });
    await page.getByRole('tab', { name: /Environment/ }).click();
    await page.screenshot({ path: join(out, `${theme}-notebook-environment.png`) });
    await page.getByRole('tab', { name: /Versions/ }).click();
    await page.screenshot({ path: join(out, `${theme}-notebook-versions.png`) });
    await page.getByRole('tab', { name: /Reproduce/ }).click();
    await page.screenshot({ path: join(out, `${theme}-notebook-reproduce-empty.png`) });
    await page.getByRole('tab', { name: /Lineage/ }).click();
    await page.getByRole('list', { name: 'Datasets it reads' }).getByRole('link', { name: /customers/ }).click();
    await expect(page.getByRole('region', { name: 'Read by notebooks' })).toBeVisible();
    await page.screenshot({ path: join(out, `${theme}-dataset-read-by.png`) });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Close workspace' }).click();
  }
});
