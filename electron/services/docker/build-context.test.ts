import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { extract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { renderDockerignore } from '../bundles/dockerfile.js';
import { tempDir } from '../../test-support/temp.js';
import { contextFiles, folderContextTar, isIgnored, parseDockerignore } from './build-context.js';

async function folder(files: Record<string, string>) {
  const dir = tempDir();
  for (const [p, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, p)), { recursive: true });
    await writeFile(join(dir, p), text);
  }
  return dir;
}

describe('.dockerignore matching', () => {
  it('follows the engine: last match wins, parent folders match, ** spans folders, ! re-includes', () => {
    const p = parseDockerignore('# comment\n\n*\n!app/\n!model\n**/__pycache__\n**/*.pyc\n/docs/*.md\n!docs/keep.md\nfile?.txt\n[ab].csv\n');
    expect(p.map((x) => x.pattern)).toEqual(['*', 'app', 'model', '**/__pycache__', '**/*.pyc', 'docs/*.md', 'docs/keep.md', 'file?.txt', '[ab].csv']);
    expect(isIgnored('manifest.json', p)).toBe(true);
    expect(isIgnored('k8s/deployment.yaml', p)).toBe(true);
    expect(isIgnored('app/server.py', p)).toBe(false);
    expect(isIgnored('app/sub/deep.py', p)).toBe(false);
    expect(isIgnored('app/__pycache__/server.cpython-311.pyc', p)).toBe(true);
    expect(isIgnored('model/x.pyc', p)).toBe(true);
    expect(isIgnored('model/model.joblib', p)).toBe(false);
    expect(isIgnored('docs/keep.md', p)).toBe(false);
    expect(isIgnored('docs/other.md', p)).toBe(true);
    const q = parseDockerignore('file?.txt\n[ab].csv\nnotes/**\n');
    expect(isIgnored('file1.txt', q)).toBe(true);
    expect(isIgnored('file10.txt', q)).toBe(false);
    expect(isIgnored('a.csv', q)).toBe(true);
    expect(isIgnored('c.csv', q)).toBe(false);
    expect(isIgnored('notes/a/b.txt', q)).toBe(true);
    expect(isIgnored('notesx', q)).toBe(false);
  });

  it("sends a bundle's Dockerfile and only what its image needs", async () => {
    const dir = await folder({
      Dockerfile: 'FROM x\n',
      '.dockerignore': renderDockerignore(),
      'requirements.txt': 'a==1\n',
      'build/check_versions.py': 'pass\n',
      'app/server.py': 'x',
      'app/__pycache__/server.cpython-311.pyc': 'junk',
      'tests/test_model.py': 'x',
      'monitoring/reference-profile.json': '{}',
      'monitoring/prometheus.yml': 'x',
      'model/model.joblib': 'm',
      'model/metadata.json': '{}',
      'wheels/a-1-py3-none-any.whl': 'w',
      'manifest.json': '{}',
      'manifest.json.sig': 's',
      'model-card.md': '#',
      'k8s/deployment.yaml': 'x',
      'docker-compose.yml': 'x',
    });
    expect((await contextFiles(dir)).map((f) => f.path)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'app/server.py',
      'build/check_versions.py',
      'model/metadata.json',
      'model/model.joblib',
      'monitoring/prometheus.yml',
      'monitoring/reference-profile.json',
      'requirements.txt',
      'tests/test_model.py',
      'wheels/a-1-py3-none-any.whl',
    ]);
  });
});

describe('the context tar', () => {
  it('streams the files with fixed times and owners, executables 0755', async () => {
    const dir = await folder({ Dockerfile: 'FROM x\n', '.dockerignore': '*\n!app\n', 'app/run.sh': '#!/bin/sh\n', 'app/big.bin': 'b'.repeat(3 << 20), 'other.txt': 'no' });
    await chmod(join(dir, 'app/run.sh'), 0o755);
    const { stream, files, bytes } = await folderContextTar(dir);
    expect(files.map((f) => f.path)).toEqual(['.dockerignore', 'Dockerfile', 'app/big.bin', 'app/run.sh']);
    expect(bytes).toBe(files.reduce((n, f) => n + f.bytes, 0));
    const ex = extract();
    (stream as unknown as NodeJS.ReadableStream).pipe(ex as unknown as NodeJS.WritableStream);
    const seen: { name: string; mode: number; mtime: number; uid: number; size: number; got: number }[] = [];
    for await (const entry of ex) {
      let got = 0;
      for await (const c of entry as AsyncIterable<Buffer>) got += c.length;
      const h = entry.header;
      seen.push({ name: h.name, mode: h.mode!, mtime: h.mtime!.getTime(), uid: h.uid!, size: h.size!, got });
    }
    expect(seen.map((e) => e.name)).toEqual(['.dockerignore', 'Dockerfile', 'app/big.bin', 'app/run.sh']);
    expect(seen.every((e) => e.mtime === 0 && e.uid === 0 && e.size === e.got)).toBe(true);
    expect(seen.find((e) => e.name === 'app/run.sh')!.mode).toBe(0o755);
    expect(seen.find((e) => e.name === 'app/big.bin')!.mode).toBe(0o644);
  });

  it('refuses a folder without a Dockerfile, and links among the files it would send', async () => {
    await expect(contextFiles(await folder({ 'app/x': 'x' }))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no Dockerfile') });
    const dir = await folder({ Dockerfile: 'FROM x\n', 'app/x': 'x' });
    await symlink('/etc/passwd', join(dir, 'app', 'link'));
    await expect(contextFiles(dir)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('app/link') });
  });
});
