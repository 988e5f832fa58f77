// The incidents the demo plays, each the way a person really causes it: four on the load balancer
// half of the path (server-service and its chain), two on the client half (client-service's VPC
// egress, which must keep reaching the load balancer's internal IP).
import type { DeclaredService, Policy } from '../../functions/config/mesh';
import { DECOY, type DriftActor } from '../support/drift-actor';

export interface DemoScenario {
  title: string;
  /** What the function must end with: the drift repaired, or only reported (a repair the policy does not allow). */
  expect: 'repaired' | 'reported';
  /** A new mesh version before the incident (so a new function instance, as a new secret version deploys one). */
  policy?: Partial<Policy>;
  breakIt(actor: DriftActor, s: DeclaredService): Promise<void>;
}

/** The declared client the client-half incidents break (deploy/mesh.example.yaml declares client-service). */
export function clientOf(s: DeclaredService): DeclaredService['clients'][number] {
  const client = s.clients[0];
  if (!client) throw new Error(`${s.key} declares no client: the demo mesh must list client-service under clients`);
  return client;
}

export const DEMO_SCENARIOS: DemoScenario[] = [
  {
    title: 'Someone opens the service to the internet in the console (ingress → all)',
    expect: 'repaired',
    breakIt: (a, s) => a.openIngress(s),
  },
  {
    title: 'A cleanup script deletes the forwarding rule',
    expect: 'repaired',
    breakIt: (a, s) => a.deleteResource(s, 'forwardingRule'),
  },
  {
    title: `A Terraform run drops the NEG and the backend service (URL map moved to ${DECOY.backendService} first)`,
    expect: 'repaired',
    breakIt: async (a, s) => {
      await a.deleteAlone(s, 'backendService');
      await a.deleteResource(s, 'neg');
    },
  },
  {
    title: `Someone rewires the URL map to ${DECOY.backendService}`,
    expect: 'repaired',
    breakIt: (a, s) => a.pointUrlMapAt(s, DECOY.backendService),
  },
  {
    title:
      "Someone widens client-service's VPC egress to all traffic with gcloud (Cloud Run v1 ReplaceService): " +
      'reported only, as repairing it deploys a new revision of the client (policy.repairClientEgress is off by default)',
    expect: 'reported',
    breakIt: (a, s) => a.setVpcEgressV1(clientOf(s), 'all-traffic'),
  },
  {
    title:
      'The team sets policy.repairClientEgress: true (a new mesh version, a new function instance); ' +
      "then someone removes client-service's VPC access in the console (v2 UpdateService)",
    expect: 'repaired',
    policy: { repairClientEgress: true },
    breakIt: (a, s) => a.removeVpcAccess(clientOf(s)),
  },
];
