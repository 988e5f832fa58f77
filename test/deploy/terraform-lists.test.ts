// The lists the module shares with the code: the custom roles hold exactly the permissions the
// adapter's calls need (PERMISSIONS_BY_CALL), each in the grant that says where it is bound, and
// the sink admits exactly the methods the decoder handles (HANDLED_METHODS). Where the roles end up
// bound for a real mesh is checked through terraform itself (terraform-grants.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { grantOf, PERMISSIONS_BY_CALL } from '../../functions/gcp/permissions';
import { expressions, loadTerraformDir, MODULE_DIR, type TerraformConfig } from './terraform-config';
import { GRANT_KEYS, recreatePermissions, renderPermissionsTf, repairPermissions, sinkFilter, sinkMethods } from './terraform-lists';

let mod: TerraformConfig;

beforeAll(async () => {
  mod = await loadTerraformDir(MODULE_DIR);
});

const stringList = (value: unknown): string[] => {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error('expected a literal list of strings');
  return value as string[];
};

describe('custom roles against PERMISSIONS_BY_CALL', () => {
  const granted = (): Record<string, string[]> => {
    const map = mod.locals.granted_permissions as Record<string, unknown>;
    return Object.fromEntries(Object.entries(map).map(([grant, list]) => [grant, stringList(list)]));
  };

  it('permissions.tf is what the generator renders from the code', () => {
    expect(readFileSync(join(MODULE_DIR, 'permissions.tf'), 'utf8')).toBe(renderPermissionsTf());
  });

  it('the grants together hold exactly requiredPermissions({ recreate: false }), each where grantOf puts it', () => {
    const all = Object.values(granted()).flat();
    expect([...all].sort()).toEqual(repairPermissions());
    expect(new Set(all).size).toBe(all.length);
    for (const [grant, permissions] of Object.entries(granted())) {
      for (const p of permissions) expect([p, GRANT_KEYS[grantOf(p)]]).toEqual([p, grant]);
    }
  });

  it('the recreate role holds only what the delete calls add, all of them on load balancer resources', () => {
    expect([...stringList(mod.locals.recreate_permissions)].sort()).toEqual(recreatePermissions());
    const deletePermissions = new Set(
      Object.entries(PERMISSIONS_BY_CALL)
        .filter(([call]) => call.startsWith('delete:'))
        .flatMap(([, p]) => p),
    );
    for (const permission of stringList(mod.locals.recreate_permissions)) {
      expect(deletePermissions).toContain(permission);
      expect(grantOf(permission)).toBe('loadBalancer');
    }
  });

  it('every permission the code names has a grant (a new one must be placed, not silently project-wide)', () => {
    const unplaced = Object.values(PERMISSIONS_BY_CALL)
      .flat()
      .filter((p) => {
        try {
          grantOf(p);
          return false;
        } catch {
          return true;
        }
      });
    expect(unplaced).toEqual([]);
    expect(() => grantOf('compute.instances.create')).toThrow(/no grant says where/);
  });
});

describe('sink filter against HANDLED_METHODS', () => {
  const clauses = (): string[] => {
    const filter = mod.locals.sink_filter;
    if (typeof filter !== 'string' || expressions(filter).length > 0) throw new Error('sink_filter must be a literal string');
    return filter.split(' AND ');
  };

  it('admits only Admin Activity entries of Cloud Run and Compute', () => {
    const [logId, services] = clauses();
    expect(logId).toBe('log_id("cloudaudit.googleapis.com/activity")');
    expect(services).toBe('protoPayload.serviceName=("run.googleapis.com" OR "compute.googleapis.com")');
  });

  it('admits exactly the methods the decoder handles', () => {
    const methodClause = /^protoPayload\.methodName=\((.*)\)$/.exec(clauses()[2] ?? '');
    expect(methodClause).not.toBeNull();
    const methods = methodClause![1]!.split(' OR ').map((quoted) => JSON.parse(quoted) as string);
    expect([...methods].sort()).toEqual(sinkMethods());
    expect(new Set(methods).size).toBe(methods.length);
    expect(clauses()).toHaveLength(3);
  });

  it('is what the generator renders', () => {
    expect(mod.locals.sink_filter).toBe(sinkFilter());
  });
});
