// Structural validation of a parsed mesh document against mesh.schema.json (ajv, strict mode,
// precompiled), with ajv's errors turned into operator-readable problems at JS-ish paths.
import type { ErrorObject } from 'ajv';
import { formatPath, type ConfigProblem } from './mesh-config-error';
// mesh.schema.json compiled ahead of time (schema-validator-source.ts): no ajv compile at cold start.
import { validate as generatedValidate } from './mesh-schema-validator.generated';

const check = generatedValidate as unknown as ((document: unknown) => boolean) & { errors?: ErrorObject[] | null };

export function schemaProblems(document: unknown): ConfigProblem[] {
  if (check(document)) return [];
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const error of check.errors ?? []) {
    const problem = toProblem(error);
    const id = `${problem.path}\0${problem.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      problems.push(problem);
    }
  }
  return problems;
}

function toProblem(error: ErrorObject): ConfigProblem {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const at = (...more: string[]) => formatPath([...segments, ...more]);
  const parent = (error.parentSchema ?? {}) as { properties?: object; 'x-hint'?: string };
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: at(String(params.missingProperty)), message: 'is required' };
    case 'additionalProperties': {
      const known = Object.keys(parent.properties ?? {}).join(', ');
      return { path: at(String(params.additionalProperty)), message: `is not a known field (known: ${known})` };
    }
    case 'enum':
      return { path: at(), message: `must be one of ${(params.allowedValues as unknown[]).join(', ')}${got(error.data)}` };
    case 'type':
      return { path: at(), message: `must be ${article(String(params.type))}${got(error.data)}` };
    case 'pattern':
    case 'const':
      return { path: at(), message: `${parent['x-hint'] ?? error.message}${got(error.data)}` };
    default:
      return { path: at(), message: `${error.message ?? error.keyword}${got(error.data)}` };
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function got(value: unknown): string {
  if (value === undefined) return '';
  const text = JSON.stringify(value) ?? String(value);
  return ` (got ${text.length > 60 ? text.slice(0, 57) + '...' : text})`;
}
