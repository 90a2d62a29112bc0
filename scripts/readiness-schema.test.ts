// readiness.json's JSON Schema: the committed file is what the zod definition generates, and a
// real JSON Schema validator (Ajv, draft 2020-12) accepts the reports Greenhouse writes and refuses
// broken ones, in agreement with zod.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { readinessReport, type ReadinessReport } from '../shared/contract/readiness.js';
import { READINESS } from '../electron/services/readiness/report-fixture.js';
import { READINESS_SCHEMA_FILE, readinessJsonSchema, readinessSchemaText } from './readiness-schema.js';

const committed = () => readFileSync(READINESS_SCHEMA_FILE, 'utf8');

// strict: Ajv refuses a schema with unknown keywords or contradictions rather than ignoring them.
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(committed()) as object);

/** A report as readiness.json holds it: written with JSON.stringify, read back with JSON.parse. */
const asFile = (report: ReadinessReport): unknown => JSON.parse(JSON.stringify(report));

describe('resources/schema/readiness.schema.json', () => {
  it('is up to date with the zod definition (regenerate: npx tsx scripts/readiness-schema.ts)', () => {
    expect(committed()).toBe(readinessSchemaText());
  });

  it('names itself and the readiness format it describes', () => {
    const schema = readinessJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toContain('greenhouse.readiness/1');
    expect(Object.keys(schema).slice(0, 4)).toEqual(['$schema', '$id', 'title', 'description']);
  });

  it('accepts a report as Greenhouse writes it', () => {
    const sample = asFile(readinessReport.parse(READINESS));
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts the variants: no image, no reviews, a ready verdict, an n/a check', () => {
    const r = structuredClone(READINESS);
    r.bundle.imageId = null;
    r.reviews = [];
    r.verdict = { ready: true, summary: 'Ready.' };
    r.checks[0] = { ...r.checks[0]!, status: 'na', points: 0, basis: 'none', remedy: null, attestation: null };
    expect(validate(asFile(r)), JSON.stringify(validate.errors)).toBe(true);
  });

  // zod strips a field it does not know (the readiness service writes only what it parsed), while
  // the schema refuses one: readiness.json has exactly the documented fields.
  it.each<[string, (r: Record<string, any>) => void, boolean]>([
    ['another schema version', (r) => (r.schema = 'greenhouse.readiness/2'), true],
    ['no verdict', (r) => delete r.verdict, true],
    ['an unknown check status', (r) => (r.checks[0].status = 'maybe'), true],
    ['an unknown gate', (r) => (r.gates[0].id = 'vibes-ok'), true],
    ['points as text', (r) => (r.score.final = '3'), true],
    ['a fractional bundle version', (r) => (r.bundle.version = 1.5), true],
    ['an attestation without its author', (r) => delete r.checks[1].attestation.by, true],
    ['an unknown review decision', (r) => (r.reviews[0].decision = 'maybe'), true],
    ['evidence without a value', (r) => delete r.checks[0].evidence[0].value, true],
    ['a field the format does not have', (r) => (r.bundle.extra = true), false],
  ])('refuses %s', (_, breakIt, zodRefuses) => {
    const broken = asFile(READINESS) as Record<string, any>;
    breakIt(broken);
    expect(validate(broken)).toBe(false);
    expect(readinessReport.safeParse(broken).success).toBe(!zodRefuses);
  });
});
