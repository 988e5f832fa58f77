// The four incidents the demo plays, each the way a person really causes it.
import type { DeclaredService } from '../../functions/config/mesh';
import { DECOY, type DriftActor } from '../support/drift-actor';

export interface DemoScenario {
  title: string;
  breakIt(actor: DriftActor, s: DeclaredService): Promise<void>;
}

export const DEMO_SCENARIOS: DemoScenario[] = [
  {
    title: 'Someone opens the service to the internet in the console (ingress → all)',
    breakIt: (a, s) => a.openIngress(s),
  },
  {
    title: 'A cleanup script deletes the forwarding rule',
    breakIt: (a, s) => a.deleteResource(s, 'forwardingRule'),
  },
  {
    title: `A Terraform run drops the NEG and the backend service (URL map moved to ${DECOY.backendService} first)`,
    breakIt: async (a, s) => {
      await a.deleteAlone(s, 'backendService');
      await a.deleteResource(s, 'neg');
    },
  },
  {
    title: `Someone rewires the URL map to ${DECOY.backendService}`,
    breakIt: (a, s) => a.pointUrlMapAt(s, DECOY.backendService),
  },
];
