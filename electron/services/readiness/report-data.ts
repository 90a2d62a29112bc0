// What the readiness report (readiness-report.html / .pdf) is made from: the evaluated checklist
// plus the facts a reviewer reads beside it. Assembled by the readiness service from the catalog
// and the bundle; rendered by report-html.ts without any further lookups.
import type {
  ColumnProfile,
  EnvPackage,
  LineageGraph,
  ModelCard,
  ModelMetrics,
  ReadinessReport,
  ScanResult,
  Signature,
  SmokeTestResult,
} from '../../../shared/contract/index.js';

export interface ReportData {
  readiness: ReadinessReport;
  /** The model card's sections (MODEL_CARD_SECTIONS order), markdown text each. */
  card: ModelCard;
  signature: Signature;
  metrics: ModelMetrics | null;
  /** The training dataset's profile: one entry per column (histograms, top values, nulls…). */
  training: { name: string; version: number; rows: number; columns: ColumnProfile[] };
  /** The whole lineage around the model (datasets, notebook, environment → model). */
  lineage: LineageGraph;
  environment: { name: string; version: number; python: string | null; packages: EnvPackage[] };
  /** The SBOM's components (name, version, purl, license when known). */
  sbom: { components: { name: string; version: string; purl: string | null; license: string | null }[] };
  smoke: SmokeTestResult | null;
  scan: ScanResult;
  /** monitoring/reference-profile.json: the columns the drift check compares against. */
  reference: { dataset: { name: string; version: number; sha256: string; rows: number }; columns: ColumnProfile[] };
  /** The latest drift check of the model version (greenhouse drift), when there is one. */
  drift: { at: string; drift: boolean; features: { name: string; psi: number | null; js: number | null; drifted: boolean }[] } | null;
}
