import { describe, expect, it } from 'vitest';
import type { NotebookImport } from '../../../shared/contract/index.js';
import { findMismatches } from './mismatches.js';

const imp = (module: string, pkg: string | null, stdlib = false): NotebookImport => ({ module, package: pkg, stdlib, cell: 0 });

describe('environment mismatches', () => {
  const packages = [
    { name: 'scikit-learn', version: '1.2.1', specifier: null },
    { name: 'pandas', version: '1.5.3', specifier: null },
  ];

  it('names packages the notebook imports that the environment lacks, once each, ignoring the standard library', () => {
    const m = findMismatches({
      packages,
      notebook: { label: 'notebook train@2', imports: [imp('sklearn', 'scikit-learn'), imp('xgboost', 'xgboost'), imp('xgboost', 'xgboost'), imp('os', null, true), imp('pandas', 'pandas')] },
      recordedVersions: {},
    });
    expect(m).toEqual([expect.objectContaining({ kind: 'missing-package', package: 'xgboost', source: 'notebook train@2 imports xgboost' })]);
  });

  it('flags a library version recorded in the model that differs from the environment, or is missing from it', () => {
    expect(findMismatches({ packages, notebook: null, recordedVersions: { 'scikit-learn': '1.2.1' } })).toEqual([]);
    expect(findMismatches({ packages, notebook: null, recordedVersions: { scikit_learn: '0.24.2' } })).toEqual([
      expect.objectContaining({ kind: 'version-differs', package: 'scikit-learn', expected: '0.24.2', actual: '1.2.1' }),
    ]);
    expect(findMismatches({ packages: [], notebook: null, recordedVersions: { 'scikit-learn': '1.2.1' } })).toEqual([
      expect.objectContaining({ kind: 'missing-package', package: 'scikit-learn', expected: '1.2.1', actual: null }),
    ]);
  });
});
