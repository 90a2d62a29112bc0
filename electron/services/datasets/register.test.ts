// Dataset registration end to end: the contract methods on a real Backend, jobs in the real job
// worker thread, the real SQLite catalog and object store, real files.
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasetDetail, DatasetDiff, DatasetSummary, Datasheet, Job, RegisterResult } from '../../../shared/contract/index.js';
import { DEFAULT_REMEDY } from '../../../shared/errors.js';
import { Backend } from '../backend.js';
import { DockerService } from '../docker/docker-service.js';
import { dispatch } from '../rpc/dispatch.js';
import { sha256sum, taskContext, writeTable } from '../../test-support/datasets.js';
import { tempDir } from '../../test-support/temp.js';
import { registerDataset } from './register-task.js';

// Each registration starts a worker thread; on a loaded two-core machine a test takes seconds.
vi.setConfig({ testTimeout: 60_000 });

const isRoot = process.getuid?.() === 0;
/** Where the figures do not matter, a smaller table registers faster. */
const SMALL = { rows: 2000 };

let backend: Backend;
let ws: string;
let updates: Job[];

beforeEach(async () => {
  backend = new Backend({ mode: 'cli', configDir: tempDir('gh-config-'), docker: new DockerService(() => []), actor: 'tester' });
  updates = [];
  backend.events.onAny((name, payload) => {
    if (name === 'jobs.onUpdate') updates.push(payload as Job);
  });
  ws = tempDir('gh-ws-');
  await call('workspace.create', { path: ws, name: 'datasets' });
});
afterEach(async () => {
  await backend.close();
});

/** Call a contract method the way the transports do; throw the error envelope. */
async function call<T>(method: string, input: unknown): Promise<T> {
  const r = await dispatch(backend.handlers, method, input);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

async function register(path: string, extra: { name?: string; snapshot?: boolean } = {}): Promise<Job> {
  const job = await call<Job>('datasets.register', { path, ...extra });
  expect(job).toMatchObject({ kind: 'datasets.register', state: 'running' });
  return call<Job>('jobs.wait', { id: job.id, timeoutMs: 60_000 });
}

async function registered(path: string, extra: { name?: string; snapshot?: boolean } = {}): Promise<RegisterResult> {
  const job = await register(path, extra);
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  return job.result as RegisterResult;
}

/** Everything registration may write: both tables, the dataset audit entries and the objects. */
function catalogState() {
  const db = backend.requireWorkspace().catalog.db;
  return {
    datasets: db.prepare('SELECT * FROM datasets ORDER BY id').all(),
    versions: db.prepare('SELECT * FROM dataset_versions ORDER BY id').all(),
    audit: db.prepare(`SELECT action, subject FROM audit_log WHERE action LIKE 'dataset%' ORDER BY id`).all(),
    objects: listObjects(),
  };
}

function listObjects(): string[] {
  const root = join(ws, '.greenhouse', 'objects');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((p) => /^[0-9a-f]{2}$/.test(p))
    .flatMap((p) => readdirSync(join(root, p)).map((rest) => p + rest))
    .sort();
}

const objectPath = (sha: string) => join(ws, '.greenhouse', 'objects', sha.slice(0, 2), sha.slice(2));

describe('datasets.register', () => {
  it('registers a CSV: a new dataset at version 1, its profile stored, its bytes snapshotted under their SHA-256', async () => {
    const data = tempDir();
    const csv = writeTable(join(data, 'sales.csv'), 1);
    const job = await register(csv);
    expect(job).toMatchObject({ state: 'succeeded', progress: 1, error: null });
    const result = job.result as RegisterResult;
    const sha = sha256sum(csv);
    expect(result).toEqual({ outcome: 'created', name: 'sales', version: 1, sha256: sha, warnings: [] });

    // The snapshot: an object named by the hash, holding the same bytes.
    expect(listObjects()).toEqual([sha]);
    expect(sha256sum(objectPath(sha))).toBe(sha);
    expect(statSync(objectPath(sha)).size).toBe(statSync(csv).size);

    const detail = await call<DatasetDetail>('datasets.get', { name: 'sales' });
    expect(detail.version).toMatchObject({
      version: 1,
      sha256: sha,
      bytes: statSync(csv).size,
      format: 'csv',
      sourcePath: csv,
      files: [{ path: 'sales.csv', sha256: sha, bytes: statSync(csv).size }],
      snapshot: 'copy',
      snapshotNote: null,
      dialect: { delimiter: ',', quote: '"', header: true, encoding: 'utf-8', compression: 'none' },
      rows: 20_000,
      columnCount: 7,
      createdBy: 'tester',
    });
    expect(detail.columns.map((c) => c.name)).toEqual(['id', 'amount', 'score', 'category', 'day', 'flag', 'note']);
    expect(detail.sample.rows).toHaveLength(100);
    expect(detail.datasheet).toEqual({ description: '', source: '', owner: '', licence: '', collectionProcess: '', personalData: 'unknown' });

    const list = await call<DatasetSummary[]>('datasets.list', {});
    expect(list).toEqual([expect.objectContaining({ name: 'sales', latestVersion: 1, versions: 1, rows: 20_000, columnCount: 7, format: 'csv' })]);
    expect(catalogState().audit).toEqual([
      { action: 'dataset.created', subject: 'sales' },
      { action: 'dataset.version.added', subject: 'sales@1' },
    ]);

    // Progress reached the renderer as it went, never backwards, ending at 1.
    const mine = updates.filter((u) => u.id === job.id && u.progress !== null).map((u) => u.progress!);
    expect(mine.length).toBeGreaterThan(2);
    expect([...mine].sort((a, b) => a - b)).toEqual(mine);
    expect(mine.at(-1)).toBe(1);
  });

  it('says "unchanged" for the same bytes and adds nothing; changed bytes make a new version', async () => {
    const data = tempDir();
    const csv = writeTable(join(data, 'sales.csv'), 1, SMALL);
    const v1 = await registered(csv);
    const before = catalogState();

    const again = await registered(csv);
    expect(again).toEqual({ outcome: 'unchanged', name: 'sales', version: 1, sha256: v1.sha256, warnings: [] });
    expect(catalogState()).toEqual(before);

    const original = readFileSync(csv);
    writeTable(csv, 2, SMALL);
    const v2 = await registered(csv);
    expect(v2).toMatchObject({ outcome: 'new-version', name: 'sales', version: 2, sha256: sha256sum(csv) });
    expect(v2.sha256).not.toBe(v1.sha256);
    const after = catalogState();
    expect(after.datasets).toEqual(before.datasets);
    expect(after.versions).toHaveLength(2);
    expect(after.objects).toEqual([v1.sha256, v2.sha256].sort());

    // Back to the first bytes: that is version 1 again, not a third version.
    writeFileSync(csv, original);
    expect(await registered(csv)).toMatchObject({ outcome: 'unchanged', version: 1 });
    expect(catalogState().versions).toHaveLength(2);

    const detail = await call<DatasetDetail>('datasets.get', { name: 'sales' });
    expect(detail.versions.map((v) => [v.version, v.sha256])).toEqual([
      [1, v1.sha256],
      [2, v2.sha256],
    ]);
    expect(detail.version.version).toBe(2);
    expect((await call<DatasetDetail>('datasets.get', { name: 'sales', version: 1 })).version.sha256).toBe(v1.sha256);
    expect(await call<DatasetSummary[]>('datasets.list', {})).toEqual([expect.objectContaining({ name: 'sales', latestVersion: 2, versions: 2 })]);
  });

  it('records two concurrent registrations of the same new bytes once', async () => {
    const data = tempDir();
    const csv = writeTable(join(data, 'twice.csv'), 5, SMALL);
    const [a, b] = await Promise.all([call<Job>('datasets.register', { path: csv }), call<Job>('datasets.register', { path: csv })]);
    const done = await Promise.all([a, b].map((j) => call<Job>('jobs.wait', { id: j.id })));
    expect(done.map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
    expect(done.map((j) => (j.result as RegisterResult).outcome).sort()).toEqual(['created', 'unchanged']);
    expect(catalogState().versions).toHaveLength(1);
  });

  it('registers a partitioned Parquet folder as one dataset and snapshots every file', async () => {
    const data = tempDir();
    const csv = writeTable(join(data, 'table.csv'), 3);
    const folder = join(data, 'events');
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    await con.run(`COPY (SELECT *, id % 3 AS bucket FROM read_csv('${csv}')) TO '${folder}' (FORMAT parquet, PARTITION_BY (bucket))`);
    con.closeSync();
    instance.closeSync();
    const result = await registered(folder);
    expect(result).toMatchObject({ outcome: 'created', name: 'events', version: 1 });
    const detail = await call<DatasetDetail>('datasets.get', { name: 'events' });
    expect(detail.version).toMatchObject({ format: 'parquet', rows: 20_000, columnCount: 8, snapshot: 'copy', dialect: null });
    expect(detail.version.files.map((f) => f.path.split('/')[0])).toEqual(['bucket=0', 'bucket=1', 'bucket=2']);
    for (const f of detail.version.files) {
      expect(sha256sum(join(folder, f.path))).toBe(f.sha256);
      expect(sha256sum(objectPath(f.sha256))).toBe(f.sha256);
    }
    expect(listObjects()).toEqual(detail.version.files.map((f) => f.sha256).sort());
  });
});

describe('snapshots', () => {
  it('keeps only a reference, with a warning, when the snapshot is turned off', async () => {
    const csv = writeTable(join(tempDir(), 'ref.csv'), 1, SMALL);
    const result = await registered(csv, { snapshot: false });
    expect(result.outcome).toBe('created');
    expect(result.warnings).toEqual([expect.stringMatching(/only the path and hash are kept/)]);
    expect(listObjects()).toEqual([]);
    const v = (await call<DatasetDetail>('datasets.get', { name: 'ref' })).version;
    expect(v).toMatchObject({ snapshot: 'reference', sha256: sha256sum(csv), snapshotNote: expect.stringMatching(/Snapshot turned off/) });
  });

  it('keeps only a reference, with a warning, above the workspace\'s snapshot limit', async () => {
    const csv = writeTable(join(tempDir(), 'big.csv'), 1, SMALL);
    const size = statSync(csv).size;
    await call('workspace.updateSettings', { snapshotLimitBytes: size - 1 });
    const result = await registered(csv);
    expect(result.warnings).toHaveLength(1);
    // One byte over: the sizes are given exactly.
    expect(result.warnings[0]).toBe(
      `Larger than the snapshot limit (${size} bytes > ${size - 1} bytes): only the path and hash are kept. Keep the file unchanged, or raise the limit in the workspace settings.`,
    );
    expect(listObjects()).toEqual([]);
    expect((await call<DatasetDetail>('datasets.get', { name: 'big' })).version.snapshot).toBe('reference');

    // At the limit exactly, the bytes are copied.
    await call('workspace.updateSettings', { snapshotLimitBytes: size });
    const copy = await registered(csv, { name: 'big-copy' });
    expect(copy.warnings).toEqual([]);
    expect(listObjects()).toEqual([copy.sha256]);
  });
});

describe('datasheet', () => {
  it('persists an edit and audits which fields changed', async () => {
    await registered(writeTable(join(tempDir(), 'sheet.csv'), 1, SMALL));
    const sheet: Datasheet = {
      description: 'Daily sales by shop',
      source: 'ERP export',
      owner: 'ana@example.org',
      licence: 'internal',
      collectionProcess: '',
      personalData: 'no',
    };
    expect(await call('datasets.updateDatasheet', { name: 'sheet', datasheet: sheet })).toEqual(sheet);
    expect((await call<DatasetDetail>('datasets.get', { name: 'sheet' })).datasheet).toEqual(sheet);
    const entry = backend.requireWorkspace().catalog.listAudit({ limit: 1, action: 'dataset.datasheet.updated' })[0]!;
    expect(entry).toMatchObject({ actor: 'tester', subject: 'sheet', details: { fields: ['description', 'source', 'owner', 'licence', 'personalData'] } });

    // Reopening the workspace reads it back from disk.
    await call('workspace.close', {});
    await call('workspace.open', { path: ws });
    expect((await call<DatasetDetail>('datasets.get', { name: 'sheet' })).datasheet).toEqual(sheet);

    await expect(call('datasets.updateDatasheet', { name: 'nope', datasheet: sheet })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(backend.requireWorkspace().catalog.listAudit({ limit: 10, action: 'dataset.datasheet.updated' })).toHaveLength(1);
    await expect(call('datasets.updateDatasheet', { name: 'sheet', datasheet: { ...sheet, personalData: 'maybe' } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('diff between versions', () => {
  it('reports schema changes, row counts and per-column shifts with PSI', async () => {
    const csv = join(tempDir(), 'shop.csv');
    writeTable(csv, 1);
    await registered(csv);
    // Same distributions from another seed and 15 000 rows, amount shifted, categories reversed,
    // more empty amounts; a column dropped (note), one added (extra), one retyped (flag: boolean → text).
    const src = writeTable(join(tempDir(), 'v2-src.csv'), 2, { rows: 15_000, amountShift: 40, reverseCategories: true, amountNulls: 0.2 });
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    await con.run(
      `COPY (SELECT id, amount, score, category, day, CASE WHEN flag THEN 'flag:1' ELSE 'flag:0' END AS flag, id % 2 AS extra FROM read_csv('${src}') ORDER BY id) TO '${csv}' (HEADER, DELIMITER ',')`,
    );
    con.closeSync();
    instance.closeSync();
    const v2 = await registered(csv);
    expect(v2).toMatchObject({ outcome: 'new-version', version: 2 });
    const p1 = await call<DatasetDetail>('datasets.get', { name: 'shop', version: 1 });
    const p2 = await call<DatasetDetail>('datasets.get', { name: 'shop', version: 2 });

    const diff = await call<DatasetDiff>('datasets.diff', { name: 'shop', from: 1, to: 2 });
    expect(diff).toMatchObject({
      name: 'shop',
      from: 1,
      to: 2,
      rows: { from: 20_000, to: 15_000 },
      added: [{ name: 'extra', type: 'BIGINT' }],
      removed: [{ name: 'note', type: 'VARCHAR' }],
      retyped: [{ name: 'flag', from: 'BOOLEAN', to: 'VARCHAR' }],
    });
    const shift = (name: string) => diff.shifts.find((s) => s.name === name)!;
    const c = (p: DatasetDetail, name: string) => p.columns.find((x) => x.name === name)!;
    expect(shift('amount').mean).toEqual({ from: c(p1, 'amount').mean, to: c(p2, 'amount').mean });
    expect(shift('amount').std).toEqual({ from: c(p1, 'amount').std, to: c(p2, 'amount').std });
    expect(shift('amount').nullRate.from).toBeCloseTo(c(p1, 'amount').nulls / 20_000, 12);
    expect(shift('amount').nullRate.to).toBeCloseTo(c(p2, 'amount').nulls / 15_000, 12);
    expect(shift('amount').nullRate.to).toBeGreaterThan(0.15);
    // Same distributions: PSI near 0. Shifted ones: far above the 0.25 "major shift" mark.
    for (const name of ['score', 'day']) {
      expect(shift(name).psi!, name).toBeGreaterThanOrEqual(0);
      expect(shift(name).psi!, name).toBeLessThan(0.02);
    }
    expect(shift('amount').psi!).toBeGreaterThan(0.25);
    expect(shift('category').psi!).toBeGreaterThan(0.25);
    // Not comparable across kinds.
    expect(shift('flag').psi).toBeNull();
    // Largest shift first.
    const psis = diff.shifts.map((s) => s.psi ?? -1);
    expect([...psis].sort((a, b) => b - a)).toEqual(psis);

    const same = await call<DatasetDiff>('datasets.diff', { name: 'shop', from: 2, to: 2 });
    expect(same).toMatchObject({ added: [], removed: [], retyped: [] });
    for (const s of same.shifts) if (s.psi !== null) expect(s.psi, s.name).toBeCloseTo(0, 12);
    await expect(call('datasets.diff', { name: 'shop', from: 1, to: 3 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('bad input', () => {
  /** Each case: a file (or folder) and what the error must say. */
  async function badInputs(dir: string) {
    const parquet = join(dir, 'good.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const con = await instance.connect();
    await con.run(`COPY (SELECT range AS id, 'v' || range AS s, random() AS x FROM range(5000)) TO '${parquet}' (FORMAT parquet)`);
    mkdirSync(join(dir, 'mixed'));
    await con.run(`COPY (SELECT 1 AS a, 'x' AS b) TO '${join(dir, 'mixed', '1.parquet')}' (FORMAT parquet)`);
    await con.run(`COPY (SELECT 2 AS a, 3.5 AS c) TO '${join(dir, 'mixed', '2.parquet')}' (FORMAT parquet)`);
    con.closeSync();
    instance.closeSync();
    const pq = readFileSync(parquet);
    const corrupt = Buffer.from(pq);
    for (let i = 64; i < pq.length - 64; i++) corrupt[i] = (corrupt[i]! * 31 + 7) & 0xff;
    const gz = gzipSync('a,b\n' + Array.from({ length: 50_000 }, (_, i) => `${i},${(i * 7919) % 1000}`).join('\n') + '\n');
    const badCrc = Buffer.from(gz);
    badCrc[badCrc.length - 6]! ^= 0xff;
    const rows = Array.from({ length: 200 }, (_, i) => `${i},${i * 2},v${i}`);

    const cases: { name: string; bytes?: Buffer | string; path?: string; code: string; message: RegExp }[] = [
      { name: 'empty.csv', bytes: '', code: 'INVALID_INPUT', message: /is empty\.$/ },
      { name: 'header-only.csv', bytes: 'id,amount,city\n', code: 'INVALID_INPUT', message: /has no rows \(only a header\)\.$/ },
      { name: 'ragged.csv', bytes: ['a,b,c', ...rows.slice(0, 50), '50,100', ...rows.slice(51)].join('\n') + '\n', code: 'INVALID_INPUT', message: /has rows with a different number of fields than the header \(line 52\)\.$/ },
      // A wider row in a small file: the sniffer would settle for its width and no header.
      { name: 'ragged-wide.csv', bytes: 'a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n', code: 'INVALID_INPUT', message: /different number of fields than the header \(line 4\)/ },
      { name: 'ragged-late.csv', bytes: ['a,b,c', ...Array.from({ length: 30_000 }, (_, i) => `${i},${i},v`), '1,2,3,4'].join('\n') + '\n', code: 'INVALID_INPUT', message: /different number of fields than the header \(line 30002\)/ },
      { name: 'latin1.csv', bytes: Buffer.concat([Buffer.from('city,n\nOslo,1\nK'), Buffer.from([0xf8]), Buffer.from('ln,2\n')]), code: 'INVALID_INPUT', message: /is not valid UTF-8 text \(line 3\)\.$/ },
      { name: 'picture.csv', bytes: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from('IHDR'), Buffer.alloc(200, 7)]), code: 'INVALID_INPUT', message: /looks like a binary file, not text/ },
      { name: 'truncated.parquet', bytes: pq.subarray(0, pq.length - 200), code: 'INVALID_INPUT', message: /is not a complete Parquet file \(missing footer: truncated\?\)\.$/ },
      { name: 'corrupt.parquet', bytes: corrupt, code: 'INVALID_INPUT', message: /is a damaged or truncated Parquet file\.$/ },
      { name: 'truncated.csv.gz', bytes: gz.subarray(0, Math.floor(gz.length / 2)), code: 'INVALID_INPUT', message: /is a damaged or truncated gzip file \(unexpected end of file\)\.$/ },
      { name: 'bad-crc.csv.gz', bytes: badCrc, code: 'INVALID_INPUT', message: /is a damaged or truncated gzip file \(incorrect data check\)\.$/ },
      { name: 'plain.csv.gz', bytes: 'a,b\n1,2\n', code: 'INVALID_INPUT', message: /is named \.gz but is not gzip-compressed\.$/ },
      { name: 'broken.jsonl', bytes: '{"a": 1}\n{"a": 2\n{"a": 3}\n', code: 'INVALID_INPUT', message: /is not valid JSON Lines/ },
      { name: 'utf16be.csv', bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('a,b\n1,2\n', 'utf16le').swap16()]), code: 'INVALID_INPUT', message: /UTF-16 big-endian/ },
      { name: 'notes.xlsx', bytes: 'PK\u0003\u0004', code: 'INVALID_INPUT', message: /^notes\.xlsx is not a supported data file\.$/ },
      { name: 'missing.csv', code: 'NOT_FOUND', message: /missing\.csv does not exist\.$/ },
      { name: 'mixed', path: join(dir, 'mixed'), code: 'INVALID_INPUT', message: /do not share one schema\.$/ },
    ];
    for (const c of cases) if (c.bytes !== undefined) writeFileSync(join(dir, c.name), c.bytes);
    return cases.map((c) => ({ ...c, path: c.path ?? join(dir, c.name) }));
  }

  it('refuses each bad file with an error naming it and what to do, leaving the catalog as it was; good files still register', async () => {
    const dir = tempDir();
    await registered(writeTable(join(dir, 'existing.csv'), 1, SMALL));
    const before = catalogState();
    const cases = await badInputs(dir);
    // Two at a time (the machine has two cores); each job runs in its own worker thread.
    const jobs: Job[] = [];
    for (let i = 0; i < cases.length; i += 2) jobs.push(...(await Promise.all(cases.slice(i, i + 2).map((c) => register(c.path)))));
    for (const [i, c] of cases.entries()) {
      const job = jobs[i]!;
      expect(job.state, c.name).toBe('failed');
      expect(job.error!.code, `${c.name}: ${job.error!.message}`).toBe(c.code);
      expect(job.error!.message, c.name).toMatch(c.message);
      // It names the file (the extension case names the file's name only).
      expect(job.error!.message, c.name).toContain(c.name === 'notes.xlsx' ? c.name : c.path);
      expect(job.error!.remedy.length, c.name).toBeGreaterThan(20);
      expect(job.error!.remedy, c.name).not.toBe(DEFAULT_REMEDY.INTERNAL);
    }
    // Nothing of any of them reached the catalog or the object store.
    expect(catalogState()).toEqual(before);
    // The app keeps working: a good file registers afterwards, and the existing one is intact.
    const good = await registered(writeTable(join(dir, 'fresh.csv'), 9, SMALL));
    expect(good).toMatchObject({ outcome: 'created', name: 'fresh', version: 1 });
    expect(await registered(join(dir, 'existing.csv'))).toMatchObject({ outcome: 'unchanged', version: 1 });
  }, 60_000);

  it('refuses a 100 MB line quickly, without reading it into memory, and leaves nothing behind', async () => {
    const dir = tempDir();
    const before = catalogState();
    const cases = [
      { name: 'long-first.csv', head: 'id,text\n1,short\n2,', tail: '\n3,end\n', where: /\(line 3\)/ },
      { name: 'long-late.csv', head: 'id,text\n' + Array.from({ length: 30_000 }, (_, i) => `${i},v${i}`).join('\n') + '\n9,', tail: '\n3,end\n', where: /\(the line starting at byte \d+\)/ },
      { name: 'long.jsonl', head: '{"id": 1}\n{"id": 2, "text": "', tail: '"}\n', where: /16 MB \(line 2\)/ },
    ];
    const block = Buffer.alloc(1 << 20, 'x');
    for (const c of cases) {
      const fd = openSync(join(dir, c.name), 'w');
      writeSync(fd, c.head);
      for (let i = 0; i < 100; i++) writeSync(fd, block);
      writeSync(fd, c.tail);
      closeSync(fd);
    }
    for (const c of cases) {
      const path = join(dir, c.name);
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      const t0 = Date.now();
      const job = await register(path);
      const seconds = (Date.now() - t0) / 1000;
      clearInterval(sampler);
      expect(job.state, c.name).toBe('failed');
      expect(job.error!.message, c.name).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} has a line longer than \\d+ MB`));
      expect(job.error!.message, c.name).toMatch(c.where);
      expect(job.error!.remedy).toMatch(/one record per line/);
      // Hashing 100 MB takes a fraction of a second; DuckDB's sniffer alone took over 10 s on it.
      expect(seconds, c.name).toBeLessThan(5);
      // The line (100 MB) never sits in memory: the worker, its streams and DuckDB stay far below.
      expect((peak - baseline) / 2 ** 20, c.name).toBeLessThan(100);
    }
    expect(catalogState()).toEqual(before);
  }, 60_000);

  it.skipIf(isRoot)('refuses a file it may not read with "permission denied" (skipped as root: root reads any file)', async () => {
    const dir = tempDir();
    const csv = writeTable(join(dir, 'secret.csv'), 1, SMALL);
    chmodSync(csv, 0o000);
    try {
      const before = catalogState();
      const job = await register(csv);
      expect(job.error).toMatchObject({ code: 'IO_ERROR', message: `Permission denied: ${csv}.` });
      expect(catalogState()).toEqual(before);
    } finally {
      chmodSync(csv, 0o644);
    }
  });

  it.runIf(isRoot)('refuses a file it may not read with "permission denied" (as root: checked in a child process run as nobody)', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const csv = writeTable(join(dir, 'secret.csv'), 1);
    chmodSync(csv, 0o000);
    const script = fileURLToPath(new URL('../../test-support/register-as-child.ts', import.meta.url));
    // A scratch folder the child may write (tsx keeps its cache in TMPDIR).
    const scratch = mkdtempSync(join(tmpdir(), 'gh-nobody-'));
    chmodSync(scratch, 0o777);
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', script, csv, scratch], {
        uid: 65534,
        gid: 65534,
        encoding: 'utf8',
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
        env: { ...process.env, HOME: scratch, TMPDIR: scratch },
        timeout: 30_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ code: 'IO_ERROR', message: `Permission denied: ${csv}.`, remedy: expect.stringMatching(/read access/) });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('cancel', () => {
  it('cancelling a registration ends the job as cancelled, promptly, and leaves no catalog rows or objects', async () => {
    const dir = tempDir();
    // About 45 MB: the profile takes long enough to be caught under way.
    const path = join(dir, 'large.csv');
    const fd = openSync(path, 'w');
    writeSync(fd, 'id,amount,city\n');
    const block = Array.from({ length: 50_000 }, (_, i) => `${i},${(i * 7919) % 10_000}.25,city${i % 97}`).join('\n') + '\n';
    for (let i = 0; i < 40; i++) writeSync(fd, block);
    closeSync(fd);
    const before = catalogState();
    const job = await call<Job>('datasets.register', { path, snapshot: false });
    // Cancel once DuckDB reports progress: the profile is under way (hashing is done by 35%).
    const seen = await new Promise<Job>((resolve) => {
      const off = backend.events.onAny((name, payload) => {
        const j = payload as Job;
        if (name !== 'jobs.onUpdate' || j.id !== job.id) return;
        if ((j.progress !== null && j.progress > 0.36 && j.progress < 1) || j.state !== 'running') {
          off();
          resolve(j);
        }
      });
    });
    expect(seen, 'the profile reports progress before it ends').toMatchObject({ state: 'running', message: expect.stringMatching(/profiling/i) });
    const t0 = Date.now();
    await call('jobs.cancel', { id: job.id });
    const done = await call<Job>('jobs.wait', { id: job.id });
    expect(done, JSON.stringify(done)).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    // Well inside the 5 s after which the job manager would stop the worker the hard way.
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(catalogState()).toEqual(before);
    expect(await registered(writeTable(join(dir, 'after.csv'), 1, SMALL))).toMatchObject({ outcome: 'created' });
  }, 30_000);
});

describe('the registration task in-process', () => {
  it('refuses a file that changes or disappears while it is registered, and stops the profile when cancelled', async () => {
    const dir = tempDir();
    const path = join(dir, 'live.csv');
    const content = 'id,v\n' + Array.from({ length: 400_000 }, (_, i) => `${i},${i % 13}`).join('\n') + '\n';
    const input = { path, snapshot: true, snapshotLimitBytes: 1e12, knownSha256: [] };

    writeFileSync(path, content);
    let changed = false;
    const grow = taskContext({
      onProgress: (_p, m) => {
        if (!changed && /Hashing/.test(m)) {
          changed = true;
          writeFileSync(path, content + '1,2\n');
        }
      },
    });
    await expect(registerDataset(input, grow.ctx)).rejects.toMatchObject({ code: 'IO_ERROR', message: `${path} changed while Greenhouse was reading it.` });
    expect(existsSync(join(grow.ctx.workspaceRoot, '.greenhouse', 'objects'))).toBe(false);

    writeFileSync(path, content);
    let removed = false;
    const vanish = taskContext({
      onProgress: (_p, m) => {
        if (!removed && /Hashing/.test(m)) {
          removed = true;
          unlinkSync(path);
        }
      },
    });
    await expect(registerDataset(input, vanish.ctx)).rejects.toMatchObject({ code: 'IO_ERROR', message: `${path} disappeared while Greenhouse was reading it.` });

    // Big enough (about 30 MB) for the profile to report progress before it ends.
    const big = join(dir, 'big.csv');
    const fd = openSync(big, 'w');
    for (let i = 0; i < 9; i++) writeSync(fd, i === 0 ? content : content.slice(5));
    closeSync(fd);
    const controller = new AbortController();
    let abortedAt = 0;
    // Past 35% only the profile moves the progress: cancel while DuckDB is reading.
    const cancel = taskContext({
      signal: controller.signal,
      onProgress: (p) => {
        if (p !== null && p > 0.36 && !abortedAt) {
          abortedAt = Date.now();
          controller.abort();
        }
      },
    });
    await expect(registerDataset({ ...input, path: big }, cancel.ctx)).rejects.toMatchObject({ code: 'CANCELLED', message: 'The registration was cancelled.' });
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(1500);
    expect(existsSync(join(cancel.ctx.workspaceRoot, '.greenhouse', 'objects'))).toBe(false);
  }, 30_000);
});
