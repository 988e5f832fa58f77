import { readFileSync } from 'node:fs';
import { GENERATED_FILE, validatorSource } from './schema-validator-source';

describe('the precompiled mesh schema validator', () => {
  it('is up to date with mesh.schema.json (regenerate: npx ts-node --transpile-only functions/config/schema-validator-source.ts)', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(validatorSource());
  });
});
