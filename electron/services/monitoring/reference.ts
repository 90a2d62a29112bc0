// What a batch is compared with: the training data's reference profile of a model version, with
// the model's inputs and outputs, its golden predictions and (when the workspace has it) the
// training data's snapshot for exact two-sample tests. Gathered from the catalog, or from a bundle
// folder alone (monitoring/reference-profile.json, model/metadata.json, model/golden.json).

import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ColumnProfile, DatasetFormat, DriftResult, GoldenSet, SignatureInput, SignatureOutput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { BUNDLE_FILES, type ServingMetadata } from '../bundles/layout.js';
import { bundleFolderName } from '../bundles/write-bundle.js';
import { formatOf } from '../datasets/source.js';
import type { WorkspaceSession } from '../workspace/workspace-session.js';

/** The training data's bytes in the workspace's object store, for exact tests over its values. */
export interface ReferenceSnapshot {
  format: DatasetFormat;
  compression: 'none' | 'gzip';
  encoding: 'utf-8' | 'utf-16';
  /** Paths of the stored files. */
  files: string[];
}

export interface DriftReference {
  source: DriftResult['reference']['source'];
  model: { name: string; version: number; task: 'classification' | 'regression' | 'other' };
  bundle: { name: string; version: number; path: string } | null;
  dataset: { name: string; version: number; sha256: string; rows: number };
  /** The training profile of the model's inputs. */
  columns: ColumnProfile[];
  inputs: SignatureInput[];
  outputs: SignatureOutput[];
  /** The training target column, when known (not from a bundle folder alone). */
  target: string | null;
  /** The model's predictions on a seeded sample of its training data. */
  golden: { predictions: GoldenSet['predictions']; classes: GoldenSet['classes'] } | null;
  snapshot: ReferenceSnapshot | null;
}

interface ReferenceProfileFile {
  dataset: { name: string; version: number; sha256: string; rows: number };
  columns: ColumnProfile[];
}

async function readJson<T>(path: string, what: string): Promise<T> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    throw new AppError('NOT_FOUND', `The bundle has no ${what} (${path}).`, { remedy: 'Give a bundle folder written by Greenhouse (bundles/NAME-VERSION), or NAME@VERSION in a workspace.' });
  }
  try {
    return JSON.parse(raw) as T;
  } catch (e) {
    throw new AppError('INVALID_INPUT', `The bundle's ${what} (${path}) is not valid JSON: ${(e as Error).message}`, { remedy: 'Write the bundle again (greenhouse bundle create), or verify it (greenhouse verify).' });
  }
}

/** A bundle folder's own reference: what app/drift.py in the container compares with. */
export async function bundleFolderReference(dir: string): Promise<DriftReference> {
  const profile = await readJson<ReferenceProfileFile>(join(dir, BUNDLE_FILES.reference), 'reference profile');
  const meta = await readJson<ServingMetadata>(join(dir, BUNDLE_FILES.metadata), 'model metadata');
  if (!Array.isArray(profile.columns) || !profile.dataset || !meta.signature?.inputs) {
    throw new AppError('INVALID_INPUT', `${dir} does not hold a Greenhouse reference profile and model metadata.`, { remedy: 'Write the bundle again with greenhouse bundle create.' });
  }
  const golden = await readJson<GoldenSet>(join(dir, BUNDLE_FILES.golden), 'golden set').catch(() => null);
  return {
    source: 'bundle',
    model: { name: meta.name, version: meta.version, task: meta.task },
    bundle: { name: meta.name, version: meta.version, path: dir },
    dataset: profile.dataset,
    columns: profile.columns,
    inputs: meta.signature.inputs,
    outputs: meta.signature.outputs as SignatureOutput[],
    target: null,
    golden: golden && Array.isArray(golden.predictions) ? { predictions: golden.predictions, classes: golden.classes ?? meta.classes } : null,
    snapshot: null,
  };
}

/**
 * The reference of NAME@VERSION in a workspace: the catalog's training profile, or (bundle) the
 * workspace bundle's files; either way with the training snapshot when it was copied in.
 */
export async function workspaceReference(ws: WorkspaceSession, name: string, version: number | undefined, bundle: boolean): Promise<{ reference: DriftReference; modelVersionId: number; bundleId: number | null }> {
  const model = ws.models.get(name, version, () => []);
  const v = model.version.version;
  const ids = ws.models.versionIds(model.name, v);
  const training = model.lineage.training[0];
  if (!training) {
    throw new AppError('INVALID_INPUT', `${model.name}@${v} has no training dataset linked, so there is no reference to compare with.`, { remedy: 'Register the model with --dataset NAME so its training profile is recorded.' });
  }
  const profile = ws.datasets.profile(training.name, training.version);
  const format = formatOf(basename(profile.version.files[0]?.path ?? profile.version.sourcePath));
  const snapshot: ReferenceSnapshot | null =
    profile.version.snapshot === 'copy'
      ? {
          format: profile.version.format,
          compression: format?.compression ?? 'none',
          encoding: profile.version.dialect?.encoding === 'utf-16' ? 'utf-16' : 'utf-8',
          files: profile.version.files.map((f) => ws.objects.pathOf(f.sha256)),
        }
      : null;
  if (bundle) {
    const target = ws.bundles.target(model.name, v);
    const dir = join(ws.paths.bundles, bundleFolderName(model.name, v));
    const fromFolder = await bundleFolderReference(dir);
    // The snapshot is the training data's only when the bundle names the same bytes.
    const same = fromFolder.dataset.sha256 === profile.version.sha256;
    return {
      reference: { ...fromFolder, model: { ...fromFolder.model, name: model.name, version: v }, target: training.target, snapshot: same ? snapshot : null },
      modelVersionId: ids.id,
      bundleId: target.id,
    };
  }
  const inputs = model.signature.inputs;
  return {
    reference: {
      source: 'model',
      model: { name: model.name, version: v, task: model.introspection.task },
      bundle: null,
      dataset: { name: training.name, version: training.version, sha256: profile.version.sha256, rows: profile.version.rows },
      columns: profile.columns.filter((c) => inputs.some((i) => i.name === c.name)),
      inputs,
      outputs: model.signature.outputs,
      target: training.target,
      golden: { predictions: model.golden.predictions, classes: model.golden.classes ?? model.introspection.classes },
      snapshot,
    },
    modelVersionId: ids.id,
    bundleId: null,
  };
}
