import { chmodSync, mkdirSync, openSync, closeSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { rng } from '../../test-support/datasets.js';
import { failure } from '../../test-support/failure.js';
import { tempDir } from '../../test-support/temp.js';
import { checkGzip, checkParquet, formatOf, LineLengthGuard, resolveSource, scanHead, sniffText, type SourceFile } from './source.js';

const isRoot = process.getuid?.() === 0;

const fileOf = async (path: string): Promise<SourceFile> => (await resolveSource(path)).files[0]!;


describe('formatOf', () => {
  it('knows the data extensions, compressed or not, in any case', () => {
    expect(formatOf('a.csv')).toEqual({ format: 'csv', compression: 'none' });
    expect(formatOf('A.CSV.GZ')).toEqual({ format: 'csv', compression: 'gzip' });
    expect(formatOf('a.tsv')).toEqual({ format: 'tsv', compression: 'none' });
    expect(formatOf('a.tab')).toEqual({ format: 'tsv', compression: 'none' });
    expect(formatOf('a.tsv.gz')).toEqual({ format: 'tsv', compression: 'gzip' });
    expect(formatOf('a.txt')).toEqual({ format: 'csv', compression: 'none' });
    expect(formatOf('a.jsonl')).toEqual({ format: 'jsonl', compression: 'none' });
    expect(formatOf('a.ndjson.gz')).toEqual({ format: 'jsonl', compression: 'gzip' });
    expect(formatOf('a.parquet')).toEqual({ format: 'parquet', compression: 'none' });
    expect(formatOf('a.pq')).toEqual({ format: 'parquet', compression: 'none' });
    for (const name of ['a.xlsx', 'a.json', 'a.gz', 'csv', 'a.csv.zip', 'a.parquet.gz']) expect(formatOf(name), name).toBeNull();
  });
});

describe('resolveSource', () => {
  it('describes one file', async () => {
    const dir = tempDir();
    const path = join(dir, 'x.csv');
    writeFileSync(path, 'a\n1\n');
    const s = await resolveSource(path);
    expect(s).toMatchObject({ root: path, isFolder: false, format: 'csv', compression: 'none', bytes: 4 });
    expect(s.files).toEqual([{ path, rel: 'x.csv', bytes: 4, mtimeMs: expect.any(Number) }]);
  });

  it('collects the data files of a folder, sorted, skipping hidden and _ files and other types', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'year=2024', 'month=02'), { recursive: true });
    mkdirSync(join(dir, '.cache'));
    writeFileSync(join(dir, 'year=2024', 'month=02', 'b.parquet'), 'PAR1xxPAR1');
    writeFileSync(join(dir, 'year=2024', 'a.parquet'), 'PAR1yyyPAR1');
    writeFileSync(join(dir, '_SUCCESS'), '');
    writeFileSync(join(dir, '_metadata.parquet'), 'PAR1PAR1');
    writeFileSync(join(dir, '.part.crc'), 'x');
    writeFileSync(join(dir, '.cache', 'c.parquet'), 'PAR1PAR1');
    writeFileSync(join(dir, 'README.md'), '# notes');
    const s = await resolveSource(dir);
    expect(s).toMatchObject({ isFolder: true, format: 'parquet', compression: 'none', bytes: 21 });
    expect(s.files.map((f) => f.rel)).toEqual(['year=2024/a.parquet', 'year=2024/month=02/b.parquet']);
    expect(s.files.map((f) => f.path)).toEqual([join(dir, 'year=2024', 'a.parquet'), join(dir, 'year=2024', 'month=02', 'b.parquet')]);
  });

  it('refuses what it cannot register, naming the path and saying what to do', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'sheet.xlsx'), 'PK');
    const unsupported = await failure(resolveSource(join(dir, 'sheet.xlsx')));
    expect(unsupported).toMatchObject({ code: 'INVALID_INPUT', message: 'sheet.xlsx is not a supported data file.' });
    expect(unsupported.remedy).toMatch(/CSV, TSV/);

    const missing = await failure(resolveSource(join(dir, 'gone.csv')));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: `${join(dir, 'gone.csv')} does not exist.` });

    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'empty', 'notes.md'), 'x');
    expect(await failure(resolveSource(join(dir, 'empty')))).toMatchObject({ code: 'INVALID_INPUT', message: `The folder ${join(dir, 'empty')} holds no data files.` });

    mkdirSync(join(dir, 'mixed'));
    writeFileSync(join(dir, 'mixed', 'a.csv'), 'a\n1\n');
    writeFileSync(join(dir, 'mixed', 'b.csv.gz'), gzipSync('a\n1\n'));
    const mixed = await failure(resolveSource(join(dir, 'mixed')));
    expect(mixed.message).toBe(`The folder ${join(dir, 'mixed')} mixes formats (csv/none, csv/gzip).`);
    expect(mixed.remedy).toMatch(/one format/);
  });
});

describe('sniffText', () => {
  const write = (name: string, bytes: Buffer | string) => {
    const path = join(tempDir(), name);
    writeFileSync(path, bytes);
    return resolveSource(path).then((s) => s.files[0]!);
  };

  it('finds the encoding from the byte-order mark', async () => {
    expect(await sniffText(await write('a.csv', 'a,b\n1,2\n'), 'none')).toEqual({ encoding: 'utf-8' });
    expect(await sniffText(await write('a.csv', '\ufeffa,b\n1,2\n'), 'none')).toEqual({ encoding: 'utf-8' });
    expect(await sniffText(await write('a.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')])), 'none')).toEqual({ encoding: 'utf-16' });
    expect(await sniffText(await write('a.csv.gz', gzipSync('a,b\n')), 'gzip')).toEqual({ encoding: 'utf-8' });
  });

  it('refuses empty, binary, big-endian UTF-16 and falsely named gzip files, naming them', async () => {
    const empty = await write('e.csv', '');
    expect(await failure(sniffText(empty, 'none'))).toMatchObject({ code: 'INVALID_INPUT', message: `${empty.path} is empty.` });
    const binary = await write('b.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const bin = await failure(sniffText(binary, 'none'));
    expect(bin.message).toBe(`${binary.path} looks like a binary file, not text (it contains NUL bytes).`);
    expect(bin.remedy).toMatch(/CSV, JSON Lines or Parquet/);
    const be = await write('be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('a,b\n', 'utf16le').swap16()]));
    expect((await failure(sniffText(be, 'none'))).message).toBe(`${be.path} is UTF-16 big-endian text, which Greenhouse cannot read.`);
    const plain = await write('p.csv.gz', 'a,b\n1,2\n');
    expect((await failure(sniffText(plain, 'gzip'))).message).toBe(`${plain.path} is named .gz but is not gzip-compressed.`);
  });

  it.skipIf(isRoot)('reports a file it may not read as permission denied (skipped as root: root reads any file)', async () => {
    const f = await write('secret.csv', 'a\n1\n');
    chmodSync(f.path, 0o000);
    try {
      expect(await failure(sniffText(f, 'none'))).toMatchObject({ code: 'IO_ERROR', message: `Permission denied: ${f.path}.` });
    } finally {
      chmodSync(f.path, 0o644);
    }
  });
});

describe('checkParquet', () => {
  it('accepts the magic bytes at both ends and names what is missing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.parquet'), 'PAR1 body PAR1');
    await checkParquet(await fileOf(join(dir, 'ok.parquet')));
    writeFileSync(join(dir, 'cut.parquet'), 'PAR1 body P');
    expect((await failure(checkParquet(await fileOf(join(dir, 'cut.parquet'))))).message).toBe(
      `${join(dir, 'cut.parquet')} is not a complete Parquet file (missing footer: truncated?).`,
    );
    writeFileSync(join(dir, 'csv.parquet'), 'a,b\n1,2\nPAR1');
    expect((await failure(checkParquet(await fileOf(join(dir, 'csv.parquet'))))).message).toMatch(/wrong header/);
    writeFileSync(join(dir, 'tiny.parquet'), 'PAR');
    expect((await failure(checkParquet(await fileOf(join(dir, 'tiny.parquet'))))).message).toMatch(/not a complete Parquet file/);
  });
});

describe('LineLengthGuard', () => {
  /** The longest line and where it starts, the obvious way. */
  function naive(bytes: Buffer, limit: number): { line: number; start: number } | null {
    let start = 0;
    let line = 1;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 10) {
        if (i - start > limit) return { line, start };
        start = i + 1;
        line++;
      }
    }
    return null;
  }

  it('finds the first line over the limit whatever the chunking, counting lines or not', () => {
    const r = rng(11);
    let found = 0;
    for (let round = 0; round < 400; round++) {
      const limit = r.int(5, 60);
      const parts: string[] = [];
      const lines = r.int(0, 40);
      for (let i = 0; i < lines; i++) parts.push('x'.repeat(r.next() < 0.05 ? r.int(limit - 2, limit * 3) : r.int(0, limit)));
      const bytes = Buffer.from(parts.join('\n') + (r.next() < 0.5 ? '\n' : ''));
      const expected = naive(bytes, limit);
      for (const count of [false, true]) {
        const guard = new LineLengthGuard('/f.csv', limit, count);
        let error: AppError | null = null;
        try {
          // Chunks no longer than the limit (the fast path) or up to three times longer.
          for (let at = 0; at < bytes.length; ) {
            const n = r.int(1, r.next() < 0.5 ? limit : limit * 3);
            guard.feed(bytes.subarray(at, at + n));
            at += n;
          }
        } catch (e) {
          error = e as AppError;
        }
        if (!expected) {
          expect(error, `round ${round}`).toBeNull();
          continue;
        }
        found++;
        expect(error, `round ${round}: ${JSON.stringify(expected)}`).toBeInstanceOf(AppError);
        expect(error!.message).toBe(
          `/f.csv has a line longer than ${limit} bytes (${count ? `line ${expected.line}` : `the line starting at byte ${expected.start}`}).`,
        );
      }
    }
    expect(found).toBeGreaterThan(50);
  });
});

describe('scanHead', () => {
  it('returns the first line without BOM or CR, from plain and gzip-compressed files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), '\ufeffid;name\r\n1;x\r\n');
    writeFileSync(join(dir, 'b.csv.gz'), gzipSync('id,name\n1,x\n'));
    writeFileSync(join(dir, 'c.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,näme\r\n1,x\r\n', 'utf16le')]));
    writeFileSync(join(dir, 'd.csv'), 'no newline at all');
    const opts = { maxLineBytes: 1000, lines: 10, encoding: 'utf-8' as const };
    expect(await scanHead(await fileOf(join(dir, 'a.csv')), 'none', opts)).toBe('id;name');
    expect(await scanHead(await fileOf(join(dir, 'b.csv.gz')), 'gzip', opts)).toBe('id,name');
    expect(await scanHead(await fileOf(join(dir, 'c.csv')), 'none', { ...opts, encoding: 'utf-16' })).toBe('id,näme');
    expect(await scanHead(await fileOf(join(dir, 'd.csv')), 'none', opts)).toBe('no newline at all');
  });

  it('refuses an over-long line among the first lines, and stops reading after them', async () => {
    const dir = tempDir();
    const path = join(dir, 'long.csv');
    // 20 001 short lines (80 KB, more than one read), then a line of 5 000 bytes.
    writeFileSync(path, 'a,b\n' + '1,2\n'.repeat(20_000) + '3,' + 'y'.repeat(5000) + '\n4,5\n');
    const file = await fileOf(path);
    await scanHead(file, 'none', { maxLineBytes: 4096, lines: 100, encoding: 'utf-8' });
    const e = await failure(scanHead(file, 'none', { maxLineBytes: 4096, lines: 30_000, encoding: 'utf-8' }));
    expect(e).toMatchObject({ code: 'INVALID_INPUT', message: `${path} has a line longer than 4 KB (line 20002).` });
    expect(e.remedy).toMatch(/one record per line/);
  });

  it('names a truncated gzip file', async () => {
    const dir = tempDir();
    const path = join(dir, 'cut.csv.gz');
    writeFileSync(path, gzipSync('a,b\n' + '1,2\n'.repeat(1000)).subarray(0, 40));
    const e = await failure(scanHead(await fileOf(path), 'gzip', { maxLineBytes: 1000, lines: 5000, encoding: 'utf-8' }));
    expect(e.message).toBe(`${path} is a damaged or truncated gzip file (unexpected end of file).`);
  });
});

describe('checkGzip', () => {
  it('accepts a complete file and refuses a truncated or corrupted one, naming it', async () => {
    const dir = tempDir();
    const gz = gzipSync('a,b\n' + Array.from({ length: 20_000 }, (_, i) => `${i},${(i * 7919) % 1000}`).join('\n'));
    writeFileSync(join(dir, 'ok.csv.gz'), gz);
    await checkGzip(await fileOf(join(dir, 'ok.csv.gz')));
    writeFileSync(join(dir, 'cut.csv.gz'), gz.subarray(0, gz.length - 100));
    expect((await failure(checkGzip(await fileOf(join(dir, 'cut.csv.gz'))))).message).toBe(
      `${join(dir, 'cut.csv.gz')} is a damaged or truncated gzip file (unexpected end of file).`,
    );
    const crc = Buffer.from(gz);
    crc[crc.length - 6]! ^= 0xff; // the CRC-32 in the trailer
    writeFileSync(join(dir, 'crc.csv.gz'), crc);
    const e = await failure(checkGzip(await fileOf(join(dir, 'crc.csv.gz'))));
    expect(e).toMatchObject({ code: 'INVALID_INPUT', message: `${join(dir, 'crc.csv.gz')} is a damaged or truncated gzip file (incorrect data check).` });
    expect(e.remedy).toMatch(/again completely/);
  });

  it('stops when cancelled', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.csv.gz');
    const fd = openSync(path, 'w');
    const block = gzipSync(Buffer.alloc(1 << 20, 'a,b\n'));
    for (let i = 0; i < 20; i++) writeSync(fd, block);
    closeSync(fd);
    const controller = new AbortController();
    controller.abort();
    await expect(checkGzip(await fileOf(path), controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
