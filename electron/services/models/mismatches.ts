import type { EnvironmentMismatch, EnvPackage, NotebookImport } from '../../../shared/contract/index.js';
import { normalizePackageName } from '../environments/packages.js';

export interface MismatchInputs {
  packages: EnvPackage[];
  /** The linked notebook's third-party imports, with who it is ("notebook churn@2"). */
  notebook: { label: string; imports: NotebookImport[] } | null;
  /** Library versions written into the model file, e.g. {"scikit-learn": "1.2.1"}. */
  recordedVersions: Record<string, string>;
}

/**
 * What the model needs that the environment does not give: packages the training notebook imports
 * that are not installed (or listed), and library versions recorded in the model that differ from
 * the environment's.
 */
export function findMismatches({ packages, notebook, recordedVersions }: MismatchInputs): EnvironmentMismatch[] {
  const have = new Map(packages.map((p) => [normalizePackageName(p.name), p]));
  const out: EnvironmentMismatch[] = [];
  if (notebook) {
    const seen = new Set<string>();
    for (const imp of notebook.imports) {
      if (imp.stdlib || !imp.package) continue;
      const name = normalizePackageName(imp.package);
      if (seen.has(name) || have.has(name)) continue;
      seen.add(name);
      out.push({
        kind: 'missing-package',
        package: name,
        expected: null,
        actual: null,
        source: `${notebook.label} imports ${imp.module}`,
        message: `${notebook.label} imports ${imp.module} (package ${name}), which this environment does not have.`,
      });
    }
  }
  for (const [library, recorded] of Object.entries(recordedVersions)) {
    const name = normalizePackageName(library);
    const installed = have.get(name);
    if (!installed) {
      out.push({
        kind: 'missing-package',
        package: name,
        expected: recorded,
        actual: null,
        source: 'the model file',
        message: `The model was saved with ${name} ${recorded}, which this environment does not have.`,
      });
    } else if (installed.version !== null && installed.version !== recorded) {
      out.push({
        kind: 'version-differs',
        package: name,
        expected: recorded,
        actual: installed.version,
        source: 'the model file',
        message: `The model was saved with ${name} ${recorded}; this environment has ${installed.version}. Predictions may differ or loading may fail.`,
      });
    }
  }
  return out;
}
