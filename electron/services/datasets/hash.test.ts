import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sha256sum } from '../../test-support/datasets.js';
import { failure } from '../../test-support/failure.js';
import { tempDir } from '../../test-support/temp.js';
import { assertUnchanged, hashSource } from './hash.js';
import { resolveSource } from './source.js';


describe('hashSource', () => {
  it('is the SHA-256 of the bytes (as sha256sum and node:crypto say), streamed with progress', async () => {
    const dir = tempDir();
    const path = join(dir, 'data.csv');
    // 5.5 MB: several 1 MB reads.
    writeFileSync(path, Buffer.concat([Buffer.from('a,b\n'), Buffer.from(randomBytes(2_750_000).toString('hex'))]));
    const progress: [number, number][] = [];
    const h = await hashSource(await resolveSource(path), { onBytes: (done, total) => progress.push([done, total]) });
    expect(h.sha256).toBe(sha256sum(path));
    expect(h.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    expect(h.files).toEqual([{ path: 'data.csv', sha256: h.sha256, bytes: 5_500_004 }]);
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.every(([, total]) => total === 5_500_004)).toBe(true);
    const done = progress.map(([d]) => d);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(done.at(-1)).toBe(5_500_004);
  });

  it('hashes a folder as the sorted list of (relative path, file hash), with progress over all files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'b'));
    const files = { 'z.csv': 'a\n1\n', 'b/y.csv': 'a\n22\n', 'a.csv': 'a\n333\n', 'b/x.csv': '' };
    for (const [rel, text] of Object.entries(files)) writeFileSync(join(dir, rel), text);
    const progress: [number, number][] = [];
    const h = await hashSource(await resolveSource(dir), { onBytes: (done, total) => progress.push([done, total]) });
    // Independently: sha256sum per file, then the documented list, sorted by path.
    const listed = Object.keys(files)
      .sort()
      .map((rel) => `${rel}\0${sha256sum(join(dir, rel))}\n`)
      .join('');
    expect(h.sha256).toBe(createHash('sha256').update(listed).digest('hex'));
    expect(h.files.map((f) => [f.path, f.sha256, f.bytes])).toEqual(
      ['a.csv', 'b/x.csv', 'b/y.csv', 'z.csv'].map((rel) => [rel, sha256sum(join(dir, rel)), Buffer.byteLength(files[rel as keyof typeof files])]),
    );
    const total = Object.values(files).reduce((n, t) => n + Buffer.byteLength(t), 0);
    expect(progress.at(-1)).toEqual([total, total]);
    // A renamed file is another dataset, even with the same bytes.
    writeFileSync(join(dir, 'c.csv'), readFileSync(join(dir, 'z.csv')));
    unlinkSync(join(dir, 'z.csv'));
    expect((await hashSource(await resolveSource(dir))).sha256).not.toBe(h.sha256);
  });

  it('refuses a file that changes while it is being hashed', async () => {
    const dir = tempDir();
    const path = join(dir, 'growing.csv');
    writeFileSync(path, 'a,b\n' + '1,2\n'.repeat(600_000));
    const source = await resolveSource(path);
    let appended = false;
    const e = await failure(
      hashSource(source, {
        onBytes: () => {
          if (appended) return;
          appended = true;
          appendFileSync(path, '3,4\n');
        },
      }),
    );
    expect(appended).toBe(true);
    expect(e).toMatchObject({ code: 'IO_ERROR', message: `${path} changed while Greenhouse was reading it.` });
    expect(e.remedy).toMatch(/register it again/);
  });

  it('refuses a file rewritten with the same size (its modification time moved)', async () => {
    const dir = tempDir();
    const path = join(dir, 'same-size.csv');
    writeFileSync(path, 'a,b\n' + '1,2\n'.repeat(600_000));
    const source = await resolveSource(path);
    let touched = false;
    const e = await failure(
      hashSource(source, {
        onBytes: () => {
          if (touched) return;
          touched = true;
          const t = new Date(source.files[0]!.mtimeMs + 5_000);
          utimesSync(path, t, t);
        },
      }),
    );
    expect(e.message).toBe(`${path} changed while Greenhouse was reading it.`);
  });

  it('refuses a file that disappears while it is being hashed', async () => {
    const dir = tempDir();
    const path = join(dir, 'vanishing.csv');
    writeFileSync(path, 'a,b\n' + '1,2\n'.repeat(600_000));
    const source = await resolveSource(path);
    const e = await failure(
      hashSource(source, {
        onBytes: () => {
          try {
            unlinkSync(path);
          } catch {
            // already gone
          }
        },
      }),
    );
    expect(e).toMatchObject({ code: 'IO_ERROR', message: `${path} disappeared while Greenhouse was reading it.` });
  });

  it('names a file that is gone before it is read', async () => {
    const dir = tempDir();
    const path = join(dir, 'gone.csv');
    writeFileSync(path, 'a\n1\n');
    const source = await resolveSource(path);
    unlinkSync(path);
    expect(await failure(hashSource(source))).toMatchObject({ code: 'NOT_FOUND', message: `${path} does not exist.` });
  });

  it('stops when cancelled', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.csv');
    writeFileSync(path, Buffer.alloc(8 << 20, 'a,b\n'));
    const controller = new AbortController();
    const p = hashSource(await resolveSource(path), { signal: controller.signal, onBytes: () => controller.abort() });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('finds an over-long line of uncompressed text in the same pass, not in gzip or Parquet', async () => {
    const dir = tempDir();
    const path = join(dir, 'long.csv');
    const head = 'a,b\n' + '1,2\n'.repeat(1000);
    writeFileSync(path, head + '3,' + 'x'.repeat(3 << 20) + '\n4,5\n');
    const e = await failure(hashSource(await resolveSource(path), { maxLineBytes: 2 << 20 }));
    expect(e).toMatchObject({ code: 'INVALID_INPUT', message: `${path} has a line longer than 2 MB (the line starting at byte ${head.length}).` });
    // Without the limit it is just bytes.
    expect((await hashSource(await resolveSource(path))).sha256).toBe(sha256sum(path));
    writeFileSync(join(dir, 'long.csv.gz'), gzipSync(readFileSync(path)));
    expect((await hashSource(await resolveSource(join(dir, 'long.csv.gz')), { maxLineBytes: 2 << 20 })).sha256).toBe(sha256sum(join(dir, 'long.csv.gz')));
  });
});

describe('assertUnchanged', () => {
  it('passes for an untouched file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'a\n');
    await assertUnchanged((await resolveSource(join(dir, 'a.csv'))).files[0]!);
  });
});
