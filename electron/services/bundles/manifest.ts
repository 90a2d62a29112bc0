// manifest.json: every file of a bundle with its SHA-256 and size, and where the model came from.
// Written last, as stable JSON (sorted keys), so the same inputs give the same bytes and the
// signature over those bytes covers the whole bundle.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { fsErrorToAppError } from '../errors.js';
import { sha256File } from '../objects/object-store.js';
import { APP_VERSION } from '../version.js';
import { BUNDLE_DOCUMENTS, BUNDLE_FILES } from './layout.js';
import { keyFingerprint, loadSigningKey } from './signing.js';

export const MANIFEST_SCHEMA = 'greenhouse.bundle/1';

/** Files that a manifest never lists (at the bundle's root only): itself, its signature, and the documents about the bundle. */
export const UNLISTED_FILES: readonly string[] = [BUNDLE_FILES.manifest, BUNDLE_FILES.signature, ...BUNDLE_DOCUMENTS];

// ---------------------------------------------------------------------------------------------
// Stable JSON

/** JSON with object keys sorted (by UTF-16 code unit), 2-space indent and a trailing newline. */
export function stableJson(value: unknown): string {
  return `${serialize(value, '')}\n`;
}

function serialize(value: unknown, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AppError('INTERNAL', `Cannot write ${value} into JSON.`);
    return JSON.stringify(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => `${inner}${v === undefined ? 'null' : serialize(v, inner)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort(comparePaths);
    if (keys.length === 0) return '{}';
    const items = keys.map((k) => `${inner}${JSON.stringify(k)}: ${serialize((value as Record<string, unknown>)[k], inner)}`);
    return `{\n${items.join(',\n')}\n${indent}}`;
  }
  throw new AppError('INTERNAL', `Cannot write a ${typeof value} into JSON.`);
}

/**
 * A failure while reading or writing `path`, as an AppError: fsErrorToAppError's mapping
 * (not found, permission), else IO_ERROR with the system's message.
 */
export function ioError(e: unknown, path: string, doing: string): AppError {
  if (e instanceof AppError) return e;
  const mapped = fsErrorToAppError(e, path);
  if (mapped instanceof AppError) return mapped;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return new AppError('IO_ERROR', `Could not ${doing} ${path}: ${e instanceof Error ? e.message : String(e)}`, {
    remedy: code === 'ENOSPC' ? 'Free some disk space, then try again.' : undefined,
    cause: e,
  });
}

/** The one ordering of paths (and keys) that the manifest, the archive and verify share. */
export const comparePaths = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// Schema

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256');
const version = z.number().int().positive();
const isoDateTime = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)), 'an ISO 8601 date-time');

/** A relative path inside the bundle: forward slashes, no "..", ".", empty segments or drive letters. */
export const bundleRelativePath = z
  .string()
  .min(1)
  .refine(isSafeRelativePath, 'a relative path inside the bundle (forward slashes, no "..")');

export function isSafeRelativePath(p: string): boolean {
  if (p.includes('\\') || p.includes('\0') || p.startsWith('/') || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

const versionedRef = z.object({ name: z.string().min(1), version, sha256: sha256Hex });

export const gitProvenance = z.object({
  commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'a full git commit id'),
  /** Uncommitted changes outside Greenhouse's own folders (.greenhouse/, bundles/). */
  dirty: z.boolean(),
  /** origin's URL, without any user name or password. */
  remote: z.string().optional(),
});
export type GitProvenance = z.infer<typeof gitProvenance>;

export const manifestFile = z.object({
  path: bundleRelativePath,
  sha256: sha256Hex,
  bytes: z.number().int().nonnegative(),
});
export type ManifestFile = z.infer<typeof manifestFile>;

export const bundleManifest = z.object({
  schema: z.literal(MANIFEST_SCHEMA),
  bundle: z.object({ name: z.string().min(1), version, createdAt: isoDateTime, createdBy: z.string().min(1) }),
  model: versionedRef.extend({ framework: z.string().min(1), class: z.string().min(1) }),
  provenance: z.object({
    datasets: z.array(versionedRef.extend({ role: z.enum(['training', 'evaluation']) })),
    notebook: versionedRef.nullable(),
    environment: versionedRef.extend({ python: z.string().nullable() }),
    git: gitProvenance.nullable(),
    greenhouse: z.object({ version: z.string().min(1) }),
  }),
  image: z.object({
    tag: z.string().min(1),
    /** The engine's image id ("sha256:…"); null when the image was not built. */
    id: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'an image id "sha256:<64 hex>"').nullable(),
    base: z.string().min(1),
  }),
  files: z.array(manifestFile),
});
export type BundleManifest = z.infer<typeof bundleManifest>;

/** What the packager knows; the manifest adds the file list, the schema and (unless given) git. */
export interface ManifestInput {
  bundle: BundleManifest['bundle'];
  model: BundleManifest['model'];
  provenance: {
    datasets: BundleManifest['provenance']['datasets'];
    notebook: BundleManifest['provenance']['notebook'];
    environment: BundleManifest['provenance']['environment'];
  };
  image: BundleManifest['image'];
  /** Read git provenance from this folder; null or absent: no git. */
  workspaceRoot?: string | null;
  /** Given git provenance instead of reading it (null: none). */
  git?: GitProvenance | null;
  /** Defaults to this Greenhouse's version. */
  greenhouseVersion?: string;
}

// ---------------------------------------------------------------------------------------------
// The bundle folder

export interface FolderEntry {
  /** Relative, forward slashes. */
  path: string;
  absolute: string;
  /** 'file' for regular files; anything else (symlink, socket, fifo, device) is 'other'. */
  kind: 'file' | 'other';
  bytes: number;
  mode: number;
}

/** Every file under `dir` (not following symlinks), sorted by path. Directories are not listed. */
export async function listFolder(dir: string): Promise<FolderEntry[]> {
  const out: FolderEntry[] = [];
  const walk = async (abs: string, rel: string) => {
    let names: string[];
    try {
      names = await readdir(abs);
    } catch (e) {
      throw ioError(e, abs, 'list');
    }
    for (const name of names) {
      const childAbs = join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      const st = await lstat(childAbs).catch((e: unknown) => {
        throw ioError(e, childAbs, 'read');
      });
      if (st.isDirectory()) await walk(childAbs, childRel);
      else out.push({ path: childRel, absolute: childAbs, kind: st.isFile() ? 'file' : 'other', bytes: st.size, mode: st.mode });
    }
  };
  await walk(dir, '');
  return out.sort((a, b) => comparePaths(a.path, b.path));
}

/** The files a manifest of `dir` lists: everything but manifest.json and its signature. Refuses links and special files. */
export async function listBundleFiles(dir: string): Promise<FolderEntry[]> {
  const entries = (await listFolder(dir)).filter((e) => !UNLISTED_FILES.includes(e.path));
  for (const e of entries) {
    if (e.kind !== 'file') {
      throw new AppError('INVALID_INPUT', `${e.path} in the bundle ${dir} is not a regular file (a link or a special file).`, {
        remedy: 'A bundle holds plain files only: replace the link with a copy of the file, or remove it, then package again.',
      });
    }
    if (!isSafeRelativePath(e.path)) {
      throw new AppError('INVALID_INPUT', `The file name ${JSON.stringify(e.path)} in the bundle ${dir} cannot be carried in a bundle.`, {
        remedy: 'Rename the file without backslashes or drive letters, then package again.',
      });
    }
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Git

const GIT_TIMEOUT_MS = 10_000;

function git(cwd: string, args: string[]): Promise<string | null> {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  // Variables set by an enclosing git (hooks, rebase -x) would point at another repository.
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX', 'GIT_COMMON_DIR', 'GIT_OBJECT_DIRECTORY']) delete env[k];
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-c', 'core.fsmonitor=false', '-C', cwd, ...args],
      { env, timeout: GIT_TIMEOUT_MS, maxBuffer: 16 << 20, windowsHide: true },
      (err, stdout) => resolve(err ? null : stdout),
    );
  });
}

/** A remote URL without credentials: https://user:token@host/x → https://host/x. */
export function redactRemote(url: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url; // scp-like git@host:path carries no secret
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

/**
 * The commit the workspace is at, whether it has uncommitted changes (ignoring Greenhouse's own
 * .greenhouse/ and bundles/), and origin's URL; null when it is not in a git work tree, has no
 * commit yet, or git is not installed.
 */
export async function readGitProvenance(workspaceRoot: string): Promise<GitProvenance | null> {
  if ((await git(workspaceRoot, ['rev-parse', '--is-inside-work-tree']))?.trim() !== 'true') return null;
  const commit = (await git(workspaceRoot, ['rev-parse', '--verify', '--quiet', 'HEAD']))?.trim();
  if (!commit) return null;
  const status = await git(workspaceRoot, ['status', '--porcelain', '--', ':/', ':(exclude).greenhouse', ':(exclude)bundles']);
  const remote = (await git(workspaceRoot, ['remote', 'get-url', 'origin']))?.trim();
  return {
    commit,
    // A status that could not be read counts as dirty: the commit alone may not be the code.
    dirty: status === null || status.trim() !== '',
    ...(remote ? { remote: redactRemote(remote) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Building and writing

export interface HashProgress {
  bytesDone: number;
  bytesTotal: number;
}

/** Hash every file of the bundle folder and assemble the manifest (not written). */
export async function buildManifest(
  bundleDir: string,
  input: ManifestInput,
  opts: { signal?: AbortSignal; onProgress?: (p: HashProgress) => void } = {},
): Promise<BundleManifest> {
  const entries = await listBundleFiles(bundleDir);
  const bytesTotal = entries.reduce((n, e) => n + e.bytes, 0);
  let before = 0;
  const files: ManifestFile[] = [];
  for (const e of entries) {
    if (opts.signal?.aborted) throw new AppError('CANCELLED', 'Writing the bundle manifest was cancelled.');
    let sha256: string;
    try {
      sha256 = await sha256File(e.absolute, { signal: opts.signal, onBytes: (n) => opts.onProgress?.({ bytesDone: before + n, bytesTotal }) });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw new AppError('CANCELLED', 'Writing the bundle manifest was cancelled.');
      throw ioError(err, e.absolute, 'read');
    }
    before += e.bytes;
    files.push({ path: e.path, sha256, bytes: e.bytes });
  }
  opts.onProgress?.({ bytesDone: bytesTotal, bytesTotal });
  const git = input.git !== undefined ? input.git : input.workspaceRoot ? await readGitProvenance(input.workspaceRoot) : null;
  const manifest = {
    schema: MANIFEST_SCHEMA,
    bundle: input.bundle,
    model: input.model,
    provenance: {
      datasets: [...input.provenance.datasets].sort(
        (a, b) => comparePaths(a.role, b.role) || comparePaths(a.name, b.name) || a.version - b.version,
      ),
      notebook: input.provenance.notebook,
      environment: input.provenance.environment,
      git,
      greenhouse: { version: input.greenhouseVersion ?? APP_VERSION },
    },
    image: input.image,
    files,
  };
  const parsed = bundleManifest.safeParse(manifest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('INVALID_INPUT', `The bundle manifest would be invalid: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}.`, {
      remedy: 'This is a bug in the packager that called it; report it with the model version.',
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}

/** The exact bytes of manifest.json for a manifest. */
export const manifestBytes = (manifest: BundleManifest) => Buffer.from(stableJson(manifest), 'utf8');

/** Parse manifest.json bytes; throws INVALID_INPUT naming the first problem. */
export function parseManifest(bytes: Uint8Array): BundleManifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new AppError('INVALID_INPUT', `manifest.json is not valid JSON: ${(e as Error).message}`, {
      remedy: 'The bundle is damaged or was edited by hand: ask its sender for the original bundle.',
    });
  }
  const parsed = bundleManifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('INVALID_INPUT', `manifest.json is not a Greenhouse bundle manifest: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}.`, {
      remedy: 'The bundle is damaged, edited by hand or from a newer Greenhouse: ask its sender for the original, or update Greenhouse.',
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}

/**
 * Finish a bundle folder: put the workspace's public key in it, then hash every file into
 * manifest.json, then sign the manifest's bytes into manifest.json.sig, in that order (the key
 * file is listed in the manifest; the manifest and signature are not).
 */
export async function writeSignedManifest(
  bundleDir: string,
  input: ManifestInput,
  opts: { keyWorkspace: string; signal?: AbortSignal; onProgress?: (p: HashProgress) => void },
): Promise<{ manifest: BundleManifest; bytes: Buffer; signature: string; fingerprint: string }> {
  const key = await loadSigningKey(opts.keyWorkspace);
  try {
    await writeFileAtomic(join(bundleDir, BUNDLE_FILES.publicKey), key.publicKeyPem);
    const manifest = await buildManifest(bundleDir, input, opts);
    const bytes = manifestBytes(manifest);
    const signature = key.sign(bytes);
    await writeFileAtomic(join(bundleDir, BUNDLE_FILES.manifest), bytes);
    await writeFileAtomic(join(bundleDir, BUNDLE_FILES.signature), `${signature}\n`);
    return { manifest, bytes, signature, fingerprint: key.fingerprint };
  } catch (e) {
    throw ioError(e, bundleDir, 'write the manifest into');
  }
}

/**
 * After a build: record the image id in the bundle's manifest and sign it again, so the bundle
 * names the exact image it was built into (and an exported image.tar can be checked against it).
 * Only the manifest's image.id changes; the files it lists are the same. Refused (null, with the
 * reason) when the workspace's key is not the one that signed the bundle.
 */
export async function resignWithImage(
  bundleDir: string,
  imageId: string,
  keyWorkspace: string,
): Promise<{ manifest: BundleManifest; manifestSha256: string } | { manifest: null; reason: string }> {
  const path = join(bundleDir, BUNDLE_FILES.manifest);
  let current: BundleManifest;
  let publicKeyPem: string;
  try {
    current = parseManifest(await readFile(path));
    publicKeyPem = await readFile(join(bundleDir, BUNDLE_FILES.publicKey), 'utf8');
  } catch (e) {
    if (e instanceof AppError) return { manifest: null, reason: e.message };
    throw ioError(e, bundleDir, 'read the manifest of');
  }
  const key = await loadSigningKey(keyWorkspace);
  if (keyFingerprint(publicKeyPem) !== key.fingerprint) {
    return { manifest: null, reason: 'the bundle was signed with another key than this workspace\'s' };
  }
  const manifest = bundleManifest.parse({ ...current, image: { ...current.image, id: imageId } });
  const bytes = manifestBytes(manifest);
  try {
    await writeFileAtomic(path, bytes);
    await writeFileAtomic(join(bundleDir, BUNDLE_FILES.signature), `${key.sign(bytes)}\n`);
  } catch (e) {
    throw ioError(e, bundleDir, 'write the manifest into');
  }
  return { manifest, manifestSha256: createHash('sha256').update(bytes).digest('hex') };
}
