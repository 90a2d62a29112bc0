// Test helpers for the bundle modules: a small signed bundle folder in a throwaway workspace.
// (Imported by *.test.ts only.)

import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeSignedManifest, type BundleManifest, type ManifestInput } from './manifest.js';

export const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export function sampleInput(overrides: Partial<ManifestInput> = {}): ManifestInput {
  return {
    bundle: { name: 'churn', version: 3, createdAt: '2026-11-29T10:00:00.000Z', createdBy: 'ana' },
    model: { name: 'churn', version: 3, sha256: sha('model'), framework: 'sklearn', class: 'sklearn.linear_model.LogisticRegression' },
    provenance: {
      datasets: [
        { name: 'customers-eval', version: 1, sha256: sha('eval'), role: 'evaluation' },
        { name: 'customers', version: 2, sha256: sha('train'), role: 'training' },
      ],
      notebook: { name: 'train', version: 4, sha256: sha('nb') },
      environment: { name: 'ml', version: 1, sha256: sha('env'), python: '3.11.2' },
    },
    image: { tag: 'greenhouse/churn:3', id: `sha256:${sha('image')}`, base: 'python:3.11-slim' },
    git: null,
    ...overrides,
  };
}

/** The files of a small bundle (not the manifest, signature or key). */
export const SAMPLE_FILES: Record<string, string | Buffer> = {
  Dockerfile: 'FROM python:3.11-slim\nUSER 10001\n',
  '.dockerignore': '*\n!app\n',
  'requirements.txt': 'scikit-learn==1.2.1\n',
  'app/server.py': 'print("serving")\n',
  'app/drift.py': 'print("drift")\n',
  'model/model.joblib': Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251)),
  'model/metadata.json': '{"name":"churn"}\n',
  'tests/test_model.py': 'def test_loads():\n    pass\n',
  'model-card.md': '# churn\n',
  'k8s/deployment.yaml': 'kind: Deployment\n',
  'run.sh': '#!/bin/sh\nexec python3 app/server.py\n',
};

export async function makeWorkspace(prefix = 'gh-bundle-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Write `files` into `dir` (run.sh executable). */
export async function writeFiles(dir: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(dir, ...path.split('/'));
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
    if (path.endsWith('.sh')) await chmod(abs, 0o755);
  }
}

/** A signed bundle folder workspace/bundles/churn-3 made of SAMPLE_FILES. */
export async function makeBundle(
  workspace: string,
  opts: { input?: Partial<ManifestInput>; files?: Record<string, string | Buffer> } = {},
): Promise<{ bundleDir: string; manifest: BundleManifest; fingerprint: string }> {
  const input = sampleInput(opts.input);
  const bundleDir = join(workspace, 'bundles', `${input.bundle.name}-${input.bundle.version}`);
  await mkdir(bundleDir, { recursive: true });
  await writeFiles(bundleDir, opts.files ?? SAMPLE_FILES);
  const { manifest, fingerprint } = await writeSignedManifest(bundleDir, input, { keyWorkspace: workspace });
  return { bundleDir, manifest, fingerprint };
}
