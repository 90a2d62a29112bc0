// The hand-off bundle's layout: every file a bundle holds, by its path inside the bundle folder.
// One place names them, so the generator, the serving app's loader, the manifest, the export and
// verify agree.

export const BUNDLE_FILES = {
  dockerfile: 'Dockerfile',
  dockerignore: '.dockerignore',
  requirements: 'requirements.txt',
  /** The serving app (resources/serving/server.py), copied as is. */
  server: 'app/server.py',
  /** The drift check runnable in the container (resources/serving/drift.py). */
  drift: 'app/drift.py',
  /** The model file, named model.<ext> by format: model.joblib, model.pkl or model.onnx. */
  modelDir: 'model',
  /** ServingMetadata (below): what the serving app needs to know about the model. */
  metadata: 'model/metadata.json',
  /** The golden set: GoldenSet from the contract plus `tolerance`. */
  golden: 'model/golden.json',
  /** The training data's reference profile: { dataset, columns: ColumnProfile[] }. */
  reference: 'monitoring/reference-profile.json',
  /** Generated pytest suite run inside the image. */
  tests: 'tests/test_model.py',
  card: 'model-card.md',
  sbom: 'sbom.cdx.json',
  compose: 'docker-compose.yml',
  prometheus: 'monitoring/prometheus.yml',
  k8sDeployment: 'k8s/deployment.yaml',
  k8sService: 'k8s/service.yaml',
  /** Every other file with its SHA-256, and the provenance. Written last. */
  manifest: 'manifest.json',
  /** Ed25519 signature (base64) over the exact bytes of manifest.json. */
  signature: 'manifest.json.sig',
  /** The workspace's public key (PEM, SPKI) that verifies the signature. */
  publicKey: 'signing-key.pub.pem',
  // Documents about the bundle, not in its manifest (they change as people attest and review;
  // each names the manifest it is about):
  /** The evaluated readiness checklist (greenhouse.readiness/1, resources/schema/readiness.schema.json). */
  readiness: 'readiness.json',
  /** The readiness report for reviewers, self-contained. */
  report: 'readiness-report.html',
  reportPdf: 'readiness-report.pdf',
  /** Reviewers' decisions, signed with the workspace's key into reviews.json.sig. */
  reviews: 'reviews.json',
  reviewsSignature: 'reviews.json.sig',
  /** The public key that signed reviews.json when it is not the bundle's: a reviewer's workspace that reviewed the archive. */
  reviewsKey: 'reviews.json.pub.pem',
} as const;

/** The documents about a bundle that its manifest does not list. */
export const BUNDLE_DOCUMENTS: readonly string[] = [BUNDLE_FILES.readiness, BUNDLE_FILES.report, BUNDLE_FILES.reportPdf, BUNDLE_FILES.reviews, BUNDLE_FILES.reviewsSignature, BUNDLE_FILES.reviewsKey];

/** Where the bundle lives inside the container image. */
export const IMAGE_APP_DIR = '/opt/greenhouse';

/** model/metadata.json: read by the serving app at start. */
export interface ServingMetadata {
  name: string;
  version: number;
  /** 'pickle' | 'joblib' | 'onnx' */
  format: string;
  /** Relative to the bundle root, e.g. "model/model.joblib". */
  modelFile: string;
  framework: string;
  className: string;
  task: 'classification' | 'regression' | 'other';
  classes: (string | number | boolean)[] | null;
  /** The contract's Signature: inputs (name, dtype, nullable) and outputs. */
  signature: {
    inputs: { name: string; dtype: 'int64' | 'float64' | 'bool' | 'string' | 'datetime' | 'object'; nullable: boolean }[];
    outputs: { name: string; kind: 'label' | 'probability' | 'value'; dtype: string; class: string | number | boolean | null }[];
    /** 'model': pass a DataFrame with these columns; 'dataset': the model was fitted on an array in this order. */
    inputsFrom: 'model' | 'dataset';
  };
  /** When the model version was registered (ISO), for the model-age metric. */
  createdAt: string;
  sha256: string;
}
