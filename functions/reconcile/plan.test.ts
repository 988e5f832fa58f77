import { RESOURCE_KINDS } from '../config/mesh';
import type { Plan, Step } from './model';
import type { ObservedMesh } from './observe';
import { hasSteps, IMMUTABLE_REASON, planRepair, SERVICE_MISSING_REASON } from './plan';
import { SERVERLESS_REFUSED_REASON } from './serverless-backend';
import { declaredSnapshot, demoService } from '../../test/support/fake-port';

const svc = demoService();
const URL = 'https://www.googleapis.com/compute/v1/projects/demo-project/regions/asia-northeast1';
const keep = { recreateOnImmutableDrift: false };
const recreate = { recreateOnImmutableDrift: true };

function observed(change: (o: ObservedMesh) => void = () => undefined): ObservedMesh {
  const o = declaredSnapshot(svc);
  change(o);
  return o;
}

/** Levels as short labels: "create:urlMap", "mutate:forwardingRule", "delete:neg", "setIngress". */
function shape(plan: Plan): string[][] {
  return plan.levels.map((level) => level.map(label));
}
function label(step: Step): string {
  return 'kind' in step ? `${step.action}:${step.kind}` : step.action;
}

describe('planRepair', () => {
  it('plans nothing for a mesh in sync', () => {
    const plan = planRepair(svc, observed(), keep, false);
    expect(plan).toMatchObject({ serviceKey: svc.key, drift: [], levels: [], unrepaired: [] });
    expect(hasSteps(plan)).toBe(false);
  });

  it('rebuilds the whole chain in dependency levels, ingress beside the first', () => {
    const plan = planRepair(
      svc,
      observed((o) => {
        o.service!.ingress = 'all';
        for (const kind of RESOURCE_KINDS) o.resources[kind] = null;
      }),
      keep,
      false,
    );
    expect(shape(plan)).toEqual([
      ['setIngress', 'create:address', 'create:neg'],
      ['create:backendService'],
      ['create:urlMap'],
      ['create:targetProxy'],
      ['create:forwardingRule'],
    ]);
    expect(plan.levels[0]![0]).toEqual({ action: 'setIngress', service: 'server-service', ingress: 'internal', etag: 'etag-1' });
  });

  it('creates a missing resource and leaves its correctly-pointing dependents alone', () => {
    const plan = planRepair(
      svc,
      observed((o) => (o.resources.urlMap = null)),
      keep,
      false,
    );
    expect(shape(plan)).toEqual([['create:urlMap']]);
  });

  it('never mutates a resource it creates', () => {
    const plan = planRepair(
      svc,
      observed((o) => {
        o.resources.backendService = null;
        o.resources.urlMap!.defaultService = `${URL}/backendServices/other`;
      }),
      keep,
      false,
    );
    expect(shape(plan)).toEqual([['create:backendService'], ['mutate:urlMap']]);
  });

  it('patches the backend with the observed fingerprint, keeping other backends and adding the NEG', () => {
    const canary = { group: `${URL}/networkEndpointGroups/canary`, balancingMode: 'UTILIZATION', capacityScaler: 1 };
    const plan = planRepair(
      svc,
      observed((o) => {
        o.resources.backendService!.backends = [canary];
        o.resources.backendService!.sessionAffinity = 'CLIENT_IP';
      }),
      keep,
      false,
    );
    expect(plan.levels).toEqual([
      [
        {
          action: 'mutate',
          kind: 'backendService',
          name: 'internal-lb-backend-svc',
          mutation: {
            kind: 'backendService',
            method: 'patch',
            ref: { project: 'demo-project', region: 'asia-northeast1', name: 'internal-lb-backend-svc' },
            fingerprint: 'fp-backendService',
            fields: {
              backends: [
                canary,
                { group: `${URL}/networkEndpointGroups/internal-lb-neg`, balancingMode: 'UTILIZATION', capacityScaler: 1 },
              ],
              sessionAffinity: 'NONE',
            },
          },
        },
      ],
    ]);
  });

  it('re-points URL map (patch + fingerprint), proxy (setUrlMap) and rule (setTarget) each at its own level', () => {
    const plan = planRepair(
      svc,
      observed((o) => {
        o.resources.urlMap!.defaultService = `${URL}/backendServices/other`;
        o.resources.targetProxy!.urlMap = `${URL}/urlMaps/other`;
        o.resources.forwardingRule!.target = `${URL}/targetHttpProxies/other`;
      }),
      keep,
      false,
    );
    const mutations = plan.levels.map((l) => l.map((s) => (s.action === 'mutate' ? s.mutation : null)));
    expect(mutations).toEqual([
      [
        expect.objectContaining({
          method: 'patch',
          fingerprint: 'fp-urlMap',
          fields: { defaultService: `${URL}/backendServices/internal-lb-backend-svc` },
        }),
      ],
      [expect.objectContaining({ method: 'setUrlMap', urlMap: `${URL}/urlMaps/internal-lb-url-map` })],
      [expect.objectContaining({ method: 'setTarget', target: `${URL}/targetHttpProxies/internal-lb-target-proxy` })],
    ]);
  });

  it('reports immutable drift without writing when recreate is off', () => {
    const plan = planRepair(
      svc,
      observed((o) => (o.resources.neg!.cloudRun = { service: 'other' })),
      keep,
      false,
    );
    expect(plan.levels).toEqual([]);
    expect(plan.unrepaired).toEqual([
      {
        drift: {
          type: 'immutable',
          kind: 'neg',
          name: 'internal-lb-neg',
          field: 'cloudRun.service',
          wanted: 'server-service',
          found: 'other',
        },
        reason: IMMUTABLE_REASON,
      },
    ]);
  });

  it('still repairs mutable drift beside unrepaired immutable drift', () => {
    const plan = planRepair(
      svc,
      observed((o) => {
        o.resources.address!.address = '10.0.0.7';
        o.service!.ingress = 'all';
      }),
      keep,
      false,
    );
    expect(shape(plan)).toEqual([['setIngress']]);
    expect(plan.unrepaired).toHaveLength(1);
  });

  it('recreates a NEG by first deleting the backend chain that references it, dependents first', () => {
    const plan = planRepair(
      svc,
      observed((o) => (o.resources.neg!.cloudRun = { service: 'other' })),
      recreate,
      false,
    );
    expect(shape(plan)).toEqual([
      ['delete:forwardingRule'],
      ['delete:targetProxy'],
      ['delete:urlMap'],
      ['delete:backendService'],
      ['delete:neg'],
      ['create:neg'],
      ['create:backendService'],
      ['create:urlMap'],
      ['create:targetProxy'],
      ['create:forwardingRule'],
    ]);
    expect(plan.unrepaired).toEqual([]);
  });

  it('recreates an address with only the rule that uses its IP', () => {
    const plan = planRepair(
      svc,
      observed((o) => (o.resources.address!.subnetwork = `${URL}/subnetworks/other`)),
      recreate,
      false,
    );
    expect(shape(plan)).toEqual([['delete:forwardingRule'], ['delete:address'], ['create:address'], ['create:forwardingRule']]);
  });

  it('does not delete a dependent that no longer points at the recreated resource', () => {
    const plan = planRepair(
      svc,
      observed((o) => {
        o.resources.backendService!.protocol = 'HTTPS';
        o.resources.urlMap!.defaultService = `${URL}/backendServices/other`;
      }),
      recreate,
      false,
    );
    expect(shape(plan)).toEqual([['delete:backendService'], ['create:backendService'], ['mutate:urlMap']]);
  });

  it('recreates just the rule when only the rule is immutably wrong', () => {
    const plan = planRepair(
      svc,
      observed((o) => (o.resources.forwardingRule!.portRange = '8080')),
      recreate,
      false,
    );
    expect(shape(plan)).toEqual([['delete:forwardingRule'], ['create:forwardingRule']]);
  });

  it('builds nothing for a declared service that does not exist, and says why for every drift', () => {
    const plan = planRepair(
      svc,
      observed((o) => {
        o.service = null;
        for (const kind of RESOURCE_KINDS) o.resources[kind] = null;
      }),
      keep,
      false,
    );
    expect(plan.levels).toEqual([]);
    expect(plan.drift.map((d) => d.type)).toEqual(['service-missing', ...RESOURCE_KINDS.map(() => 'missing')]);
    expect(plan.unrepaired).toEqual(plan.drift.map((drift) => ({ drift, reason: SERVICE_MISSING_REASON })));
  });

  it('names every link of the chain, as declared', () => {
    expect(planRepair(svc, observed(), keep, false).names).toEqual(svc.loadBalancer.names);
  });

  it('is plain JSON', () => {
    const plan = planRepair(
      svc,
      observed((o) => (o.resources.targetProxy = null)),
      keep,
      false,
    );
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});

describe('planRepair: settings Google refuses on serverless NEG backends', () => {
  it('reports a backend timeout other than 30 s with the reason, and never patches it', () => {
    const plan = planRepair(
      svc,
      observed((o) => (o.resources.backendService!.timeoutSec = 60)),
      keep,
      false,
    );
    const drift = { type: 'mutable', kind: 'backendService', name: 'internal-lb-backend-svc', field: 'timeoutSec', wanted: 30, found: 60 };
    expect(plan.drift).toEqual([drift]);
    expect(plan.levels).toEqual([]);
    expect(plan.unrepaired).toEqual([{ drift, reason: SERVERLESS_REFUSED_REASON }]);
  });

  it('patches the other drifted settings of the same backend without the timeout', () => {
    const plan = planRepair(
      svc,
      observed((o) => Object.assign(o.resources.backendService!, { timeoutSec: 60, sessionAffinity: 'CLIENT_IP' })),
      keep,
      false,
    );
    const step = plan.levels[0]?.[0];
    expect(step?.action === 'mutate' && step.mutation.method === 'patch' && step.mutation.fields).toEqual({ sessionAffinity: 'NONE' });
    expect(plan.unrepaired.map((u) => u.reason)).toEqual([SERVERLESS_REFUSED_REASON]);
  });
});
