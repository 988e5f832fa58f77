import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { parsePlainJson } from './json-text';
import { parseMesh } from './load';
import { MeshConfigError } from './mesh-config-error';

const EXAMPLE = parse(readFileSync(resolve(__dirname, '../../deploy/mesh.example.yaml'), 'utf8')) as object;

test('plain JSON reads as the YAML parser reads it', () => {
  const text = JSON.stringify(EXAMPLE, null, 2);
  expect(parsePlainJson(text)).toEqual(parse(text));
  expect(parsePlainJson(`\n  ${text}`)).toEqual(EXAMPLE);
});

test('YAML, broken JSON and JSON with a repeated key (at any depth) are left to the YAML parser', () => {
  expect(parsePlainJson('services: []')).toBeUndefined();
  expect(parsePlainJson('{"services": [')).toBeUndefined();
  expect(parsePlainJson('{"services": [], "services": []}')).toBeUndefined();
  expect(parsePlainJson('{"services": [{"a": {"b": 1, "b": 2}}]}')).toBeUndefined();
  // the same key in sibling objects is no repeat
  expect(parsePlainJson('{"services": [{"a": 1}, {"a": 2}]}')).toEqual({ services: [{ a: 1 }, { a: 2 }] });
});

test('a repeated key in a JSON mesh is still a located error, as in YAML', () => {
  const text = JSON.stringify(EXAMPLE, null, 2).replace('"ingress": "internal"', '"ingress": "internal",\n      "ingress": "internal"');
  expect(text).not.toBe(JSON.stringify(EXAMPLE, null, 2));
  let error: unknown;
  try {
    parseMesh(text, 'mesh.json');
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(MeshConfigError);
  const problems = (error as MeshConfigError).problems;
  expect(problems).toHaveLength(1);
  expect(problems[0]!.path).toMatch(/^line \d+, column \d+$/);
  expect(problems[0]!.message).toMatch(/unique/i);
});
