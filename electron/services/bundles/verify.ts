// Offline verification of a bundle, as a folder or as the exported NAME-VERSION.tar.gz: every
// file against the manifest, nothing unlisted, the manifest against its signature, and an
// included image.tar against the image id the manifest records. Needs nothing but the bundle
// (no workspace, no Docker, no network).
//
// An archive is extracted into a fresh temporary folder first, refusing every entry that could
// write elsewhere or be something other than a plain file or folder: absolute paths, "..",
// symbolic and hard links, devices, FIFOs. A bundle never holds any of them.

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { AppError } from '../../../shared/errors.js';
import { IMAGE_TAR } from './archive.js';
import { BUNDLE_FILES } from './layout.js';
import { UNLISTED_FILES, ioError, listFolder, parseManifest, type BundleManifest } from './manifest.js';
import { keyFingerprint, verifySignature } from './signing.js';

import type { FileMismatch, VerifyCheck } from '../../../shared/contract/index.js';

export type { FileMismatch, VerifyCheck };

export interface BundleVerifyReport {
  ok: boolean;
  source: { path: string; kind: 'folder' | 'archive' };
  checks: VerifyCheck[];
  files: { checked: number; mismatched: FileMismatch[]; missing: string[]; extra: string[] };
  signature: {
    ok: boolean;
    /** SHA-256 of the bundle's public key (SPKI DER), hex; null when the key is missing or unreadable. */
    fingerprint: string | null;
    /** Whether the fingerprint is one of `trustedFingerprints`; null when none were given. */
    trusted: boolean | null;
  };
  image: {
    /** Whether the bundle holds image.tar (only archives exported with the image do). */
    present: boolean;
    /** Its path, while the verified folder exists. */
    path: string | null;
    /** Whether it holds the image the manifest records; null when absent. */
    ok: boolean | null;
    message: string;
  };
  manifest: BundleManifest | null;
  /**
   * The verified folder, for a Docker rerun: the folder itself, or the extracted copy of an
   * archive when `keepExtracted` was set (else null: the copy is removed).
   */
  bundleDir: string | null;
  /** The temporary folder holding an extracted archive; remove it with removeExtracted(report). */
  extractedTo: string | null;
}

export interface VerifyProgress {
  phase: 'extract' | 'files' | 'image';
  bytesDone: number;
  bytesTotal: number;
}

export interface VerifyOptions {
  /** Keep an archive's extracted folder after verifying (for `docker load` and a rerun). */
  keepExtracted?: boolean;
  /** Where to extract an archive (default: the OS temp folder); it needs room for the whole bundle. */
  tmpDir?: string;
  /** Fingerprints of the keys you trust; sets `signature.trusted` and fails when the key is not one of them. */
  trustedFingerprints?: string[];
  signal?: AbortSignal;
  onProgress?: (p: VerifyProgress) => void;
}

const cancelled = () => new AppError('CANCELLED', 'Verification was cancelled.');
const TEMP_PREFIX = 'greenhouse-verify-';

/** Verify a bundle folder or archive. Throws only when the path cannot be read at all (or on cancel). */
export async function verifyBundle(path: string, opts: VerifyOptions = {}): Promise<BundleVerifyReport> {
  let st;
  try {
    st = await lstat(path);
  } catch (e) {
    throw ioError(e, path, 'read');
  }
  if (st.isDirectory()) return verifyFolder(path, { path, kind: 'folder' }, opts, null);
  if (!st.isFile()) {
    throw new AppError('INVALID_INPUT', `${path} is neither a folder nor a file.`, {
      remedy: 'Give the bundle folder (bundles/NAME-VERSION) or its archive (NAME-VERSION.tar.gz).',
    });
  }
  const source = { path, kind: 'archive' as const };
  const tmpRoot = await mkdtemp(join(opts.tmpDir ?? tmpdir(), TEMP_PREFIX)).catch((e: unknown) => {
    throw ioError(e, opts.tmpDir ?? tmpdir(), 'make a temporary folder in');
  });
  let keep = false;
  try {
    let extracted: { bundleDir: string; entries: number };
    try {
      extracted = await extractBundleArchive(path, join(tmpRoot, 'bundle'), opts);
    } catch (e) {
      if (e instanceof AppError && e.code === 'CANCELLED') throw e;
      if (e instanceof AppError && (e.code === 'UNSAFE_ARTIFACT' || e.code === 'INVALID_INPUT')) {
        return failedReport(source, { id: 'archive', ok: false, message: `${e.message} Nothing was kept from it.`, remedy: e.remedy });
      }
      throw e;
    }
    const report = await verifyFolder(extracted.bundleDir, source, opts, {
      id: 'archive',
      ok: true,
      message: `The archive's ${extracted.entries} entries are plain files and folders inside the bundle; extracted safely.`,
    });
    if (opts.keepExtracted) {
      keep = true;
      return { ...report, extractedTo: tmpRoot };
    }
    return { ...report, bundleDir: null, extractedTo: null, image: { ...report.image, path: null } };
  } finally {
    if (!keep) await rm(tmpRoot, { recursive: true, force: true });
  }
}

/** Remove the folder an archive was extracted to (after a Docker rerun). */
export async function removeExtracted(report: Pick<BundleVerifyReport, 'extractedTo'>): Promise<void> {
  // Only ever a folder verifyBundle made.
  if (report.extractedTo && basename(report.extractedTo).startsWith(TEMP_PREFIX)) await rm(report.extractedTo, { recursive: true, force: true });
}

function failedReport(source: BundleVerifyReport['source'], check: VerifyCheck): BundleVerifyReport {
  return {
    ok: false,
    source,
    checks: [check],
    files: { checked: 0, mismatched: [], missing: [], extra: [] },
    signature: { ok: false, fingerprint: null, trusted: null },
    image: { present: false, path: null, ok: null, message: 'Not checked.' },
    manifest: null,
    bundleDir: null,
    extractedTo: null,
  };
}

// ---------------------------------------------------------------------------------------------
// The folder

async function readOptional(path: string): Promise<Buffer | null> {
  try {
    const st = await lstat(path);
    if (!st.isFile()) return null;
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw ioError(e, path, 'read');
  }
}

const list = (items: string[], max = 5) => `${items.slice(0, max).join(', ')}${items.length > max ? ` and ${items.length - max} more` : ''}`;

async function verifyFolder(
  dir: string,
  source: BundleVerifyReport['source'],
  opts: VerifyOptions,
  archiveCheck: VerifyCheck | null,
): Promise<BundleVerifyReport> {
  const checks: VerifyCheck[] = archiveCheck ? [archiveCheck] : [];

  // Manifest
  const manifestRaw = await readOptional(join(dir, BUNDLE_FILES.manifest));
  let manifest: BundleManifest | null = null;
  if (!manifestRaw) {
    checks.push({ id: 'manifest', ok: false, message: `${BUNDLE_FILES.manifest} is missing: this is not a Greenhouse bundle, or it is incomplete.` });
  } else {
    try {
      manifest = parseManifest(manifestRaw);
      checks.push({ id: 'manifest', ok: true, message: `${BUNDLE_FILES.manifest} is a valid manifest of ${manifest.bundle.name} version ${manifest.bundle.version}, listing ${manifest.files.length} files.` });
    } catch (e) {
      checks.push({ id: 'manifest', ok: false, message: (e as Error).message });
    }
  }

  // Signature, over the manifest's exact bytes, with the public key the bundle carries.
  const signature: BundleVerifyReport['signature'] = { ok: false, fingerprint: null, trusted: null };
  const sigRaw = await readOptional(join(dir, BUNDLE_FILES.signature));
  const keyRaw = await readOptional(join(dir, BUNDLE_FILES.publicKey));
  if (keyRaw) {
    try {
      signature.fingerprint = keyFingerprint(keyRaw.toString('utf8'));
    } catch {
      signature.fingerprint = null;
    }
  }
  if (!manifestRaw || !sigRaw || !keyRaw) {
    const absent = [!manifestRaw && BUNDLE_FILES.manifest, !sigRaw && BUNDLE_FILES.signature, !keyRaw && BUNDLE_FILES.publicKey].filter(Boolean);
    checks.push({ id: 'signature', ok: false, message: `The signature cannot be checked: ${absent.join(' and ')} ${absent.length > 1 ? 'are' : 'is'} missing.` });
  } else if (!signature.fingerprint) {
    checks.push({ id: 'signature', ok: false, message: `${BUNDLE_FILES.publicKey} is not an Ed25519 public key.` });
  } else {
    signature.ok = verifySignature(manifestRaw, sigRaw.toString('utf8'), keyRaw.toString('utf8'));
    checks.push({
      id: 'signature',
      ok: signature.ok,
      message: signature.ok
        ? `The manifest is signed by the key with fingerprint ${signature.fingerprint}.`
        : `The signature does not match the manifest and the bundle's public key (fingerprint ${signature.fingerprint}): the manifest, the signature or the key was changed after signing.`,
    });
  }
  if (opts.trustedFingerprints) {
    const trusted = opts.trustedFingerprints.map((f) => f.replace(/[\s:]/g, '').toLowerCase());
    signature.trusted = signature.fingerprint !== null && trusted.includes(signature.fingerprint);
    checks.push({
      id: 'signature.trusted',
      ok: signature.trusted,
      message: signature.trusted
        ? 'The signing key is one of the trusted keys.'
        : `The signing key (fingerprint ${signature.fingerprint ?? 'unknown'}) is not one of the trusted keys: the bundle may have been re-signed by someone else.`,
    });
  }

  // Documents about the bundle (not in the manifest): the reviews are signed with the bundle's key,
  // or, once a reviewer's workspace reviewed the archive, with that workspace's key, which travels
  // beside them; the readiness document must be about this manifest.
  const reviewsRaw = await readOptional(join(dir, BUNDLE_FILES.reviews));
  if (reviewsRaw) {
    const reviewsSig = await readOptional(join(dir, BUNDLE_FILES.reviewsSignature));
    const reviewerKey = await readOptional(join(dir, BUNDLE_FILES.reviewsKey));
    let reviewerFingerprint: string | null = null;
    try {
      reviewerFingerprint = reviewerKey ? keyFingerprint(reviewerKey.toString('utf8')) : null;
    } catch {
      reviewerFingerprint = null;
    }
    const key = reviewerKey ?? keyRaw;
    const ok = Boolean(reviewsSig && key && (reviewerKey ? reviewerFingerprint : signature.fingerprint) && verifySignature(reviewsRaw, reviewsSig!.toString('utf8'), key!.toString('utf8')));
    const signer = reviewerKey ? `the reviewer's key beside it (${BUNDLE_FILES.reviewsKey}, fingerprint ${reviewerFingerprint ?? 'unreadable'})` : "the bundle's key";
    checks.push({
      id: 'reviews',
      ok,
      message: ok
        ? `${BUNDLE_FILES.reviews} is signed by ${signer}.`
        : `${BUNDLE_FILES.reviews} ${reviewsSig ? `does not match its signature by ${signer}` : 'is not signed'}: the reviews were changed after they were recorded.`,
    });
  }
  const readinessRaw = await readOptional(join(dir, BUNDLE_FILES.readiness));
  if (readinessRaw && manifestRaw) {
    let about: string | null = null;
    try {
      about = (JSON.parse(readinessRaw.toString('utf8')) as { bundle?: { manifestSha256?: string } }).bundle?.manifestSha256 ?? null;
    } catch {
      about = null;
    }
    const actual = createHash('sha256').update(manifestRaw).digest('hex');
    checks.push({
      id: 'readiness',
      ok: about === actual,
      message: about === actual ? `${BUNDLE_FILES.readiness} is about this bundle's manifest.` : `${BUNDLE_FILES.readiness} is about ${about ? `another manifest (${about.slice(0, 12)}…)` : 'no manifest'}: it does not describe this bundle.`,
      ...(about === actual ? {} : { remedy: 'Ask for the readiness report written with this bundle (greenhouse report … --format json).' }),
    });
  }

  // Files
  const files: BundleVerifyReport['files'] = { checked: 0, mismatched: [], missing: [], extra: [] };
  const onDisk = await listFolder(dir);
  const imageEntry = onDisk.find((f) => f.path === IMAGE_TAR);
  const imageListed = manifest?.files.some((f) => f.path === IMAGE_TAR) ?? false;
  const image: BundleVerifyReport['image'] = {
    present: Boolean(imageEntry),
    path: imageEntry?.kind === 'file' ? imageEntry.absolute : null,
    ok: null,
    message: 'The bundle does not include the image.',
  };
  if (!manifest) {
    checks.push({ id: 'files', ok: false, message: 'The files cannot be checked without a valid manifest.' });
  } else {
    const byPath = new Map(onDisk.map((f) => [f.path, f]));
    const bytesTotal = manifest.files.reduce((n, f) => n + f.bytes, 0);
    let before = 0;
    for (const f of manifest.files) {
      if (opts.signal?.aborted) throw cancelled();
      const disk = byPath.get(f.path);
      if (!disk) {
        files.missing.push(f.path);
      } else if (disk.kind !== 'file') {
        files.mismatched.push({ path: f.path, expected: f, actual: { sha256: null, bytes: disk.bytes }, reason: 'not a regular file (a link or special file)' });
      } else if (disk.bytes !== f.bytes) {
        files.mismatched.push({ path: f.path, expected: f, actual: { sha256: null, bytes: disk.bytes }, reason: `size is ${disk.bytes} bytes, the manifest says ${f.bytes}` });
      } else {
        const sha256 = await hashFile(disk.absolute, opts.signal, (n) => opts.onProgress?.({ phase: 'files', bytesDone: before + n, bytesTotal }));
        if (sha256 !== f.sha256) files.mismatched.push({ path: f.path, expected: f, actual: { sha256, bytes: disk.bytes }, reason: 'content differs (SHA-256)' });
      }
      files.checked++;
      before += f.bytes;
    }
    const listed = new Set(manifest.files.map((f) => f.path));
    files.extra = onDisk
      .map((f) => f.path)
      .filter((p) => !listed.has(p) && !UNLISTED_FILES.includes(p) && !(p === IMAGE_TAR && !imageListed && imageEntry?.kind === 'file'));
    const bad = [...files.mismatched.map((m) => `${m.path} (${m.reason})`), ...files.missing.map((p) => `${p} (missing)`)];
    checks.push({
      id: 'files',
      ok: bad.length === 0,
      message: bad.length === 0 ? `All ${files.checked} listed files are present with the recorded size and SHA-256.` : `${bad.length} of ${files.checked} listed files do not match: ${list(bad)}.`,
    });
    checks.push({
      id: 'files.unlisted',
      ok: files.extra.length === 0,
      message: files.extra.length === 0 ? 'The bundle holds no file the manifest does not list.' : `Files not in the manifest: ${list(files.extra)}.`,
    });

    // The image: tied to the signed manifest through its id.
    if (imageEntry && !imageListed) {
      if (imageEntry.kind !== 'file') {
        image.ok = false;
        image.message = `${IMAGE_TAR} is not a regular file.`;
      } else if (!manifest.image.id) {
        image.ok = false;
        image.message = `${IMAGE_TAR} is included but the manifest records no image id, so nothing ties it to the signed bundle.`;
      } else {
        const result = await checkImageTar(imageEntry.absolute, manifest.image.id, {
          signal: opts.signal,
          onBytes: (n) => opts.onProgress?.({ phase: 'image', bytesDone: n, bytesTotal: imageEntry.bytes }),
        });
        image.ok = result.ok;
        image.message = result.message;
      }
      checks.push({ id: 'image', ok: image.ok, message: image.message });
    } else if (imageEntry) {
      image.ok = !files.mismatched.some((m) => m.path === IMAGE_TAR);
      image.message = `${IMAGE_TAR} is listed in the manifest and checked with the other files.`;
    }
  }

  return {
    ok: checks.every((c) => c.ok),
    source,
    checks,
    files,
    signature,
    image,
    manifest,
    bundleDir: dir,
    extractedTo: null,
  };
}

async function hashFile(path: string, signal: AbortSignal | undefined, onBytes: (n: number) => void): Promise<string> {
  const hash = createHash('sha256');
  let done = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, signal }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      done += chunk.length;
      onBytes(done);
    }
  } catch (e) {
    if (signal?.aborted) throw cancelled();
    throw ioError(e, path, 'read');
  }
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Safe extraction

const unsafe = (name: string, why: string) =>
  new AppError('UNSAFE_ARTIFACT', `The archive holds an entry that a bundle never has: ${JSON.stringify(name)} (${why}). It was refused: nothing was written outside a temporary folder.`, {
    remedy: 'Do not use this archive. Ask its sender for the bundle exported by Greenhouse (greenhouse package … then export), and verify that.',
  });

const corrupt = (path: string, detail: string) =>
  new AppError('INVALID_INPUT', `${path} is not a readable bundle archive: ${detail}.`, {
    remedy: 'Give a NAME-VERSION.tar.gz exported by Greenhouse (or its folder); the file may be truncated or not an archive.',
  });

/** The entry's path inside the archive, checked: relative, no "..", no drive letters or backslashes. */
function safeEntryPath(name: string): string {
  if (name.includes('\0')) throw unsafe(name, 'a NUL byte in the name');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw unsafe(name, 'an absolute path');
  if (name.includes('\\')) throw unsafe(name, 'a backslash, which Windows reads as a folder separator');
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw unsafe(name, 'a path that leaves the bundle folder');
  if (parts.length === 0) throw unsafe(name, 'an empty name');
  return parts.join('/');
}

/** gzip (1f 8b) or a plain tar ("ustar" at 257). */
async function archiveKind(path: string): Promise<'gzip' | 'tar' | null> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, 512, 0);
    if (bytesRead >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return 'gzip';
    if (bytesRead >= 262 && buf.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
    return null;
  } finally {
    await fh.close();
  }
}

/**
 * Extract a bundle archive into `dest` (which must not exist yet), refusing unsafe entries with
 * UNSAFE_ARTIFACT and damaged archives with INVALID_INPUT. Returns the bundle folder: `dest`'s
 * single top folder (NAME-VERSION/) when the archive has one, else `dest`.
 */
export async function extractBundleArchive(
  archive: string,
  dest: string,
  opts: { signal?: AbortSignal; onProgress?: (p: VerifyProgress) => void } = {},
): Promise<{ bundleDir: string; entries: number }> {
  const kind = await archiveKind(archive).catch((e: unknown) => {
    throw ioError(e, archive, 'read');
  });
  if (!kind) throw corrupt(archive, 'it is neither gzip-compressed nor a tar file');
  const bytesTotal = (await lstat(archive)).size;
  await mkdir(dest).catch((e: unknown) => {
    throw ioError(e, dest, 'make');
  });
  const root = resolve(dest);

  const input = createReadStream(archive, { highWaterMark: 1 << 20 });
  let bytesDone = 0;
  input.on('data', (chunk) => {
    bytesDone += chunk.length;
    opts.onProgress?.({ phase: 'extract', bytesDone, bytesTotal });
  });
  const extractor = tarExtract();
  const gunzip = kind === 'gzip' ? createGunzip() : null;
  let streamError: Error | null = null;
  const fail = (e: Error) => {
    streamError ??= e;
    extractor.destroy(e);
  };
  input.on('error', fail);
  gunzip?.on('error', fail);
  (gunzip ? input.pipe(gunzip) : input).pipe(extractor as unknown as NodeJS.WritableStream);
  const onAbort = () => fail(cancelled());
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const tops = new Set<string>();
  let topLevelFiles = 0;
  let entries = 0;
  try {
    for await (const entry of extractor) {
      const { name, type, size } = entry.header;
      const rel = safeEntryPath(name);
      const target = resolve(root, ...rel.split('/'));
      // Belt and braces: the checked name cannot leave the root, whatever resolve() makes of it.
      if (!target.startsWith(root + sep)) throw unsafe(name, 'a path that leaves the bundle folder');
      if (type === 'directory') {
        await mkdir(target, { recursive: true });
        entry.resume();
      } else if (type === 'file' || type === 'contiguous-file') {
        await mkdir(resolve(target, '..'), { recursive: true });
        const mode = entry.header.mode & 0o111 ? 0o755 : 0o644;
        let written = 0;
        await pipeline(
          async function* () {
            for await (const chunk of entry as AsyncIterable<Buffer>) {
              written += chunk.length;
              yield chunk;
            }
          },
          // 'wx': a second entry with the same name (or a case-folded twin) never overwrites the first.
          createWriteStream(target, { flags: 'wx', mode }),
        ).catch((e: unknown) => {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw unsafe(name, 'a second entry with the same name');
          if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw unsafe(name, 'a path through a file');
          throw e;
        });
        if (written !== size) throw corrupt(archive, `the entry ${JSON.stringify(name)} is truncated`);
      } else {
        const why =
          type === 'symlink' ? `a symbolic link to ${JSON.stringify(entry.header.linkname)}`
          : type === 'link' ? `a hard link to ${JSON.stringify(entry.header.linkname)}`
          : type === 'character-device' || type === 'block-device' ? 'a device'
          : type === 'fifo' ? 'a FIFO'
          : `an entry of type ${String(type)}`;
        throw unsafe(name, why);
      }
      tops.add(rel.split('/')[0]!);
      if (!rel.includes('/') && type !== 'directory') topLevelFiles++;
      entries++;
    }
    if (streamError) throw streamError;
  } catch (e) {
    input.destroy();
    gunzip?.destroy();
    if (opts.signal?.aborted) throw cancelled();
    if (e instanceof AppError) throw e;
    const err = streamError ?? (e as Error);
    const { code, syscall } = err as NodeJS.ErrnoException;
    if (code === 'ENOSPC') {
      throw new AppError('IO_ERROR', `There is no room to extract ${archive} into ${dest}.`, {
        remedy: 'Free some disk space, or extract somewhere with room (the verify option tmpDir).',
      });
    }
    // A system call that failed is the machine's problem (permissions, …), not the archive's.
    if (syscall) throw ioError(err, dest, 'extract into');
    throw corrupt(archive, err.message || String(err));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (entries === 0) throw corrupt(archive, 'it is empty');
  // One top folder (NAME-VERSION/) holding everything: that is the bundle.
  if (tops.size === 1 && topLevelFiles === 0) return { bundleDir: join(root, [...tops][0]!), entries };
  return { bundleDir: root, entries };
}

// ---------------------------------------------------------------------------------------------
// image.tar (docker save output) against the image id

interface ImageBlob {
  sha256: string;
  /** SHA-256 of the gunzipped content, for gzip-compressed layers. */
  uncompressedSha256: string | null;
  /** Kept for small entries (configs, manifests, indexes). */
  content: Buffer | null;
}

const SMALL_JSON = 1 << 20;

/** Resolves on `event`, or when the stream fails or closes first (never hangs on a dead stream). */
function settled(stream: NodeJS.EventEmitter, event: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const e of [event, 'error', 'close']) stream.off(e, done);
      resolve();
    };
    for (const e of [event, 'error', 'close']) stream.on(e, done);
  });
}

/** Hash every regular file of a tar (and of its gzip layers' content), streaming. Keyed by SHA-256. */
async function scanImageTar(path: string, signal: AbortSignal | undefined, onBytes: (n: number) => void): Promise<Map<string, ImageBlob>> {
  const blobs = new Map<string, ImageBlob>();
  const input = createReadStream(path, { highWaterMark: 1 << 20, signal });
  let done = 0;
  input.on('data', (c) => onBytes((done += c.length)));
  const extractor = tarExtract();
  input.on('error', (e) => extractor.destroy(e));
  input.pipe(extractor as unknown as NodeJS.WritableStream);
  for await (const entry of extractor) {
    const { type, size } = entry.header;
    if (type !== 'file' && type !== 'contiguous-file') {
      entry.resume();
      continue;
    }
    const hash = createHash('sha256');
    const keep: Buffer[] | null = size <= SMALL_JSON ? [] : null;
    let gunzip: ReturnType<typeof createGunzip> | null = null;
    let gunzipHash: ReturnType<typeof createHash> | null = null;
    let gunzipFailed = false;
    let first = true;
    for await (const chunk of entry as AsyncIterable<Buffer>) {
      if (first && chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
        gunzip = createGunzip();
        const gh = (gunzipHash = createHash('sha256'));
        gunzip.on('data', (d: Buffer) => gh.update(d));
        gunzip.on('error', () => (gunzipFailed = true));
      }
      first = false;
      hash.update(chunk);
      keep?.push(chunk);
      if (gunzip && !gunzipFailed && !gunzip.write(chunk)) await settled(gunzip, 'drain');
    }
    let uncompressedSha256: string | null = null;
    if (gunzip && gunzipHash) {
      const g = gunzip;
      if (!gunzipFailed) {
        const ended = settled(g, 'end');
        g.end();
        await ended;
      }
      if (!gunzipFailed) uncompressedSha256 = gunzipHash.digest('hex');
    }
    const sha256 = hash.digest('hex');
    blobs.set(sha256, { sha256, uncompressedSha256, content: keep ? Buffer.concat(keep) : null });
  }
  return blobs;
}

const digestHex = (d: unknown) => (typeof d === 'string' && /^sha256:[0-9a-f]{64}$/.test(d) ? d.slice(7) : null);

/**
 * Whether a `docker save` tar holds the image `imageId` ("sha256:…") intact. Content-addressed,
 * so it works for both docker save layouts (classic and OCI) whatever the file names:
 * - an id that is the config's digest (the classic image store): every layer listed in the
 *   config's rootfs.diff_ids must be in the tar (its SHA-256, or that of its gunzipped content);
 * - an id that is a manifest or index digest (the containerd image store): every blob it
 *   references must be in the tar, down to the config and the layers.
 */
export async function checkImageTar(
  path: string,
  imageId: string,
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void } = {},
): Promise<{ ok: boolean; message: string }> {
  const id = digestHex(imageId);
  if (!id) return { ok: false, message: `The manifest's image id ${imageId} is not a sha256 digest.` };
  let blobs: Map<string, ImageBlob>;
  try {
    blobs = await scanImageTar(path, opts.signal, opts.onBytes ?? (() => {}));
  } catch (e) {
    if (opts.signal?.aborted) throw cancelled();
    return { ok: false, message: `${IMAGE_TAR} is not a readable tar: ${(e as Error).message}.` };
  }

  const problems: string[] = [];
  let layers = 0;
  const json = (digest: string): Record<string, unknown> | null => {
    const blob = blobs.get(digest);
    if (!blob) return null;
    try {
      return blob.content ? (JSON.parse(blob.content.toString('utf8')) as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };
  const checkConfig = (digest: string, config: Record<string, unknown>) => {
    const rootfs = config.rootfs as { diff_ids?: unknown } | undefined;
    if (!Array.isArray(rootfs?.diff_ids)) return problems.push(`the image config ${digest.slice(0, 12)} lists no layers`);
    for (const d of rootfs.diff_ids) {
      const hex = digestHex(d);
      const found = hex && [...blobs.values()].some((b) => b.sha256 === hex || b.uncompressedSha256 === hex);
      if (!found) problems.push(`layer ${String(d).slice(0, 19)} is missing or altered`);
      else layers++;
    }
  };
  const visit = (digest: string, depth: number): void => {
    const doc = json(digest);
    if (!doc) return void problems.push(`${blobs.has(digest) ? 'the blob' : 'no content with the digest'} sha256:${digest.slice(0, 12)}${blobs.has(digest) ? ' is not an image index, manifest or config' : ''}`);
    if (depth > 4) return void problems.push('image indexes nest too deeply');
    if (Array.isArray(doc.manifests)) {
      // An index: the platforms docker saved must be present; others (attestations) may be absent.
      const present = (doc.manifests as { digest?: unknown }[]).map((m) => digestHex(m.digest)).filter((d): d is string => !!d && blobs.has(d));
      if (present.length === 0) return void problems.push('the image index references no manifest present in the tar');
      for (const d of present) visit(d, depth + 1);
    } else if (doc.config && Array.isArray(doc.layers)) {
      const config = digestHex((doc.config as { digest?: unknown }).digest);
      if (!config || !json(config)) problems.push('the image manifest\'s config is missing or altered');
      for (const l of doc.layers as { digest?: unknown }[]) {
        const hex = digestHex(l.digest);
        if (!hex || !blobs.has(hex)) problems.push(`layer ${String(l.digest).slice(0, 19)} is missing or altered`);
        else layers++;
      }
    } else if (doc.rootfs) {
      checkConfig(digest, doc);
    } else {
      problems.push(`the blob sha256:${digest.slice(0, 12)} is not an image index, manifest or config`);
    }
  };
  if (!blobs.has(id)) {
    return { ok: false, message: `${IMAGE_TAR} does not hold the image the manifest records (${imageId.slice(0, 19)}…): it is another image, or it was altered.` };
  }
  visit(id, 0);
  if (problems.length > 0) return { ok: false, message: `${IMAGE_TAR} does not hold the recorded image intact: ${list(problems)}.` };
  return { ok: true, message: `${IMAGE_TAR} holds the image ${imageId.slice(0, 19)}… with all ${layers} layers intact.` };
}
