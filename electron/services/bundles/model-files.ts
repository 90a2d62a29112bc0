import type { ColumnProfile, GoldenSet, ModelDetail, ScanResult } from '../../../shared/contract/index.js';
import { packageFor } from '../notebooks/analyze.js';
import { BUNDLE_FILES, type ServingMetadata } from './layout.js';

/** The model file's name inside the bundle, by format. */
export function modelFileName(format: ModelDetail['version']['format']): string {
  return `${BUNDLE_FILES.modelDir}/model.${format === 'pickle' ? 'pkl' : format}`;
}

/**
 * The distributions the serving image must have to load this model: those of the modules its file
 * imports (from the scan), the loader's (joblib, onnxruntime), and pandas for the serving app's
 * DataFrames. The standard library needs nothing.
 */
export function neededPackages(scan: Pick<ScanResult, 'globals' | 'format'>): string[] {
  const out = new Set<string>(['numpy', 'pandas']);
  if (scan.format === 'joblib') out.add('joblib');
  if (scan.format === 'onnx') out.add('onnxruntime');
  for (const g of scan.globals) {
    const p = packageFor(g.module);
    if (!p.stdlib && p.package) out.add(p.package);
  }
  return [...out].sort();
}

/** model/metadata.json: what the serving app needs to know about the model. */
export function servingMetadata(d: ModelDetail): ServingMetadata {
  return {
    name: d.name,
    version: d.version.version,
    format: d.version.format,
    modelFile: modelFileName(d.version.format),
    framework: d.version.framework,
    className: d.introspection.className,
    task: d.introspection.task,
    classes: d.introspection.classes,
    signature: { inputs: d.signature.inputs, outputs: d.signature.outputs, inputsFrom: d.signature.inputsFrom },
    createdAt: d.version.createdAt,
    sha256: d.version.sha256,
  };
}

/** model/golden.json: the golden set with the tolerance the generated tests and the smoke test allow. */
export function goldenFile(golden: GoldenSet, tolerance: number): GoldenSet & { tolerance: number } {
  return { ...golden, tolerance };
}

/** monitoring/reference-profile.json: the training data's profile, for the drift check. */
export function referenceProfile(dataset: { name: string; version: number; sha256: string; rows: number }, columns: ColumnProfile[], inputs: string[]) {
  return { dataset, columns: columns.filter((c) => inputs.includes(c.name)) };
}

