// The layering, as ESLint rules (flat config objects), so it is checked rather than hoped:
// test/architecture/layering.test.ts lints the tree with exactly these in `npm test`, and
// eslint.config.js includes them for editors and `npm run lint`.
//
// - The pure core (functions/config, functions/events, functions/reconcile) loads no Google client
//   library and touches no environment or process: it is given values, it does not fetch them.
// - Google's Compute/Cloud Run clients are loaded only by functions/gcp's adapter and client
//   modules; the Pub/Sub client only by functions/pubsub-client.ts, which makes it for every
//   publisher and subscriber; the Functions Framework only by the entry point.
// - The product (functions/**, tests aside) imports nothing from test/ or bench/.
// - The emulator's sources (test/emulator, its tests aside) import nothing from functions/, so it
//   checks the product's assumptions instead of sharing them.
//
// Imports are checked as `import`, `import()` and `require()` alike: the product loads Google
// clients lazily with `require` so the idle path stays cheap. Type-only imports are allowed
// where noted: they vanish at compile time.

const COMPUTE_AND_RUN = ['@google-cloud/compute', '@google-cloud/run', 'google-gax', 'google-auth-library', 'googleapis'];
const PUBSUB = ['@google-cloud/pubsub'];
const FRAMEWORK = ['@google-cloud/functions-framework'];
const ALL_GOOGLE = [...COMPUTE_AND_RUN, ...PUBSUB, ...FRAMEWORK];

/** Which files may load which Google library (everything else under functions/ may load none). */
const GOOGLE_OWNERS = [
  {
    // clients.ts makes the clients; compute-protos*.ts, gax-import.ts and status-protos.ts shape how they load (cold start).
    files: [
      'functions/gcp/adapter.ts',
      'functions/gcp/clients.ts',
      'functions/gcp/compute-protos*.ts',
      'functions/gcp/gax-import.ts',
      'functions/gcp/status-protos.ts',
    ],
    allowed: COMPUTE_AND_RUN,
  },
  { files: ['functions/pubsub-client.ts'], allowed: PUBSUB },
  { files: ['functions/index.ts'], allowed: FRAMEWORK },
];

const PURE_CORE = ['functions/config/**/*.ts', 'functions/events/**/*.ts', 'functions/reconcile/**/*.ts'];

/** Modules that read the environment or own process-wide state: the core is handed what they produce. */
const EDGE_MODULES = ['composition-root', 'index', 'shutdown', 'self-principal', 'log', 'gcp/adapter', 'gcp/clients'];

/**
 * Known exceptions, each to be removed (with its entry below) by the change that fixes it:
 * - The CLI's `emulator` command loads the local emulator from test/emulator when asked for.
 */
const PRODUCT_EXCEPTIONS = ['functions/cli/emulator.ts'];

/** The emulator's own tests and test-* helpers may drive the product; its sources may not. */
const EMULATOR_DRIVERS = ['test/emulator/**/*.test.ts', 'test/emulator/**/test-*.ts'];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const oneOf = (names) => `^(${names.map(escape).join('|')})(/|$)`;

/** The same restriction for `import`/`export from` (no-restricted-imports) and for `require()`/`import()` (no-restricted-syntax). */
function restrict(groups) {
  const patterns = groups.map(({ regex, message, allowTypeImports = false }) => ({ regex, message, allowTypeImports }));
  // esquery's regex literals cannot hold a slash, escaped or not: spell it \x2F.
  const selectorRegex = (regex) => regex.replace(/\\?\//g, '\\x2F');
  const calls = groups.flatMap(({ regex, message }) => [
    { selector: `CallExpression[callee.name='require'] > Literal.arguments[value=/${selectorRegex(regex)}/]`, message },
    { selector: `ImportExpression > Literal.source[value=/${selectorRegex(regex)}/]`, message },
  ]);
  return {
    '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
    'no-restricted-syntax': ['error', ...calls],
  };
}

const notTestOrBench = {
  regex: '(^|/)(test|bench)/',
  message: 'The product must not depend on tests or the bench (they are not deployed).',
};
const google = (names, where) => ({ regex: oneOf(names), message: `${names.join(', ')}: only ${where} may load this Google library.` });
const coreGoogle = {
  regex: oneOf(ALL_GOOGLE),
  message: 'The pure core loads no Google client library: it works on values the adapter reads.',
};
const coreEdge = {
  regex: `^\\.\\./(${EDGE_MODULES.map(escape).join('|')})$`,
  message: 'The pure core does not reach the environment or process-wide state: it is handed what these modules produce.',
  allowTypeImports: true,
};
const noProduct = {
  regex: '(^|/)functions(/|$)',
  message: 'The emulator depends on no product code: it checks the product, it does not share its assumptions.',
};

const ownerOf = (name) => GOOGLE_OWNERS.find((owner) => owner.allowed.includes(name));
const googleOutsideOwners = (except = []) =>
  ALL_GOOGLE.filter((name) => !except.includes(name)).map((name) =>
    google([name], ownerOf(name) ? ownerOf(name).files.join(', ') : 'no product file'),
  );

module.exports = [
  {
    files: ['functions/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict([notTestOrBench, ...googleOutsideOwners()]),
  },
  {
    files: PRODUCT_EXCEPTIONS,
    rules: restrict(googleOutsideOwners()),
  },
  ...GOOGLE_OWNERS.map((owner) => ({
    files: owner.files,
    ignores: ['**/*.test.ts'], // compute-protos*.ts names its test too
    rules: restrict([notTestOrBench, ...googleOutsideOwners(owner.allowed)]),
  })),
  {
    files: PURE_CORE,
    ignores: ['**/*.test.ts'],
    rules: {
      ...restrict([notTestOrBench, coreGoogle, coreEdge]),
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The pure core reads no environment and touches no process: take the value as a parameter.' },
      ],
    },
  },
  {
    files: ['test/emulator/**/*.ts'],
    ignores: EMULATOR_DRIVERS,
    rules: restrict([noProduct]),
  },
];
