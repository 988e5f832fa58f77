// The chain a request walks, link by link, with each link's state as one read round found it:
// internal address → forwarding rule → target proxy → URL map → backend service → serverless NEG
// → Cloud Run service. Pure: a view of the plan's drift, so the CLI picture, Slack and the report
// say the same thing about every link.
import { assertNever } from '../assert-never';
import type { ResourceKind } from '../config/mesh';
import type { Drift, Outcome } from './model';

export type LinkKind = ResourceKind | 'runService';

/** Traffic order, from the address a client dials to the service that answers. */
export const CHAIN_ORDER: readonly LinkKind[] = [
  'address',
  'forwardingRule',
  'targetProxy',
  'urlMap',
  'backendService',
  'neg',
  'runService',
];

/** ok: as declared; missing: absent; drifted: present but differs; unknown: not read (the read failed). */
export type LinkState = 'ok' | 'missing' | 'drifted' | 'unknown';

export interface ChainLink {
  kind: LinkKind;
  name: string;
  state: LinkState;
  /** What differs on a drifted link: field names (`ingress` for the Cloud Run service). */
  fields: string[];
}

/** The seven links of an outcome's service as its first read found them; all `unknown` when that read failed. */
export function chainOf(outcome: Pick<Outcome, 'plan' | 'readError'>): ChainLink[] {
  const { plan } = outcome;
  // A failed verification read leaves the first read's drift standing; a failed first read leaves none.
  const readFailed = outcome.readError !== undefined && plan.drift.length === 0;
  return CHAIN_ORDER.map((kind) => {
    const name = kind === 'runService' ? plan.service : plan.names[kind];
    if (readFailed) return { kind, name, state: 'unknown', fields: [] };
    const drift = plan.drift.filter((d) => linkOf(d) === kind);
    if (drift.some((d) => d.type === 'missing' || d.type === 'service-missing')) return { kind, name, state: 'missing', fields: [] };
    const fields = drift.map((d) => (d.type === 'mutable' || d.type === 'immutable' ? d.field : 'ingress'));
    return { kind, name, state: fields.length > 0 ? 'drifted' : 'ok', fields };
  });
}

/** The link a drift is about; none for a client's drift (clients reach the service from outside the chain). */
export function linkOf(drift: Drift): LinkKind | undefined {
  switch (drift.type) {
    case 'service-missing':
    case 'ingress':
      return 'runService';
    case 'missing':
    case 'mutable':
    case 'immutable':
      return drift.kind;
    case 'client-missing':
    case 'client-egress':
      return undefined;
    default:
      return assertNever(drift);
  }
}
