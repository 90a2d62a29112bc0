import { describe, expect, it } from 'vitest';
import { modelFileName, neededPackages } from './model-files.js';

const g = (module: string, name: string) => ({ module, name, allowed: true, count: 1 });

describe('bundle model files', () => {
  it('names the model file by format', () => {
    expect(modelFileName('joblib')).toBe('model/model.joblib');
    expect(modelFileName('pickle')).toBe('model/model.pkl');
    expect(modelFileName('onnx')).toBe('model/model.onnx');
  });

  it('needs the distributions of the modules the file imports, the loader and pandas, not the standard library', () => {
    const scan = { format: 'joblib' as const, globals: [g('sklearn.pipeline', 'Pipeline'), g('numpy.core.multiarray', '_reconstruct'), g('copyreg', '_reconstructor'), g('xgboost.sklearn', 'XGBClassifier'), g('_codecs', 'encode')] };
    expect(neededPackages(scan)).toEqual(['joblib', 'numpy', 'pandas', 'scikit-learn', 'xgboost']);
    expect(neededPackages({ format: 'onnx', globals: [] })).toEqual(['numpy', 'onnxruntime', 'pandas']);
  });
});
