import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildSbom, pypiPurl, sbomJson, uuidV5, type SbomInput } from './sbom.js';
import { sha } from './test-fixture.js';

// The parts of the CycloneDX 1.5 JSON schema (bom-1.5.schema.json) that cover what Greenhouse
// emits: required top-level fields, the serial number pattern, date-time timestamps, the
// component type enum, hash algorithms and their content patterns, refs and dependencies.
const refType = z.string().min(1);
const property = z.object({ name: z.string(), value: z.string() }).strict();
const hash = z
  .object({
    alg: z.enum(['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'SHA3-256', 'SHA3-384', 'SHA3-512', 'BLAKE2b-256', 'BLAKE2b-384', 'BLAKE2b-512', 'BLAKE3']),
    content: z.string().regex(/^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$/),
  })
  .strict();
const componentType = z.enum([
  'application', 'framework', 'library', 'container', 'platform', 'operating-system', 'device', 'device-driver',
  'firmware', 'file', 'machine-learning-model', 'data',
]);
const component = z
  .object({
    type: componentType,
    'bom-ref': refType.optional(),
    name: z.string(),
    version: z.string().optional(),
    description: z.string().optional(),
    purl: z.string().regex(/^pkg:[a-z][a-z0-9.+-]*\/.+/).optional(),
    hashes: z.array(hash).optional(),
    properties: z.array(property).optional(),
  })
  .strict();
const cycloneDx15 = z
  .object({
    bomFormat: z.literal('CycloneDX'),
    specVersion: z.literal('1.5'),
    serialNumber: z.string().regex(/^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/),
    version: z.number().int().min(1),
    metadata: z
      .object({
        timestamp: z.iso.datetime(),
        tools: z.object({ components: z.array(component) }).strict(),
        component,
      })
      .strict(),
    components: z.array(component),
    dependencies: z.array(z.object({ ref: refType, dependsOn: z.array(refType) }).strict()),
  })
  .strict()
  .superRefine((bom, ctx) => {
    // bom-refs are unique, and dependencies only name refs that exist.
    const refs = [bom.metadata.component['bom-ref'], ...bom.components.map((c) => c['bom-ref'])];
    if (new Set(refs).size !== refs.length) ctx.addIssue({ code: 'custom', message: 'duplicate bom-ref' });
    for (const d of bom.dependencies) {
      for (const r of [d.ref, ...d.dependsOn]) if (!refs.includes(r)) ctx.addIssue({ code: 'custom', message: `unknown ref ${r}` });
    }
  });

const input = (over: Partial<SbomInput> = {}): SbomInput => ({
  bundle: { name: 'churn', version: 3, createdAt: '2026-11-29T10:00:00.000Z' },
  python: '3.11.2',
  packages: [
    { name: 'scikit-learn', version: '1.2.1', specifier: null },
    { name: 'numpy', version: '1.24.2', specifier: null },
    { name: 'torch', version: '2.1.0+cpu', specifier: null },
    { name: 'pandas', version: null, specifier: '>=1.5,<2' },
  ],
  model: { name: 'churn', version: 3, sha256: sha('model') },
  ...over,
});

describe('the CycloneDX SBOM', () => {
  it('has the shape of a CycloneDX 1.5 BOM', () => {
    const bom = JSON.parse(sbomJson(input()));
    expect(cycloneDx15.safeParse(bom).error?.issues ?? []).toEqual([]);
    expect(bom.metadata.timestamp).toBe('2026-11-29T10:00:00.000Z');
    expect(bom.metadata.component).toMatchObject({ type: 'application', name: 'churn', version: '3' });
    expect(bom.metadata.component.properties).toEqual([{ name: 'greenhouse:python.version', value: '3.11.2' }]);
  });

  it('lists each package as a library with a PyPI purl, sorted by name', () => {
    const bom = buildSbom(input());
    const libs = bom.components.filter((c) => c.type === 'library');
    expect(libs.map((c) => c.name)).toEqual(['numpy', 'pandas', 'scikit-learn', 'torch']);
    expect(libs[0]).toEqual({ type: 'library', 'bom-ref': 'pkg:pypi/numpy@1.24.2', name: 'numpy', version: '1.24.2', purl: 'pkg:pypi/numpy@1.24.2' });
    expect(libs.find((c) => c.name === 'torch')?.purl).toBe('pkg:pypi/torch@2.1.0%2Bcpu');
    // An open requirement: no version, the specifier kept as a property.
    expect(libs.find((c) => c.name === 'pandas')).toEqual({
      type: 'library', 'bom-ref': 'pkg:pypi/pandas', name: 'pandas', purl: 'pkg:pypi/pandas',
      properties: [{ name: 'greenhouse:specifier', value: '>=1.5,<2' }],
    });
    const model = bom.components.find((c) => c.type === 'machine-learning-model');
    expect(model?.hashes).toEqual([{ alg: 'SHA-256', content: sha('model') }]);
    expect(bom.dependencies).toHaveLength(1);
    expect(bom.dependencies[0]?.dependsOn).toHaveLength(5);
  });

  it('is reproducible: same inputs (in any order) give the same bytes and serial; other inputs another serial', () => {
    const a = sbomJson(input());
    const shuffled = input();
    shuffled.packages.reverse();
    expect(sbomJson(shuffled)).toBe(a);
    const serial = (s: string) => JSON.parse(s).serialNumber as string;
    expect(serial(a)).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const bumped = input();
    bumped.packages[0] = { name: 'scikit-learn', version: '1.3.0', specifier: null };
    expect(serial(sbomJson(bumped))).not.toBe(serial(a));
    expect(serial(sbomJson(input({ bundle: { name: 'churn', version: 4, createdAt: '2026-11-29T10:00:00.000Z' } })))).not.toBe(serial(a));
  });

  it('works without a Python version or model, and with no packages', () => {
    const bom = JSON.parse(sbomJson(input({ python: null, model: undefined, packages: [] })));
    expect(cycloneDx15.safeParse(bom).success).toBe(true);
    expect(bom.components).toEqual([]);
  });

  it('refuses a creation time that is not a date', () => {
    expect(() => buildSbom(input({ bundle: { name: 'x', version: 1, createdAt: 'yesterday' } }))).toThrow(/not a date/);
  });
});

describe('helpers', () => {
  it('uuidV5 matches RFC 9562 name-based UUIDs (Python: uuid5(NAMESPACE_DNS, "python.org"))', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('pypiPurl normalises the name and encodes the version', () => {
    expect(pypiPurl('Scikit_Learn', '1.2.1')).toBe('pkg:pypi/scikit-learn@1.2.1');
    expect(pypiPurl('x', '1!2.0')).toBe('pkg:pypi/x@1%212.0');
    expect(pypiPurl('x', null)).toBe('pkg:pypi/x');
  });
});
