// The client modules' own `require('google-gax')`, answered while they load by a stand-in instead
// of the package's main entry. Why: every generated client module (compute's, Cloud Run's) imports
// that entry at its top, and it loads gRPC (@grpc/grpc-js and @grpc/proto-loader, 77 modules:
// measured ~100 ms of CPU, about 8% of a cold instance's first reconcile), yet the clients here run
// over REST with the fallback module clients.ts hands them. Of that import a client module reads
// only `loggingUtils` (a field set at construction) and `decodeAnyProtosInArray` (long-running
// operation error details): docs/google-behaviour.md, "Client libraries". The stand-in answers the
// first with the very module google-gax exports and forwards every other read to the real entry,
// loaded then: behaviour is the same, only gRPC's load is skipped on the usual path.
// (Jest's module registry ignores writes to require.cache: there the modules get the real entry.)
import Module, { createRequire } from 'node:module';

type GaxMain = typeof import('google-gax');

/** Where a client module's `require('google-gax')` resolves to. */
function gaxMainId(clientModuleId: string): string {
  return createRequire(require.resolve(clientModuleId)).resolve('google-gax');
}

/** The module google-gax's main entry exports as `loggingUtils` (google-gax/build/src/index.js). */
function loggingUtilsOf(gaxId: string): unknown {
  return createRequire(gaxId)('google-logging-utils');
}

/**
 * The stand-in for google-gax's main entry at `gaxId`: `loggingUtils` at once, any other read from
 * the real entry, loaded on that read (after `beforeRealLoad`).
 */
export function gaxStandIn(gaxId: string, beforeRealLoad: () => void = () => undefined): GaxMain {
  let real: GaxMain | undefined;
  const gax = () => {
    if (!real) beforeRealLoad();
    return (real ??= require(gaxId) as GaxMain);
  };
  const loggingUtils = loggingUtilsOf(gaxId);
  return new Proxy({} as GaxMain, {
    get: (_, name) => (name === 'loggingUtils' ? loggingUtils : Reflect.get(gax(), name)),
    has: (_, name) => Reflect.has(gax(), name),
  });
}

/**
 * `require(clientModuleId)`, with the client module's `google-gax` import answered by the stand-in
 * (above) when the real main entry is not loaded yet. The stand-in is in the module cache only
 * while the client module loads: whatever requires google-gax later (Pub/Sub) gets the real one.
 */
export function requireClientModule<T>(clientModuleId: string): T {
  const gaxId = gaxMainId(clientModuleId);
  if (require.cache[gaxId]) return require(clientModuleId) as T;
  const module = new Module(gaxId);
  // A read the stand-in cannot answer loads the real entry, out of the stand-in's cache slot.
  const leaveCache = () => {
    if (require.cache[gaxId] === module) delete require.cache[gaxId];
  };
  module.filename = gaxId;
  module.loaded = true;
  module.exports = gaxStandIn(gaxId, leaveCache);
  require.cache[gaxId] = module;
  try {
    return require(clientModuleId) as T;
  } finally {
    leaveCache();
  }
}
