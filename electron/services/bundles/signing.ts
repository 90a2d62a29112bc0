// The workspace's bundle-signing key: one Ed25519 key pair per workspace, made on first use and
// reused after, so every bundle of a workspace carries the same public key and fingerprint.
// The private key never leaves .greenhouse/keys/; bundles carry only the public key.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors.js';
import { tempPathFor, writeFileAtomic } from '../fs/atomic-write.js';
import { fsErrorToAppError } from '../errors.js';
import { workspacePaths } from '../workspace/paths.js';

export const signingKeyPaths = (workspaceRoot: string) => {
  const dir = join(workspacePaths(workspaceRoot).meta, 'keys');
  return {
    dir,
    /** PKCS8 PEM, mode 0600. */
    privateKey: join(dir, 'bundle-signing.pem'),
    /** SPKI PEM: a convenience copy; the private key is the source of truth. */
    publicKey: join(dir, 'bundle-signing.pub.pem'),
    /** Keeps the private key out of git when the workspace is versioned. */
    gitignore: join(dir, '.gitignore'),
  };
};

export interface BundleSigningKey {
  /** SPKI PEM, as written into each bundle (signing-key.pub.pem). */
  publicKeyPem: string;
  /** SHA-256 of the public key's SPKI DER, lower-case hex: what a person compares. */
  fingerprint: string;
  /** Ed25519 signature over exactly these bytes, base64. */
  sign(bytes: Uint8Array): string;
}

const invalidKey = (detail: string, cause?: unknown) =>
  new AppError('INVALID_INPUT', `Not an Ed25519 public key: ${detail}`, {
    remedy: 'Use the signing-key.pub.pem that came with the bundle (a PEM "PUBLIC KEY" block), or ask its sender for it.',
    cause,
  });

function parsePublicKey(pem: string | KeyObject): KeyObject {
  let key: KeyObject;
  try {
    key = typeof pem === 'string' ? createPublicKey({ key: pem, format: 'pem' }) : pem;
  } catch (e) {
    throw invalidKey('the PEM could not be read.', e);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw invalidKey(`it is a ${key.asymmetricKeyType ?? 'unknown'} key.`);
  return key;
}

/** SHA-256 (hex) of the SPKI DER of an Ed25519 public key given as PEM. */
export function keyFingerprint(publicKeyPem: string | KeyObject): string {
  const der = parsePublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** A fingerprint grouped for reading aloud: "ab12 cd34 …". */
export const formatFingerprint = (fingerprint: string) => fingerprint.match(/.{1,4}/g)?.join(' ') ?? fingerprint;

/**
 * Whether `signatureB64` is a valid Ed25519 signature of `manifestBytes` by `publicKeyPem`.
 * False for a wrong or malformed signature; throws INVALID_INPUT when the key itself is unusable.
 */
export function verifySignature(manifestBytes: Uint8Array, signatureB64: string, publicKeyPem: string): boolean {
  const key = parsePublicKey(publicKeyPem);
  const text = signatureB64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  const signature = Buffer.from(text, 'base64');
  if (signature.length !== 64) return false;
  return verify(null, manifestBytes, key, signature);
}

function keyFromPrivatePem(pem: string, path: string): { privateKey: KeyObject; publicKey: KeyObject } {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new AppError('WORKSPACE_INVALID', `The bundle-signing key ${path} cannot be read as a PEM private key.`, {
      remedy: 'Restore it from a backup. If it is lost, move it aside: a new key is made on the next bundle, and bundles signed before then will show a different fingerprint.',
      cause: e,
    });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new AppError('WORKSPACE_INVALID', `The bundle-signing key ${path} is a ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519.`, {
      remedy: 'Move it aside; Greenhouse makes a new Ed25519 key on the next bundle.',
    });
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** Create the private key file only if none exists (link() refuses to replace), so two racing creators agree. */
async function createPrivateKeyFile(path: string, pem: string): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(pem);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await chmod(tmp, 0o600);
    await link(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    await rm(tmp, { force: true });
  }
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * The workspace's signing key: read from .greenhouse/keys/, or made there on first use.
 * The public key file is (re)written from the private key when missing or different.
 */
export async function loadSigningKey(workspaceRoot: string): Promise<BundleSigningKey> {
  const paths = signingKeyPaths(workspaceRoot);
  try {
    await mkdir(paths.dir, { recursive: true, mode: 0o700 });
    let pem = await readIfExists(paths.privateKey);
    if (pem === null) {
      const { privateKey } = generateKeyPairSync('ed25519');
      await createPrivateKeyFile(paths.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
      pem = await readFile(paths.privateKey, 'utf8');
    }
    // A workspace copied through zip or a file share may have lost the mode: tighten it again.
    if (process.platform !== 'win32' && ((await stat(paths.privateKey)).mode & 0o077) !== 0) await chmod(paths.privateKey, 0o600);
    const { privateKey, publicKey } = keyFromPrivatePem(pem, paths.privateKey);
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    if ((await readIfExists(paths.publicKey)) !== publicKeyPem) await writeFileAtomic(paths.publicKey, publicKeyPem);
    if ((await readIfExists(paths.gitignore)) === null) await writeFileAtomic(paths.gitignore, 'bundle-signing.pem\n');
    return {
      publicKeyPem,
      fingerprint: keyFingerprint(publicKey),
      sign: (bytes) => sign(null, bytes, privateKey).toString('base64'),
    };
  } catch (e) {
    const mapped = fsErrorToAppError(e, paths.privateKey);
    if (mapped instanceof AppError) throw mapped;
    throw new AppError('IO_ERROR', `The bundle-signing key in ${paths.dir} could not be read or created: ${(e as Error).message}`, {
      remedy: 'Check that you may write the workspace\'s .greenhouse folder and that the disk is not full.',
      cause: e,
    });
  }
}

/** Sign a manifest's exact bytes with the workspace's key. */
export async function signManifest(
  workspaceRoot: string,
  manifestBytes: Uint8Array,
): Promise<{ signature: string; publicKeyPem: string; fingerprint: string }> {
  const key = await loadSigningKey(workspaceRoot);
  return { signature: key.sign(manifestBytes), publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint };
}
