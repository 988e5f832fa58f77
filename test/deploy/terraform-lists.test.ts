// The two lists the module shares with the code: the custom roles hold exactly the permissions
// the adapter's calls need (PERMISSIONS_BY_CALL), and the sink admits exactly the methods the
// decoder handles (HANDLED_METHODS).
import { PERMISSIONS_BY_CALL } from '../../functions/gcp/permissions';
import { expressions, loadTerraformDir, MODULE_DIR, type TerraformConfig } from './terraform-config';
import { recreatePermissions, repairPermissions, sinkFilter, sinkMethods } from './terraform-lists';

let mod: TerraformConfig;

beforeAll(async () => {
  mod = await loadTerraformDir(MODULE_DIR);
});

const stringList = (value: unknown): string[] => {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error('expected a literal list of strings');
  return value as string[];
};

describe('custom roles against PERMISSIONS_BY_CALL', () => {
  const calls = Object.entries(PERMISSIONS_BY_CALL);
  const deleteCalls = calls.filter(([call]) => call.startsWith('delete:'));

  it('the repair role equals requiredPermissions({ recreate: false })', () => {
    expect([...stringList(mod.locals.repair_permissions)].sort()).toEqual(repairPermissions());
  });

  it('the recreate role holds only what the delete calls add', () => {
    expect([...stringList(mod.locals.recreate_permissions)].sort()).toEqual(recreatePermissions());
    const deletePermissions = new Set(deleteCalls.flatMap(([, p]) => p));
    for (const permission of stringList(mod.locals.recreate_permissions)) expect(deletePermissions).toContain(permission);
  });

  it('every permission in a role is needed by some adapter call', () => {
    const needed = new Set(calls.flatMap(([, p]) => p));
    const unneeded = [...stringList(mod.locals.repair_permissions), ...stringList(mod.locals.recreate_permissions)].filter((p) => !needed.has(p));
    expect(unneeded).toEqual([]);
  });

  it('every adapter call is fully covered: non-delete calls by the repair role, delete calls with the recreate role added', () => {
    const repair = new Set(stringList(mod.locals.repair_permissions));
    const withRecreate = new Set([...repair, ...stringList(mod.locals.recreate_permissions)]);
    const uncovered = calls.flatMap(([call, permissions]) =>
      permissions.filter((p) => !(call.startsWith('delete:') ? withRecreate : repair).has(p)).map((p) => `${call}: ${p}`),
    );
    expect(uncovered).toEqual([]);
    expect(deleteCalls.length).toBeGreaterThan(0);
  });

  it('no role repeats a permission', () => {
    for (const name of ['repair_permissions', 'recreate_permissions']) {
      const list = stringList(mod.locals[name]);
      expect(new Set(list).size).toBe(list.length);
    }
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
