// Waiting until everything a function process has logged so far is in the Transcript. Its stdout
// is a pipe the suite reads as data comes, so a line written before an HTTP answer can still be in
// the pipe when the answer arrives. A marker event the function skips at once (a method it does
// not handle: no mesh, no Google call) is logged after those lines, through the same pipe: once
// the marker's skip line is in, every line before it is too.
import { computeEntry } from '../../fixtures/events';
import { envelope } from '../../support/envelopes';
import type { FunctionProcess } from '../../support/function-process';
import { acknowledged, post } from './deliver';
import type { Transcript } from './transcript';

let markers = 0;

/** Resolves once every line `fn` (started by the rig as `fn.name`) logged before this call is in `transcript`. */
export async function allLogged(fn: FunctionProcess, transcript: Transcript): Promise<void> {
  markers += 1;
  // The skip line names the method (not the insertId): the marker's own method name tells its line apart.
  const method = `v1.compute.instances.logBarrier${markers}`;
  const marker = computeEntry();
  marker.insertId = `log-barrier-${markers}`;
  marker.protoPayload.methodName = method;
  const answer = await post(fn.url, envelope(marker, 'pubsub-structured', String(2e15 + markers)));
  if (!acknowledged(answer.status))
    throw new Error(`${fn.name} did not acknowledge the log barrier's marker: ${answer.status} ${answer.body}`);
  await transcript.waitFor(`${fn.name}:`, (r) => r.skipReason === 'unhandled-method' && String(r.message).includes(` ${method} `));
}
