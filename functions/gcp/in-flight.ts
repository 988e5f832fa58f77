// The Google calls the adapter has sent and not yet had answered: what, where and since when.
// An API that accepts the connection and never answers is otherwise silent until the call's
// deadline (clients.ts, 60 s); the CLI reads this to say what it is waiting for (cli/waiting.ts).
import type { ResourceKind } from '../config/mesh';
import type { AdapterCall } from './permissions';
import type { ResourceRef } from './port';

export interface InFlightCall {
  api: 'Compute' | 'Cloud Run';
  call: AdapterCall;
  /** The resource path the call is about (projects/P/regions/R/forwardingRules/N, …/services/S). */
  resource: string;
  /** The chain resource, when the call is about one (so a reader can name its declared service). */
  target?: { kind: ResourceKind; ref: ResourceRef };
  /** host:port of an emulator, or Google's host. */
  endpoint: string;
  /** The variable that chose the endpoint (COMPUTE_EMULATOR_HOST); none for Google's own. */
  variable?: string;
  /** Date.now() when the call was sent. */
  startedAt: number;
}

export class InFlightCalls {
  // A Set keeps insertion order: the first entry is the oldest call still waiting.
  private readonly calls = new Set<InFlightCall>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Runs `send`, listed as in flight until it settles. */
  async track<T>(call: Omit<InFlightCall, 'startedAt'>, send: () => Promise<T>): Promise<T> {
    const entry: InFlightCall = { ...call, startedAt: this.now() };
    this.calls.add(entry);
    try {
      return await send();
    } finally {
      this.calls.delete(entry);
    }
  }

  /** The calls waiting now, oldest first. */
  list(): InFlightCall[] {
    return [...this.calls];
  }
}
