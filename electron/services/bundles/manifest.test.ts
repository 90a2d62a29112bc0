import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { APP_VERSION } from '../version.js';
import {
  bundleManifest,
  buildManifest,
  manifestBytes,
  parseManifest,
  readGitProvenance,
  redactRemote,
  stableJson,
} from './manifest.js';
import { verifySignature } from './signing.js';
import { SAMPLE_FILES, makeBundle, makeWorkspace, sampleInput, sha, writeFiles } from './test-fixture.js';

let ws: string;
beforeEach(async () => {
  ws = await makeWorkspace();
});
afterEach(async () => {
  await rm(ws, { recursive: true, force: true });
});

describe('stableJson', () => {
  it('sorts keys at every level, indents by two spaces and ends with a newline', () => {
    expect(stableJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, e: undefined, 10: 'x', 9: 'y' })).toBe(
      '{\n  "10": "x",\n  "9": "y",\n  "a": {\n    "c": null,\n    "d": [\n      3,\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
    expect(stableJson({ a: [], b: {} })).toBe('{\n  "a": [],\n  "b": {}\n}\n');
    expect(JSON.parse(stableJson({ s: 'é "q" \n' }))).toEqual({ s: 'é "q" \n' });
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => stableJson({ n: Number.NaN })).toThrow(AppError);
  });
});

describe('buildManifest', () => {
  it('lists every file but the manifest and its signature, sorted, with forward slashes, SHA-256 and size', async () => {
    const dir = join(ws, 'b');
    await writeFiles(dir, { ...SAMPLE_FILES, 'manifest.json': 'old', 'manifest.json.sig': 'old', 'docs/manifest.json': 'nested one is listed' });
    const m = await buildManifest(dir, sampleInput());
    const paths = m.files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    expect(paths).toContain('app/server.py');
    expect(paths).toContain('docs/manifest.json');
    expect(paths).not.toContain('manifest.json');
    expect(paths).not.toContain('manifest.json.sig');
    expect(paths.every((p) => !p.includes('\\'))).toBe(true);
    const server = m.files.find((f) => f.path === 'app/server.py');
    expect(server).toEqual({ path: 'app/server.py', sha256: sha('print("serving")\n'), bytes: 17 });
    expect(m.schema).toBe('greenhouse.bundle/1');
    expect(m.provenance.greenhouse.version).toBe(APP_VERSION);
    // Datasets in a fixed order whatever the input order: by role, then name.
    expect(m.provenance.datasets.map((d) => d.role)).toEqual(['evaluation', 'training']);
    expect(bundleManifest.parse(m)).toEqual(m);
  });

  it('gives the same bytes for the same inputs, whatever the files\' times', async () => {
    const dir = join(ws, 'b');
    await writeFiles(dir, SAMPLE_FILES);
    const first = manifestBytes(await buildManifest(dir, sampleInput()));
    await utimes(join(dir, 'app/server.py'), new Date('2001-01-01'), new Date('2001-01-01'));
    const reordered = sampleInput();
    reordered.provenance.datasets.reverse();
    const second = manifestBytes(await buildManifest(dir, reordered));
    expect(second.equals(first)).toBe(true);
    expect(first.toString().endsWith('}\n')).toBe(true);
    expect(parseManifest(first)).toEqual(JSON.parse(first.toString()));
  });

  it('reports hashing progress up to the total', async () => {
    const dir = join(ws, 'b');
    await writeFiles(dir, SAMPLE_FILES);
    const seen: number[] = [];
    let total = 0;
    await buildManifest(dir, sampleInput(), { onProgress: (p) => (seen.push(p.bytesDone), (total = p.bytesTotal)) });
    expect(seen.at(-1)).toBe(total);
    expect(total).toBeGreaterThan(70_000);
  });

  it('refuses links in the bundle folder', async () => {
    const dir = join(ws, 'b');
    await writeFiles(dir, SAMPLE_FILES);
    await symlink('/etc/passwd', join(dir, 'app', 'passwd'));
    await expect(buildManifest(dir, sampleInput())).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('app/passwd') });
  });

  it('refuses inputs that would make an invalid manifest, naming the field', async () => {
    const dir = join(ws, 'b');
    await writeFiles(dir, SAMPLE_FILES);
    const bad = sampleInput({ image: { tag: 'x', id: 'not-an-id', base: 'python:3.11-slim' } });
    await expect(buildManifest(dir, bad)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('image.id') });
  });
});

describe('parseManifest', () => {
  it('refuses non-JSON, other schemas and paths that leave the bundle', async () => {
    expect(() => parseManifest(Buffer.from('{'))).toThrow(/not valid JSON/);
    expect(() => parseManifest(Buffer.from('{"schema":"other"}'))).toThrow(/not a Greenhouse bundle manifest/);
    const dir = join(ws, 'b');
    await writeFiles(dir, SAMPLE_FILES);
    const m = await buildManifest(dir, sampleInput());
    for (const path of ['../x', '/etc/passwd', 'a/../../x', 'a\\b', 'C:/x', 'a//b', './a']) {
      const evil = { ...m, files: [{ path, sha256: sha(''), bytes: 0 }] };
      expect(() => parseManifest(Buffer.from(JSON.stringify(evil))), path).toThrow(/files\.0\.path/);
    }
  });
});

describe('writeSignedManifest', () => {
  it('puts the public key in the bundle, lists it, and signs the manifest\'s exact bytes', async () => {
    const { bundleDir, manifest, fingerprint } = await makeBundle(ws);
    const bytes = await readFile(join(bundleDir, 'manifest.json'));
    expect(bytes.equals(manifestBytes(manifest))).toBe(true);
    expect(manifest.files.map((f) => f.path)).toContain('signing-key.pub.pem');
    const sig = await readFile(join(bundleDir, 'manifest.json.sig'), 'utf8');
    const pub = await readFile(join(bundleDir, 'signing-key.pub.pem'), 'utf8');
    expect(verifySignature(bytes, sig, pub)).toBe(true);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('git provenance', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined },
    }).trim();

  it('is null outside a git work tree, and in a repository without a commit', async () => {
    expect(await readGitProvenance(ws)).toBeNull();
    git(ws, 'init', '-q');
    expect(await readGitProvenance(ws)).toBeNull();
  });

  it('records the commit, dirtiness outside .greenhouse/ and bundles/, and origin without credentials', async () => {
    git(ws, 'init', '-q');
    await writeFile(join(ws, 'train.py'), 'x = 1\n');
    git(ws, 'add', 'train.py');
    git(ws, 'commit', '-q', '-m', 'init');
    git(ws, 'remote', 'add', 'origin', 'https://ana:s3cret-token@git.example.com/team/churn.git');
    const head = git(ws, 'rev-parse', 'HEAD');

    await mkdir(join(ws, '.greenhouse'), { recursive: true });
    await writeFile(join(ws, '.greenhouse', 'catalog.db'), 'db');
    await mkdir(join(ws, 'bundles', 'churn-3'), { recursive: true });
    await writeFile(join(ws, 'bundles', 'churn-3', 'Dockerfile'), 'FROM x');
    const clean = await readGitProvenance(ws);
    expect(clean).toEqual({ commit: head, dirty: false, remote: 'https://git.example.com/team/churn.git' });

    await writeFile(join(ws, 'train.py'), 'x = 2\n');
    expect((await readGitProvenance(ws))?.dirty).toBe(true);

    // A workspace in a sub-folder of the repository sees the whole repository.
    await mkdir(join(ws, 'sub'), { recursive: true });
    expect((await readGitProvenance(join(ws, 'sub')))?.commit).toBe(head);
  });

  it('is read into the manifest from workspaceRoot', async () => {
    git(ws, 'init', '-q');
    git(ws, 'commit', '-q', '--allow-empty', '-m', 'init');
    const dir = join(ws, 'bundles', 'b');
    await writeFiles(dir, SAMPLE_FILES);
    const input = sampleInput({ workspaceRoot: ws });
    delete input.git;
    const m = await buildManifest(dir, input);
    expect(m.provenance.git).toEqual({ commit: git(ws, 'rev-parse', 'HEAD'), dirty: false });
  });

  it('redacts user names and passwords from remote URLs only', () => {
    expect(redactRemote('https://user:tok@github.com/a/b.git')).toBe('https://github.com/a/b.git');
    expect(redactRemote('ssh://git@host:22/a/b.git')).toBe('ssh://host:22/a/b.git');
    expect(redactRemote('git@github.com:a/b.git')).toBe('git@github.com:a/b.git');
    expect(redactRemote('/srv/repos/b.git')).toBe('/srv/repos/b.git');
  });
});
