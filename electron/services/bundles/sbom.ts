// sbom.cdx.json: a CycloneDX 1.5 bill of materials of the Python packages the model service runs
// with. Reproducible: the serial number is derived from the inputs (a UUID v5 over them) and the
// timestamp is the bundle's creation time, so the same inputs give the same bytes.

import { createHash } from 'node:crypto';
import type { EnvPackage } from '../../../shared/contract/environments.js';
import { AppError } from '../../../shared/errors.js';
import { APP_NAME, APP_VERSION } from '../version.js';
import { comparePaths, stableJson } from './manifest.js';

export interface SbomInput {
  bundle: { name: string; version: number; createdAt: string };
  /** The environment's packages (names normalised as PEP 503 does). */
  packages: EnvPackage[];
  /** The Python version the service runs with, e.g. "3.11.2"; null when unknown. */
  python: string | null;
  /** The model file the service serves, listed as a machine-learning-model component when given. */
  model?: { name: string; version: number; sha256: string };
  /** Defaults to this Greenhouse's version. */
  greenhouseVersion?: string;
}

/** Namespace of Greenhouse's UUID v5 serial numbers (fixed; any change makes new serials). */
const SBOM_NAMESPACE = '4f0b3c1e-6a52-4d8e-9c3b-7e2f1a9d5b60';

/** A name-based UUID (RFC 9562 version 5: SHA-1 of namespace + name). */
export function uuidV5(name: string, namespace = SBOM_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Percent-encode all but the unreserved characters (RFC 3986), as purl asks. */
const pct = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A PyPI package URL (purl spec: lower-case name, "_" as "-", the version percent-encoded). */
export function pypiPurl(name: string, version: string | null): string {
  const n = pct(name.toLowerCase().replace(/[-_.]+/g, '-'));
  return version ? `pkg:pypi/${n}@${pct(version)}` : `pkg:pypi/${n}`;
}

interface CdxProperty {
  name: string;
  value: string;
}

/** The CycloneDX 1.5 document (the fields Greenhouse emits). */
export interface CycloneDxBom {
  bomFormat: 'CycloneDX';
  specVersion: '1.5';
  serialNumber: string;
  version: number;
  metadata: {
    timestamp: string;
    tools: { components: { type: 'application'; name: string; version: string }[] };
    component: { type: 'application'; 'bom-ref': string; name: string; version: string; description: string; properties: CdxProperty[] };
  };
  components: {
    type: 'library' | 'machine-learning-model';
    'bom-ref': string;
    name: string;
    version?: string;
    purl?: string;
    hashes?: { alg: 'SHA-256'; content: string }[];
    properties?: CdxProperty[];
  }[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

export function buildSbom(input: SbomInput): CycloneDxBom {
  const createdAt = new Date(input.bundle.createdAt);
  if (Number.isNaN(createdAt.getTime())) {
    throw new AppError('INVALID_INPUT', `The bundle's creation time ${JSON.stringify(input.bundle.createdAt)} is not a date.`, {
      remedy: 'This is a bug in the packager that called it; report it with the model version.',
    });
  }
  // One entry per normalised name, sorted, so the input's order does not matter.
  const byName = new Map<string, EnvPackage>();
  for (const p of input.packages) byName.set(p.name.toLowerCase().replace(/[-_.]+/g, '-'), p);
  const packages = [...byName.entries()].sort(([a], [b]) => comparePaths(a, b));

  const rootRef = `greenhouse:bundle/${input.bundle.name}@${input.bundle.version}`;
  const libraries: CycloneDxBom['components'] = packages.map(([name, p]) => {
    const purl = pypiPurl(name, p.version);
    return {
      type: 'library',
      'bom-ref': purl,
      name,
      ...(p.version ? { version: p.version } : {}),
      purl,
      // An open requirement ("numpy>=1.24") has no single version: keep what was asked for.
      ...(p.version ? {} : { properties: [{ name: 'greenhouse:specifier', value: p.specifier ?? '' }] }),
    };
  });
  const model: CycloneDxBom['components'] = input.model
    ? [
        {
          type: 'machine-learning-model',
          'bom-ref': `greenhouse:model/${input.model.name}@${input.model.version}`,
          name: input.model.name,
          version: String(input.model.version),
          hashes: [{ alg: 'SHA-256', content: input.model.sha256 }],
        },
      ]
    : [];
  const components = [...model, ...libraries];
  const pythonProps = input.python ? [{ name: 'greenhouse:python.version', value: input.python }] : [];

  const serialSeed = stableJson({
    bundle: input.bundle,
    python: input.python,
    model: input.model ?? null,
    packages: packages.map(([name, p]) => ({ name, version: p.version, specifier: p.specifier })),
  });
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    serialNumber: `urn:uuid:${uuidV5(serialSeed)}`,
    version: 1,
    metadata: {
      timestamp: createdAt.toISOString(),
      tools: { components: [{ type: 'application', name: APP_NAME, version: input.greenhouseVersion ?? APP_VERSION }] },
      component: {
        type: 'application',
        'bom-ref': rootRef,
        name: input.bundle.name,
        version: String(input.bundle.version),
        description: `Model service for ${input.bundle.name} version ${input.bundle.version}, packaged by ${APP_NAME}.`,
        properties: pythonProps,
      },
    },
    components,
    // Only the service's direct dependencies are known; listing a package with an empty
    // dependsOn would claim it has none (CycloneDX), so packages are left out of the graph.
    dependencies: [{ ref: rootRef, dependsOn: components.map((c) => c['bom-ref']) }],
  };
}

/** The bytes of sbom.cdx.json. */
export const sbomJson = (input: SbomInput) => stableJson(buildSbom(input));
