import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GZIP_HEADER, exportBundle } from './archive.js';
import { makeBundle, makeWorkspace } from './test-fixture.js';

let ws: string;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(async () => {
  await rm(ws, { recursive: true, force: true });
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every header of a .tar.gz, in order, with each file's content hash. */
async function listArchive(path: string) {
  const ex = extract();
  Readable.from([gunzipSync(await readFile(path))]).pipe(ex as unknown as NodeJS.WritableStream);
  const out: { name: string; type: string; mode: number; uid: number; gid: number; uname: string; gname: string; mtime: number; size: number; sha: string }[] = [];
  for await (const entry of ex) {
    const chunks: Buffer[] = [];
    for await (const c of entry as AsyncIterable<Buffer>) chunks.push(c);
    const h = entry.header;
    out.push({ name: h.name, type: h.type, mode: h.mode, uid: h.uid, gid: h.gid, uname: h.uname, gname: h.gname, mtime: h.mtime.getTime(), size: h.size, sha: sha256(Buffer.concat(chunks)) });
  }
  return out;
}

/** A stream of `size` pseudo-random bytes, made chunk by chunk (never whole in memory). */
function bytesStream(size: number, chunk = 1 << 16): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const n = Math.min(chunk, size - sent);
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (sent + i) % 253;
      sent += n;
      this.push(b);
    },
  });
}

describe('exportBundle', () => {
  it('gives byte-identical archives for the same bundle, even after its files were touched', async () => {
    const { bundleDir } = await makeBundle(ws);
    const a = await exportBundle(bundleDir, { outDir: join(ws, 'a') });
    const aBytes = await readFile(a.path);
    for (const f of ['app/server.py', 'Dockerfile', 'manifest.json']) await utimes(join(bundleDir, f), new Date('2030-05-05'), new Date('2030-05-05'));
    const b = await exportBundle(bundleDir, { outDir: join(ws, 'b') });
    const bBytes = await readFile(b.path);
    expect(sha256(bBytes)).toBe(sha256(aBytes));
    expect(b.sha256).toBe(sha256(bBytes));
    expect(a.sha256).toBe(b.sha256);
    expect(b.bytes).toBe(bBytes.length);
    expect(b.tarSha256).toBe(sha256(gunzipSync(bBytes)));
    expect(a.path.endsWith('/a/churn-3.tar.gz')).toBe(true);
  });

  it('writes a gzip header without name or time, and a valid CRC and size trailer', async () => {
    const { bundleDir } = await makeBundle(ws);
    const { path } = await exportBundle(bundleDir);
    expect(path).toBe(join(ws, 'bundles', 'churn-3.tar.gz'));
    const bytes = await readFile(path);
    expect(bytes.subarray(0, 10)).toEqual(GZIP_HEADER);
    expect(bytes[3]).toBe(0); // FLG: no FNAME, FCOMMENT, FEXTRA
    expect(bytes.readUInt32LE(4)).toBe(0); // MTIME
    const tar = gunzipSync(bytes); // checks CRC-32 and ISIZE
    expect(bytes.readUInt32LE(bytes.length - 4)).toBe(tar.length % 2 ** 32);
  });

  it('lists entries sorted under NAME-VERSION/, directories first, with fixed owners, modes and times', async () => {
    const { bundleDir, manifest } = await makeBundle(ws);
    const result = await exportBundle(bundleDir);
    const entries = await listArchive(result.path);
    const names = entries.map((e) => e.name);
    expect(names).toEqual(result.entries);
    expect(names).toEqual([...names].sort());
    expect(names.every((n) => n.startsWith('churn-3/'))).toBe(true);
    expect(names.indexOf('churn-3/app/')).toBeLessThan(names.indexOf('churn-3/app/server.py'));
    for (const f of [...manifest.files.map((f) => f.path), 'manifest.json', 'manifest.json.sig']) expect(names).toContain(`churn-3/${f}`);

    const createdAt = Date.parse(manifest.bundle.createdAt);
    for (const e of entries) {
      expect(e, e.name).toMatchObject({ uid: 0, gid: 0, uname: '', gname: '', mtime: Math.floor(createdAt / 1000) * 1000 });
      if (e.type === 'directory') expect(e.mode, e.name).toBe(0o755);
      else expect(e.mode, e.name).toBe(e.name.endsWith('.sh') ? 0o755 : 0o644);
    }
    const server = entries.find((e) => e.name === 'churn-3/app/server.py');
    expect(server?.sha).toBe(manifest.files.find((f) => f.path === 'app/server.py')?.sha256);
  });

  it('is read by the system tar', async () => {
    const { bundleDir } = await makeBundle(ws);
    const { path } = await exportBundle(bundleDir);
    let listing: string;
    try {
      listing = execFileSync('tar', ['-tzvf', path], { encoding: 'utf8' });
    } catch {
      return; // no tar on this machine
    }
    expect(listing).toContain('churn-3/model/model.joblib');
    expect(listing).toMatch(/-rwxr-xr-x .*churn-3\/run\.sh/);
  });

  it('streams the image in as image.tar, with progress up to the total', async () => {
    const { bundleDir } = await makeBundle(ws);
    const size = 3 * 1024 * 1024 + 17;
    let opened = 0;
    const progress: number[] = [];
    let total = 0;
    const result = await exportBundle(bundleDir, {
      imageTar: { size, stream: () => (opened++, bytesStream(size)) },
      onProgress: (p) => {
        progress.push(p.bytesDone);
        total = p.bytesTotal;
      },
    });
    expect(opened).toBe(1);
    expect(result.includesImage).toBe(true);
    const image = (await listArchive(result.path)).find((e) => e.name === 'churn-3/image.tar');
    expect(image).toMatchObject({ size, mode: 0o644, type: 'file' });
    const chunks: Buffer[] = [];
    for await (const c of bytesStream(size)) chunks.push(c as Buffer);
    expect(image?.sha).toBe(sha256(Buffer.concat(chunks)));
    expect(progress.at(-1)).toBe(total);
    expect(progress.every((p, i) => i === 0 || p >= progress[i - 1]!)).toBe(true);
  });

  it('gives the same archive whatever chunks the image stream arrives in', async () => {
    const { bundleDir } = await makeBundle(ws);
    const size = 1024 * 1024 + 5;
    const a = await exportBundle(bundleDir, { outDir: join(ws, 'a'), imageTar: { size, stream: () => bytesStream(size, 1 << 16) } });
    const b = await exportBundle(bundleDir, { outDir: join(ws, 'b'), imageTar: { size, stream: () => bytesStream(size, 777) } });
    expect(b.sha256).toBe(a.sha256);
  });

  it('fails clearly, leaving nothing behind, when the image stream is shorter or longer than announced', async () => {
    const { bundleDir } = await makeBundle(ws);
    const out = join(ws, 'out');
    for (const actual of [1000, 3000]) {
      const err = await exportBundle(bundleDir, { outDir: out, imageTar: { size: 2000, stream: () => bytesStream(actual, 500) } }).catch((e: unknown) => e);
      expect(err, String(actual)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('The image (docker save) changed while it was exported') });
      expect(await readdir(out).catch(() => [])).toEqual([]);
    }
  });

  it('stops on abort and removes the partial archive', async () => {
    const { bundleDir } = await makeBundle(ws);
    const out = join(ws, 'out');
    const ac = new AbortController();
    const size = 64 * 1024 * 1024;
    const err = await exportBundle(bundleDir, {
      outDir: out,
      signal: ac.signal,
      imageTar: { size, stream: () => bytesStream(size) },
      onProgress: (p) => {
        if (p.entry === 'image.tar' && p.bytesDone > 1024 * 1024) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CANCELLED' });
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses a folder that changed after it was signed, or is not a bundle', async () => {
    const { bundleDir } = await makeBundle(ws);
    await writeFile(join(bundleDir, 'notes.txt'), 'added later');
    await expect(exportBundle(bundleDir)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('notes.txt is not in the manifest') });
    await rm(join(bundleDir, 'notes.txt'));
    await writeFile(join(bundleDir, 'Dockerfile'), 'FROM other-base-image\n');
    await expect(exportBundle(bundleDir)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Dockerfile has changed size') });
    await rm(join(bundleDir, 'manifest.json'));
    await expect(exportBundle(bundleDir)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('not a finished bundle') });
    expect((await stat(join(ws, 'bundles'))).isDirectory()).toBe(true);
    expect((await readdir(join(ws, 'bundles'))).filter((n) => n.endsWith('.tar.gz') || n.endsWith('.tmp'))).toEqual([]);
  });
});
