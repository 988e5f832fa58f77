import { RESOURCE_KINDS } from '../config/mesh';
import { PERMISSIONS_BY_CALL, kindCall, requiredPermissions } from './permissions';

describe('PERMISSIONS_BY_CALL', () => {
  it('names every get, insert and delete of each resource kind, and only real-looking permissions', () => {
    for (const kind of RESOURCE_KINDS) {
      for (const verb of ['get', 'insert', 'delete'] as const) {
        expect(PERMISSIONS_BY_CALL[kindCall(verb, kind)]?.length).toBeGreaterThan(0);
      }
    }
    for (const [call, permissions] of Object.entries(PERMISSIONS_BY_CALL)) {
      expect(permissions.length).toBeGreaterThan(0);
      for (const permission of permissions)
        expect({ call, permission }).toEqual({ call, permission: expect.stringMatching(/^(run|compute)\.[a-zA-Z]+\.[a-zA-Z]+$/) });
    }
  });

  it('has every reference a forwarding rule insert makes', () => {
    expect([...(PERMISSIONS_BY_CALL['insert:forwardingRule'] ?? [])].sort()).toEqual([
      'compute.addresses.useInternal',
      'compute.forwardingRules.create',
      'compute.networks.use',
      'compute.regionTargetHttpProxies.use',
      'compute.subnetworks.use',
    ]);
  });
});

describe('requiredPermissions', () => {
  it('leaves out delete permissions unless recreate is enabled', () => {
    const withoutRecreate = requiredPermissions({ recreate: false });
    const withRecreate = requiredPermissions({ recreate: true });
    expect(withoutRecreate.filter((p) => p.endsWith('.delete') || p.endsWith('.deleteInternal'))).toEqual([]);
    expect(withRecreate).toEqual(expect.arrayContaining(['compute.forwardingRules.delete', 'compute.addresses.deleteInternal']));
    expect(withRecreate.length).toBe(withoutRecreate.length + 6);
  });

  it('is sorted, unique and covers the Cloud Run calls', () => {
    const all = requiredPermissions({ recreate: true });
    expect(all).toEqual([...new Set(all)].sort());
    expect(all).toEqual(
      expect.arrayContaining(['run.services.get', 'run.services.update', 'run.operations.get', 'compute.regionOperations.get']),
    );
  });
});
