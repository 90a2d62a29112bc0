// readiness.json's JSON Schema, generated from its zod definition (readinessReport in
// shared/contract/readiness.ts) so that the two cannot drift apart; a test fails while the
// committed resources/schema/readiness.schema.json differs from what this prints.
//   npx tsx scripts/readiness-schema.ts           write the file
//   npx tsx scripts/readiness-schema.ts --check   exit 1 when the file is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { READINESS_SCHEMA, readinessReport } from '../shared/contract/readiness.js';

export const READINESS_SCHEMA_FILE = fileURLToPath(new URL('../resources/schema/readiness.schema.json', import.meta.url));

/** The JSON Schema (draft 2020-12) of readiness.json, with its identity first. */
export function readinessJsonSchema(): Record<string, unknown> {
  // 'output': the document as Greenhouse writes it (every field present).
  const { $schema, ...body } = z.toJSONSchema(readinessReport, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  return {
    $schema,
    $id: `https://greenhouse.local/schema/${READINESS_SCHEMA}.json`,
    title: `Greenhouse readiness report (${READINESS_SCHEMA})`,
    description:
      'readiness.json in a Greenhouse bundle: the ML Test Score checklist (Breck et al., 2017) evaluated for one bundle, with its evidence, attestations, hand-off gates, reviews, score and verdict. Generated from shared/contract/readiness.ts; do not edit by hand.',
    ...body,
  };
}

/** The file's exact text: two-space JSON and a final newline. */
export const readinessSchemaText = () => `${JSON.stringify(readinessJsonSchema(), null, 2)}\n`;

function main(args: string[]) {
  const text = readinessSchemaText();
  if (args.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(READINESS_SCHEMA_FILE, 'utf8');
    } catch {
      // missing counts as out of date
    }
    if (current !== text) {
      console.error(`${READINESS_SCHEMA_FILE} is out of date: run npx tsx scripts/readiness-schema.ts`);
      process.exit(1);
    }
    console.log(`${READINESS_SCHEMA_FILE} is up to date.`);
    return;
  }
  writeFileSync(READINESS_SCHEMA_FILE, text);
  console.log(`wrote ${READINESS_SCHEMA_FILE}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
