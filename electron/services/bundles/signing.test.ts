import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { formatFingerprint, keyFingerprint, loadSigningKey, signManifest, signingKeyPaths, verifySignature } from './signing.js';

const posix = process.platform !== 'win32';
let ws: string;
beforeEach(async () => {
  ws = await mkdtemp(join(tmpdir(), 'gh-signing-'));
});
afterEach(async () => {
  await rm(ws, { recursive: true, force: true });
});

describe('the workspace signing key', () => {
  it('is made on first use as a PKCS8 private key (0600) and an SPKI public key, and reused after', async () => {
    const first = await loadSigningKey(ws);
    const paths = signingKeyPaths(ws);
    const privatePem = await readFile(paths.privateKey, 'utf8');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(await readFile(paths.publicKey, 'utf8')).toBe(first.publicKeyPem);
    expect(first.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPublicKey(first.publicKeyPem).asymmetricKeyType).toBe('ed25519');
    if (posix) {
      expect((await stat(paths.privateKey)).mode & 0o777).toBe(0o600);
      expect((await stat(paths.dir)).mode & 0o077).toBe(0);
    }
    expect(await readFile(paths.gitignore, 'utf8')).toContain('bundle-signing.pem');

    const again = await loadSigningKey(ws);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(await readFile(paths.privateKey, 'utf8')).toBe(privatePem);
  });

  it('ends up with one key when two callers make it at once', async () => {
    const keys = await Promise.all([loadSigningKey(ws), loadSigningKey(ws), loadSigningKey(ws)]);
    expect(new Set(keys.map((k) => k.fingerprint)).size).toBe(1);
    const sig = keys[0]!.sign(Buffer.from('x'));
    expect(verifySignature(Buffer.from('x'), sig, keys[2]!.publicKeyPem)).toBe(true);
  });

  it('has a fingerprint that is the SHA-256 of the SPKI DER', async () => {
    const key = await loadSigningKey(ws);
    const der = createPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(key.fingerprint).toBe(createHash('sha256').update(der).digest('hex'));
    expect(keyFingerprint(key.publicKeyPem)).toBe(key.fingerprint);
    expect(formatFingerprint(key.fingerprint).split(' ')).toHaveLength(16);
  });

  it('rewrites a missing or altered public key file from the private key, and tightens a loose mode', async () => {
    const key = await loadSigningKey(ws);
    const paths = signingKeyPaths(ws);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await writeFile(paths.publicKey, other);
    if (posix) await chmod(paths.privateKey, 0o644);
    const again = await loadSigningKey(ws);
    expect(again.fingerprint).toBe(key.fingerprint);
    expect(await readFile(paths.publicKey, 'utf8')).toBe(key.publicKeyPem);
    if (posix) expect((await stat(paths.privateKey)).mode & 0o777).toBe(0o600);
  });

  it('refuses a damaged private key with a remedy instead of silently replacing it', async () => {
    await loadSigningKey(ws);
    await writeFile(signingKeyPaths(ws).privateKey, 'not a key');
    const err = await loadSigningKey(ws).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('WORKSPACE_INVALID');
    expect((err as AppError).remedy).toMatch(/Restore it from a backup/);
  });
});

describe('signatures', () => {
  it('verify over the exact bytes, with the signer\'s key only', async () => {
    const bytes = Buffer.from('{"schema":"greenhouse.bundle/1"}\n');
    const { signature, publicKeyPem, fingerprint } = await signManifest(ws, bytes);
    expect(Buffer.from(signature, 'base64')).toHaveLength(64);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(verifySignature(bytes, signature, publicKeyPem)).toBe(true);
    expect(verifySignature(bytes, `${signature}\n`, publicKeyPem)).toBe(true);

    const changed = Buffer.from(bytes);
    changed[3] = changed[3]! ^ 1;
    expect(verifySignature(changed, signature, publicKeyPem)).toBe(false);
    const otherKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(verifySignature(bytes, signature, otherKey)).toBe(false);
    expect(verifySignature(bytes, 'not base64!', publicKeyPem)).toBe(false);
    expect(verifySignature(bytes, Buffer.alloc(10).toString('base64'), publicKeyPem)).toBe(false);
  });

  it('refuses a key that is not Ed25519 or not a key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(() => verifySignature(Buffer.from('x'), 'AAAA', rsa)).toThrow(/Not an Ed25519 public key: it is a rsa key/);
    expect(() => keyFingerprint('garbage')).toThrow(AppError);
  });
});
