import { declaredSnapshot, demoService } from '../../test/support/fake-port';
import { planRepair, IMMUTABLE_REASON } from '../reconcile/plan';
import { describePlan, shortRef, showValue } from './describe';

const svc = demoService();
const URL = 'https://www.googleapis.com/compute/v1/projects/demo-project/regions/asia-northeast1';

describe('describePlan', () => {
  it('prints drift and steps like terraform plan', () => {
    const o = declaredSnapshot(svc);
    o.service!.ingress = 'all';
    o.resources.forwardingRule = null;
    o.resources.urlMap!.defaultService = `${URL}/backendServices/other`;
    o.resources.address!.address = '10.0.0.7';
    expect(describePlan(planRepair(svc, o, { recreateOnImmutableDrift: false }, true))).toEqual([
      'drift:',
      '  ingress: all → internal',
      `  address internal-lb-ip .address (immutable): 10.0.0.7 → 10.0.0.100 (not repaired: ${IMMUTABLE_REASON})`,
      '  urlMap internal-lb-url-map .defaultService: backendServices/other → backendServices/internal-lb-backend-svc',
      '  forwardingRule internal-lb-frontend: missing → exists',
      'steps (one level at a time; the steps of a level run in parallel):',
      '  1. ~ set ingress of server-service to internal',
      '  2. ~ patch defaultService on urlMap internal-lb-url-map',
      '  3. + create forwardingRule internal-lb-frontend',
    ]);
  });

  it('says when there is nothing to do', () => {
    expect(describePlan(planRepair(svc, declaredSnapshot(svc), { recreateOnImmutableDrift: false }, false))).toEqual([
      'no drift: the mesh matches the declaration',
    ]);
  });
});

describe('references', () => {
  it('keep the project and the name, drop the URL prefix and the region, whatever the host', () => {
    for (const ref of [
      `${URL}/urlMaps/m`,
      'http://127.0.0.1:8090/compute/v1/projects/demo-project/regions/asia-northeast1/urlMaps/m',
      'projects/demo-project/regions/asia-northeast1/urlMaps/m',
    ]) {
      expect(shortRef(ref)).toBe('projects/demo-project/…/urlMaps/m');
    }
    expect(shortRef('https://www.googleapis.com/compute/v1/projects/evil/global/networks/n')).toBe('projects/evil/…/networks/n');
    expect(shortRef(`${URL}/urlMaps/m`, 'demo-project')).toBe('urlMaps/m'); // inside the service's own project
    expect(shortRef('https://www.googleapis.com/compute/v1/projects/evil/global/networks/n', 'demo-project')).toBe(
      'projects/evil/…/networks/n',
    );
    expect(shortRef('internal')).toBe('internal');
  });

  it('inside lists and objects too, and bounded', () => {
    expect(showValue([`${URL}/networkEndpointGroups/a`, `${URL}/networkEndpointGroups/b`])).toBe(
      '["projects/demo-project/…/networkEndpointGroups/a","projects/demo-project/…/networkEndpointGroups/b"]',
    );
    expect(showValue('x'.repeat(500))).toHaveLength(200);
    expect(showValue(undefined)).toBe('(unset)');
  });
});
