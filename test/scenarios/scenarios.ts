// The drift scenarios, as data: how a person breaks the mesh, the policy in force,
// and the outcome the reconcile must reach. Run twice: straight through the reconciler over the
// real client libraries, and through the function's HTTP entry fed with the audit entries the
// breaking produced.
import { RESOURCE_KINDS, type Policy } from '../../functions/config/mesh';
import type { OutcomeStatus } from '../../functions/reconcile/model';
import type { DeclaredService } from '../../functions/config/mesh';
import type { DriftActor } from '../support/drift-actor';

export interface Scenario {
  name: string;
  breakIt(actor: DriftActor, s: DeclaredService): Promise<void>;
  policy?: Partial<Policy>;
  status: OutcomeStatus;
  /** true: the re-read shows the declared state; false: drift stays, and the outcome says why */
  converges: boolean;
  /** the outcome's reason must mention this (for the ones that do not converge) */
  reason?: RegExp;
}

export const PAUSED_UNTIL = '2999-01-01T00:00:00Z';

export const SCENARIOS: Scenario[] = [
  { name: 'ingress opened to all', breakIt: (a, s) => a.openIngress(s), status: 'repaired', converges: true },
  ...RESOURCE_KINDS.map((kind): Scenario => ({
    name: `${kind} deleted alone`,
    breakIt: (a, s) => a.deleteAlone(s, kind),
    status: 'repaired',
    converges: true,
  })),
  {
    name: 'all six deleted at once, ingress opened',
    breakIt: async (a, s) => {
      await a.openIngress(s);
      await a.deleteChain(s);
    },
    status: 'repaired',
    converges: true,
  },
  { name: 'NEG detached from the backend', breakIt: (a, s) => a.detachNeg(s), status: 'repaired', converges: true },
  {
    name: 'URL map pointed at another backend',
    breakIt: (a, s) => a.pointUrlMapAt(s, 'decoy-backend-svc'),
    status: 'repaired',
    converges: true,
  },
  { name: 'proxy re-pointed', breakIt: (a, s) => a.pointProxyAt(s, 'decoy-url-map'), status: 'repaired', converges: true },
  { name: 'forwarding rule re-pointed', breakIt: (a, s) => a.pointRuleAt(s, 'decoy-target-proxy'), status: 'repaired', converges: true },
  {
    name: 'immutable drift without recreate (rule on another port)',
    breakIt: (a, s) => a.recreateRuleOnPort(s, 8080),
    status: 'drift-detected',
    converges: false,
    reason: /recreateOnImmutableDrift/,
  },
  {
    name: 'immutable drift with recreate (rule on another port)',
    breakIt: (a, s) => a.recreateRuleOnPort(s, 8080),
    policy: { recreateOnImmutableDrift: true },
    status: 'repaired',
    converges: true,
  },
  {
    name: 'paused service, ingress opened',
    breakIt: async (a, s) => {
      await a.annotate(s, { 'mesh-remediator/paused-until': PAUSED_UNTIL });
      await a.openIngress(s);
    },
    status: 'paused',
    converges: false,
    reason: /2999-01-01/,
  },
  {
    name: 'dry-run, forwarding rule deleted',
    breakIt: (a, s) => a.deleteResource(s, 'forwardingRule'),
    policy: { dryRun: true },
    status: 'drift-detected',
    converges: false,
  },
];
