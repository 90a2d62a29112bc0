// The catalog side of datasets, on a real SQLite catalog with outputs of the real task.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { taskContext, writeTable } from '../../test-support/datasets.js';
import { tempDir } from '../../test-support/temp.js';
import { Catalog } from '../catalog/catalog.js';
import { DatasetRepo, defaultDatasetName } from './dataset-repo.js';
import { registerDataset, type RegisterTaskOutput } from './register-task.js';

const catalogs: Catalog[] = [];
afterEach(() => {
  while (catalogs.length) catalogs.pop()!.close();
});

function repo() {
  const catalog = Catalog.open(join(tempDir(), 'catalog.db'), { actor: 'tester' });
  catalogs.push(catalog);
  return { catalog, repo: new DatasetRepo(catalog) };
}

const profiled = (path: string, knownSha256: string[] = []) =>
  registerDataset({ path, snapshot: false, snapshotLimitBytes: 0, knownSha256 }, taskContext().ctx);

const record = (catalog: Catalog, r: DatasetRepo, name: string, out: RegisterTaskOutput) => catalog.write((tx) => r.recordRegistration(tx, name, out, 'ana'));

describe('defaultDatasetName', () => {
  it('is the file or folder name without its data extensions, made safe', () => {
    expect(defaultDatasetName('/data/sales.csv')).toBe('sales');
    expect(defaultDatasetName('/data/sales.CSV.GZ')).toBe('sales');
    expect(defaultDatasetName('/data/events.ndjson')).toBe('events');
    expect(defaultDatasetName('/data/warehouse/orders/')).toBe('orders');
    expect(defaultDatasetName('/data/ventes (été).parquet')).toMatch(/^ventes _/);
    expect(defaultDatasetName('/data/---.csv')).toBe('dataset');
    expect(defaultDatasetName(`/data/${'x'.repeat(300)}.csv`)).toHaveLength(120);
  });
});

describe('DatasetRepo', () => {
  it('records a new dataset, then new versions; the same bytes again record nothing', async () => {
    const { catalog, repo: r } = repo();
    const dir = tempDir();
    const path = writeTable(join(dir, 'sales.csv'), 1, { rows: 500 });
    const v1 = await profiled(path);
    expect(record(catalog, r, 'sales', v1)).toMatchObject({ outcome: 'created', name: 'sales', version: 1, sha256: v1.sha256 });
    expect(r.knownHashes('sales')).toEqual([v1.sha256]);
    // Names are case-insensitive.
    expect(r.knownHashes('SALES')).toEqual([v1.sha256]);
    expect(r.knownHashes('other')).toEqual([]);

    // The task saw the known hash and skipped the profile.
    const again = await profiled(path, r.knownHashes('sales'));
    expect(again).toEqual({ unchanged: true, sha256: v1.sha256 });
    expect(record(catalog, r, 'Sales', again)).toEqual({ outcome: 'unchanged', name: 'sales', version: 1, sha256: v1.sha256, warnings: [] });
    // A full output with known bytes (two registrations racing) is also "unchanged".
    expect(record(catalog, r, 'sales', v1)).toMatchObject({ outcome: 'unchanged', version: 1 });

    writeTable(path, 2, { rows: 700 });
    const v2 = await profiled(path, r.knownHashes('sales'));
    expect(record(catalog, r, 'sales', v2)).toMatchObject({ outcome: 'new-version', version: 2 });
    expect(r.versions('sales').map((v) => [v.version, v.rows, v.createdBy])).toEqual([
      [1, 500, 'ana'],
      [2, 700, 'ana'],
    ]);
    expect(r.get('sales').version.version).toBe(2);
    expect(r.get('sales', 1).version.rows).toBe(500);
    expect(r.profile('sales', 1).columns).toEqual((v1 as Extract<RegisterTaskOutput, { unchanged: false }>).columns);
    expect(catalog.listAudit({ limit: 10 }).map((e) => [e.action, e.subject])).toEqual([
      ['dataset.version.added', 'sales@2'],
      ['dataset.version.added', 'sales@1'],
      ['dataset.created', 'sales'],
    ]);
  });

  it('refuses an "unchanged" answer whose version has gone meanwhile', () => {
    const { catalog, repo: r } = repo();
    const e = (() => {
      try {
        record(catalog, r, 'ghost', { unchanged: true, sha256: 'a'.repeat(64) });
      } catch (x) {
        return x as AppError;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'CONFLICT', message: 'Dataset "ghost" changed while it was being registered.' });
    expect(catalog.db.prepare('SELECT count(*) AS n FROM datasets').get()).toEqual({ n: 0 });
  });

  it('lists datasets with their latest version, filtered by name or path (LIKE wildcards taken literally)', async () => {
    const { catalog, repo: r } = repo();
    const dir = tempDir();
    for (const name of ['100%_done', '100x', 'plain']) {
      const path = join(dir, `${name}.csv`);
      writeFileSync(path, `a,b\n1,${name}\n2,x\n`);
      record(catalog, r, name, await profiled(path));
    }
    writeFileSync(join(dir, 'plain.csv'), 'a,b\n1,2\n3,4\n5,6\n');
    record(catalog, r, 'plain', await profiled(join(dir, 'plain.csv'), r.knownHashes('plain')));

    const all = r.list();
    expect(all.map((d) => d.name).sort()).toEqual(['100%_done', '100x', 'plain']);
    expect(all.find((d) => d.name === 'plain')).toMatchObject({ latestVersion: 2, versions: 2, rows: 3, columnCount: 2, format: 'csv' });
    expect(r.list('%').map((d) => d.name)).toEqual(['100%_done']);
    expect(r.list('0_').map((d) => d.name)).toEqual([]);
    expect(r.list('%_').map((d) => d.name)).toEqual(['100%_done']);
    expect(r.list('PLAIN').map((d) => d.name)).toEqual(['plain']);
    expect(r.list(dir).map((d) => d.name).sort()).toEqual(['100%_done', '100x', 'plain']);
    expect(r.list('nothing')).toEqual([]);
  });

  it('answers NOT_FOUND with a remedy for an unknown dataset or version', async () => {
    const { catalog, repo: r } = repo();
    const path = join(tempDir(), 'one.csv');
    writeFileSync(path, 'a\n1\n');
    record(catalog, r, 'one', await profiled(path));
    for (const f of [() => r.get('two'), () => r.get('one', 2), () => r.versions('two'), () => r.updateDatasheet('two', { description: '', source: '', owner: '', licence: '', collectionProcess: '', personalData: 'unknown' })]) {
      expect(f).toThrow(AppError);
      try {
        f();
      } catch (e) {
        expect((e as AppError).code).toBe('NOT_FOUND');
        expect((e as AppError).remedy.length).toBeGreaterThan(10);
      }
    }
  });

  it('updates the datasheet and audits only the fields that changed', async () => {
    const { catalog, repo: r } = repo();
    const path = join(tempDir(), 'sheet.csv');
    writeFileSync(path, 'a\n1\n');
    record(catalog, r, 'sheet', await profiled(path));
    const sheet = { description: 'd', source: '', owner: 'o', licence: '', collectionProcess: '', personalData: 'yes' as const };
    r.updateDatasheet('sheet', sheet);
    r.updateDatasheet('sheet', { ...sheet, owner: 'p' });
    expect(r.get('sheet').datasheet).toEqual({ ...sheet, owner: 'p' });
    expect(catalog.listAudit({ limit: 2, action: 'dataset.datasheet.updated' }).map((e) => e.details)).toEqual([{ fields: ['owner'] }, { fields: ['description', 'owner', 'personalData'] }]);
  });
});
