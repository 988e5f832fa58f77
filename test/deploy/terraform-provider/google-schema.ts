// The committed, pruned google provider schema (written by google-schema-generate.ts): what the
// stand-in provider serves and what the freshness test checks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TypeSchema } from './cdktf-schema';

export const GENERATED_SCHEMA = join(__dirname, 'google-schema.generated.json');

export interface PrunedSchema {
  /** What the schema was read from and how to read it again. */
  source: { package: string; version: string; provider_version: string; regenerate: string };
  /** sha256 of the JSON of provider, resource_schemas and data_source_schemas (hand edits show). */
  content_sha256: string;
  provider: TypeSchema;
  resource_schemas: Record<string, TypeSchema>;
  data_source_schemas: Record<string, TypeSchema>;
}

export function readGeneratedSchema(): PrunedSchema {
  return JSON.parse(readFileSync(GENERATED_SCHEMA, 'utf8')) as PrunedSchema;
}
