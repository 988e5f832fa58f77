// jest's order, with one correction for a run that has no timings (a clean clone, as in CI).
// Jest starts the suites it has timed longest first, so no long one is left for the end while the
// other worker idles; without timings it goes by file size, and some suites are small files that
// run long in child processes (prettier and eslint over the tree, terraform, gcloud, function
// and CLI processes, Pub/Sub pulls): those go first, in this order. With timings (a second local
// run) jest's order stands.
const { relative } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const LONG_RUNNING = [
  'test/reliability/chaos.test.ts',
  'test/reliability/chaos-snapshot-reads.test.ts',
  'test/reliability/',
  'test/cli/sweep-report.test.ts',
  'test/deploy/terraform-cli.test.ts',
  'test/architecture/style.test.ts',
  'test/cli/cli-process.test.ts',
  'test/emulator/gcloud.test.ts',
  'test/scenarios/gcloud-changes.test.ts',
  'test/cli/replay-subscription.test.ts',
];

class LongRunningFirst extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      if (test.duration != null) return LONG_RUNNING.length;
      const path = relative(test.context.config.rootDir, test.path).split('\\').join('/');
      const index = LONG_RUNNING.findIndex((prefix) => path.startsWith(prefix));
      return index < 0 ? LONG_RUNNING.length : index;
    };
    return super
      .sort(tests)
      .map((test, order) => ({ test, order, rank: rank(test) }))
      .sort((a, b) => a.rank - b.rank || a.order - b.order)
      .map(({ test }) => test);
  }
}

module.exports = LongRunningFirst;
