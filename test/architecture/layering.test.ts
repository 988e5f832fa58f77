// The layering rules (eslint.layering.js) hold for the tree (checked by the linter npm test runs), and
// each one fails a file that breaks it: a rule that never fires would let the layering rot unseen.
import { join } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = join(__dirname, '..', '..');

const layering = require(join(ROOT, 'eslint.layering.js')) as Linter.Config[];

const linter = new Linter({ cwd: ROOT, configType: 'flat' });
const config: Linter.Config[] = [
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { '@typescript-eslint': tseslint.plugin as never } },
  ...layering,
];

/** "rule: message" for each problem ESLint finds in `code` as if it were the file at `path`. */
function problems(path: string, code: string): string[] {
  return linter.verify(code, config, join(ROOT, path)).map((m) => `${m.line} ${m.ruleId}: ${m.message}`);
}

// The tree itself is linted with these rules by the linter npm test runs (style.test.ts runs eslint
// with eslint.config.js over functions, test, bench and deploy): they must be there, last, so no
// later entry switches one off. Linting the tree a second time here would only repeat that run.
test('the linter npm test runs over the tree applies every layering rule, last', () => {
  const lint = require(join(ROOT, 'eslint.config.js')) as Linter.Config[];
  expect(layering.length).toBeGreaterThan(0);
  expect(lint.slice(-layering.length)).toEqual(layering);
  expect(lint.slice(-layering.length).every((entry, i) => entry === layering[i])).toBe(true);
});

describe('each rule fails a file that breaks it', () => {
  test.each([
    [
      'the pure core imports a Google client',
      'functions/reconcile/x.ts',
      "import { RegionsClient } from '@google-cloud/compute';\nexport const c = RegionsClient;",
    ],
    ['the pure core requires one lazily', 'functions/events/x.ts', "export const load = () => require('@google-cloud/run');"],
    ['the pure core imports one dynamically', 'functions/config/x.ts', "export const load = () => import('google-gax');"],
    ['the pure core reads the environment', 'functions/config/x.ts', 'export const path = process.env.MESH_CONFIG;'],
    [
      'the pure core imports the composition root',
      'functions/reconcile/x.ts',
      "import { compose } from '../composition-root';\nexport const e = compose;",
    ],
    [
      'a product file outside the adapter loads the Compute client',
      'functions/notify/x.ts',
      "import { UrlMapsClient } from '@google-cloud/compute';\nexport const c = UrlMapsClient;",
    ],
    ['the adapter loads the Pub/Sub client', 'functions/gcp/adapter.ts', "export const load = () => require('@google-cloud/pubsub');"],
    [
      'a publisher loads the Pub/Sub client itself instead of through pubsub-client.ts',
      'functions/notify/report.ts',
      "export const load = () => import('@google-cloud/pubsub');",
    ],
    [
      'the product imports the test kit',
      'functions/cli/x.ts',
      "import { freePort } from '../../test/support/free-port';\nexport const f = freePort;",
    ],
    ['the product imports the bench', 'functions/x.ts', "import { PROBE } from '../bench/paths';\nexport const p = PROBE;"],
    [
      'the emulator imports product code',
      'test/emulator/compute.ts',
      "import { RESOURCE_KINDS } from '../../functions/config/mesh';\nexport const k = RESOURCE_KINDS;",
    ],
  ])('%s', (_what, path, code) => {
    const found = problems(path, code);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^\d+ (@typescript-eslint\/no-restricted-imports|no-restricted-syntax|no-restricted-globals): /);
  });

  test.each([
    ['the adapter loads the Compute client', 'functions/gcp/clients.ts', "export const load = () => require('@google-cloud/compute');"],
    [
      'the one Pub/Sub client module loads the Pub/Sub client',
      'functions/pubsub-client.ts',
      "export const load = () => import('@google-cloud/pubsub');",
    ],
    [
      'the pure core imports only a type from the logger',
      'functions/reconcile/x.ts',
      "import type { Logger } from '../log';\nexport type L = Logger;",
    ],
    [
      'an emulator test drives the product',
      'test/emulator/x.test.ts',
      "import { main } from '../../functions/cli/main';\nexport const m = main;",
    ],
    [
      'a product test uses the test kit',
      'functions/cli/x.test.ts',
      "import { freePort } from '../../test/support/free-port';\nexport const f = freePort;",
    ],
  ])('and lets this be: %s', (_what, path, code) => {
    expect(problems(path, code)).toEqual([]);
  });
});
