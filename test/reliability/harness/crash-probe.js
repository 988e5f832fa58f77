// Preloaded into every function process (node -r): counts unhandled rejections and uncaught
// exceptions by writing one JSON line each to stderr before the Functions Framework's own
// handler ends the process. RELIABILITY_PROBE_SELF_TEST=1 raises one at start, to prove the
// counter counts. Plain JavaScript so it preloads into the built function as well as the source.
'use strict';

function report(kind, reason) {
  const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
  process.stderr.write(JSON.stringify({ reliabilityProbe: kind, reason: text.slice(0, 500) }) + '\n');
}

process.on('unhandledRejection', (reason) => report('unhandledRejection', reason));
process.on('uncaughtException', (err) => report('uncaughtException', err));

if (process.env.RELIABILITY_PROBE_SELF_TEST === '1') void Promise.reject(new Error('crash-probe self-test'));
