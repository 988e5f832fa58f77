// Generates mesh-schema-validator.generated.ts: mesh.schema.json compiled by ajv ahead of time
// (ajv standalone), so loading a mesh at cold start needs neither ajv's compiler nor its code
// generation. schema-validator-source.test.ts fails when the generated file is stale. Regenerate:
//   npx ts-node --transpile-only functions/config/schema-validator-source.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import schema from './mesh.schema.json';

export const GENERATED_FILE = join(__dirname, 'mesh-schema-validator.generated.ts');

/** The options schema-check.ts relies on: every error, with its data and parent schema (x-hint). */
export function createAjv(standalone: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, code: { source: standalone, esm: true } });
  ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
  return ajv;
}

export function validatorSource(): string {
  const ajv = createAjv(true);
  const code = standaloneCode(ajv, ajv.compile(schema));
  return [
    '/* eslint-disable */',
    '// @ts-nocheck',
    '// GENERATED from mesh.schema.json by schema-validator-source.ts (ajv standalone). Do not edit.',
    code.replace(/^"use strict";\n?/, ''),
    '',
  ].join('\n');
}

if (require.main === module) writeFileSync(GENERATED_FILE, validatorSource());
