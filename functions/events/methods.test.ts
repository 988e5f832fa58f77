import { HANDLED_METHODS, handledMethod, isHandledMethod } from './methods';

// Written out by hand from the audit catalog and compute.proto: the list the sink filter is built from.
const COMPUTE = {
  addresses: ['insert', 'delete', 'setLabels', 'move'],
  regionNetworkEndpointGroups: ['insert', 'delete'],
  networkEndpointGroups: ['insert', 'delete'],
  regionBackendServices: ['insert', 'delete', 'patch', 'update', 'setSecurityPolicy'],
  backendServices: ['insert', 'delete', 'patch', 'update', 'setSecurityPolicy'],
  regionUrlMaps: ['insert', 'delete', 'patch', 'update'],
  urlMaps: ['insert', 'delete', 'patch', 'update'],
  regionTargetHttpProxies: ['insert', 'delete', 'setUrlMap'],
  targetHttpProxies: ['insert', 'delete', 'patch', 'setUrlMap'],
  forwardingRules: ['insert', 'delete', 'patch', 'setTarget', 'setLabels'],
};
const EXPECTED = [
  'google.cloud.run.v1.Services.CreateService',
  'google.cloud.run.v1.Services.ReplaceService',
  'google.cloud.run.v1.Services.DeleteService',
  'google.cloud.run.v2.Services.CreateService',
  'google.cloud.run.v2.Services.UpdateService',
  'google.cloud.run.v2.Services.DeleteService',
  ...['v1', 'beta', 'alpha'].flatMap((v) =>
    Object.entries(COMPUTE).flatMap(([c, verbs]) => verbs.map((verb) => `${v}.compute.${c}.${verb}`)),
  ),
];

describe('HANDLED_METHODS', () => {
  it('is exactly the Run v1/v2 service mutations and the v1/beta/alpha compute mutations of the six kinds', () => {
    expect([...HANDLED_METHODS].sort()).toEqual([...EXPECTED].sort());
    expect(new Set(HANDLED_METHODS).size).toBe(HANDLED_METHODS.length);
    expect(Object.isFrozen(HANDLED_METHODS)).toBe(true);
  });

  it('leaves out reads, IAM, other collections, global rules/addresses and the unversioned prefix', () => {
    for (const name of [
      'google.cloud.run.v1.Services.GetService',
      'google.cloud.run.v1.Services.SetIamPolicy',
      'google.cloud.run.v2.Services.SetIamPolicy',
      'google.cloud.run.v2.Revisions.DeleteRevision',
      'v1.compute.forwardingRules.get',
      'v1.compute.instances.insert',
      'v1.compute.globalForwardingRules.delete',
      'v1.compute.globalAddresses.delete',
      'v1.compute.regionTargetHttpsProxies.setUrlMap',
      'v1.compute.regionBackendServices.setIamPolicy',
      'compute.forwardingRules.delete',
      'v1.compute.forwardingRules.delete ',
    ]) {
      expect(isHandledMethod(name)).toBe(false);
    }
  });

  it('describes each method: api, kind and verb', () => {
    expect(handledMethod('beta.compute.regionTargetHttpProxies.setUrlMap')).toEqual({
      api: 'compute',
      kind: 'targetProxy',
      collection: 'regionTargetHttpProxies',
      verb: 'setUrlMap',
    });
    expect(handledMethod('google.cloud.run.v2.Services.UpdateService')).toEqual({ api: 'run', version: 'v2', verb: 'UpdateService' });
    expect(handledMethod('alpha.compute.forwardingRules.setTarget')).toEqual({
      api: 'compute',
      kind: 'forwardingRule',
      collection: 'forwardingRules',
      verb: 'setTarget',
    });
    expect(handledMethod('nope')).toBeUndefined();
  });
});
