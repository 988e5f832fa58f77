// A client's VPC access against its declaration: what counts as the same path into the VPC, and
// how the plan treats the drift (report-only unless policy.repairClientEgress).
import type { DeclaredClient, DeclaredVpcAccess } from '../config/mesh';
import type { ObservedVpcAccess, RunService } from '../gcp/port';
import { declaredSnapshot, demoService } from '../../test/support/fake-port';
import { diffClient, vpcAccessHolds } from './client-egress';
import { describePlan } from '../notify/describe';
import { CLIENT_EGRESS_REPORT_ONLY_REASON, CLIENT_MISSING_REASON, planRepair } from './plan';

const direct: DeclaredVpcAccess = { network: 'test-vpc', subnetwork: 'test-subnet', egress: 'private-ranges-only' };
const nic = (network?: string, subnetwork?: string) => ({ ...(network ? { network } : {}), ...(subnetwork ? { subnetwork } : {}) });

describe('vpcAccessHolds', () => {
  test.each<[string, DeclaredVpcAccess, ObservedVpcAccess | undefined, boolean]>([
    ['the same names', direct, { egress: 'private-ranges-only', networkInterfaces: [nic('test-vpc', 'test-subnet')] }, true],
    [
      'paths for names',
      direct,
      {
        egress: 'private-ranges-only',
        networkInterfaces: [
          nic('projects/demo-project/global/networks/test-vpc', 'projects/demo-project/regions/asia-northeast1/subnetworks/test-subnet'),
        ],
      },
      true,
    ],
    [
      'a network Cloud Run filled in from the subnetwork',
      { subnetwork: 'test-subnet', egress: 'all-traffic' },
      { egress: 'all-traffic', networkInterfaces: [nic('test-vpc', 'test-subnet')] },
      true,
    ],
    ['no VPC access at all', direct, undefined, false],
    ['egress widened to all-traffic', direct, { egress: 'all-traffic', networkInterfaces: [nic('test-vpc', 'test-subnet')] }, false],
    ['another subnetwork', direct, { egress: 'private-ranges-only', networkInterfaces: [nic('test-vpc', 'other-subnet')] }, false],
    [
      'a connector instead of Direct VPC egress',
      direct,
      { connector: 'projects/demo-project/locations/asia-northeast1/connectors/c1', egress: 'private-ranges-only', networkInterfaces: [] },
      false,
    ],
    [
      'the declared connector by path',
      { connector: 'c1', egress: 'all-traffic' },
      { connector: 'projects/demo-project/locations/asia-northeast1/connectors/c1', egress: 'all-traffic', networkInterfaces: [] },
      true,
    ],
    [
      'another connector',
      { connector: 'c1', egress: 'all-traffic' },
      { connector: 'projects/demo-project/locations/asia-northeast1/connectors/c2', egress: 'all-traffic', networkInterfaces: [] },
      false,
    ],
    [
      'paths in two projects',
      { network: 'projects/a-project/global/networks/vpc', egress: 'all-traffic' },
      { egress: 'all-traffic', networkInterfaces: [nic('projects/b-project/global/networks/vpc')] },
      false,
    ],
  ])('%s', (_what, declared, observed, holds) => {
    expect(vpcAccessHolds(declared, observed)).toBe(holds);
  });
});

const client: DeclaredClient = {
  key: 'demo-project/asia-northeast1/client-service',
  project: 'demo-project',
  region: 'asia-northeast1',
  service: 'client-service',
  vpcAccess: direct,
};
const svc = { ...demoService(), clients: [client] };
const clientService = (vpcAccess?: ObservedVpcAccess): RunService => ({
  name: 'projects/demo-project/locations/asia-northeast1/services/client-service',
  ingress: 'internal',
  etag: '"client-etag"',
  annotations: {},
  ...(vpcAccess ? { vpcAccess } : {}),
});

describe('client drift in the plan', () => {
  const removed = { ...declaredSnapshot(svc), clients: [clientService()] };

  test('no drift when the client reads as declared', () => {
    const observed = { ...declaredSnapshot(svc) };
    expect(planRepair(svc, observed, { recreateOnImmutableDrift: false, repairClientEgress: true }, false).drift).toEqual([]);
  });

  test('report-only by default: the drift is listed as unrepaired with the reason, no step', () => {
    const plan = planRepair(svc, removed, { recreateOnImmutableDrift: false, repairClientEgress: false }, false);
    const drift = { type: 'client-egress', client: client.key, service: 'client-service', wanted: direct, found: null };
    expect(plan.drift).toEqual([drift]);
    expect(plan.levels).toEqual([]);
    expect(plan.unrepaired).toEqual([{ drift, reason: CLIENT_EGRESS_REPORT_ONLY_REASON }]);
    expect(describePlan(plan).join('\n')).toContain(
      '  client demo-project/asia-northeast1/client-service vpcAccess: none → network test-vpc, subnetwork test-subnet, egress private-ranges-only (not repaired: client VPC egress is report-only',
    );
  });

  test('with repairClientEgress: one setVpcAccess step with the etag read, beside the chain', () => {
    const plan = planRepair(svc, removed, { recreateOnImmutableDrift: false, repairClientEgress: true }, false);
    expect(plan.unrepaired).toEqual([]);
    expect(plan.levels).toEqual([
      [{ action: 'setVpcAccess', client: client.key, service: 'client-service', vpcAccess: direct, etag: '"client-etag"' }],
    ]);
  });

  test('a missing client is reported, never created', () => {
    expect(diffClient(client, null)).toEqual([{ type: 'client-missing', client: client.key, service: 'client-service' }]);
    const plan = planRepair(
      svc,
      { ...declaredSnapshot(svc), clients: [null] },
      { recreateOnImmutableDrift: false, repairClientEgress: true },
      false,
    );
    expect(plan.levels).toEqual([]);
    expect(plan.unrepaired.map((u) => u.reason)).toEqual([CLIENT_MISSING_REASON]);
  });
});
