// One protobuf Root for google-gax's error decoding. Why: gax decodes every error response (each
// 404 of a read that finds a resource gone, each 409, 429, 503) with a new GoogleErrorDecoder, whose
// constructor builds a new Root from gax's status.json; every new Root then generates its types'
// decoding functions anew: measured ~2 ms of CPU per error response, where a reused Root takes
// ~0.3 ms. The decoder only reads its Root (lookups, decode, toObject), so one built once serves
// every decoder: protobufjs's Root.fromJSON answers that one descriptor object from a cache, and
// builds every other descriptor as before.
import { dirname, join } from 'node:path';
import type * as GaxFallback from 'google-gax/fallback';

type Root = GaxFallback.protobuf.Root;
type FromJson = (json: unknown, root?: Root) => Root;

const SHARED = Symbol('mesh-remediator.sharedStatusRoot');

/** gax's status.json, as googleError.js requires it (the same object: the module cache's). */
function statusProtosOf(): object {
  return require(join(dirname(require.resolve('google-gax/fallback')), '..', 'protos', 'status.json')) as object;
}

/** Makes `gax.protobuf.Root.fromJSON(statusJson)` build its Root once (idempotent). */
export function shareStatusRoot(gax: typeof GaxFallback): void {
  const RootClass = gax.protobuf.Root as unknown as { fromJSON: FromJson & { [SHARED]?: true } };
  if (RootClass.fromJSON[SHARED]) return;
  const build = RootClass.fromJSON.bind(RootClass);
  const statusJson = statusProtosOf();
  let shared: Root | undefined;
  const fromJSON = Object.assign(
    (json: unknown, root?: Root): Root => (json === statusJson && root === undefined ? (shared ??= build(json)) : build(json, root)),
    { [SHARED]: true as const },
  );
  RootClass.fromJSON = fromJSON;
}
