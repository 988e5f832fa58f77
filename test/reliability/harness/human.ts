// A person changing things by hand: plain REST calls to the emulator as another principal (the
// way gcloud or the console would), each awaited until its operation is done, so the audit log
// holds the entries a real change leaves behind. The drift the function must undo comes from here.
import { COLLECTION, type ResourceKind } from '../../../functions/config/mesh';
import type { Emulator } from '../../emulator';

export const HUMAN = 'alice@example.com';

type Json = Record<string, unknown>;

export class Human {
  constructor(
    private readonly emulator: Emulator,
    private readonly principal = HUMAN,
  ) {}

  private async call(method: string, path: string, body?: Json): Promise<Json> {
    const res = await fetch(`${this.emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer principal:${this.principal}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Json;
    if (!res.ok) throw new Error(`${this.principal} ${method} ${path}: HTTP ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  }

  private computePath(project: string, region: string, collection: string, name = ''): string {
    return `/compute/v1/projects/${project}/regions/${region}/${collection}${name ? `/${name}` : ''}`;
  }

  /** Runs a compute write and waits for its operation; an operation that ends in error throws. */
  private async computeWrite(method: string, project: string, region: string, path: string, body?: Json): Promise<void> {
    const op = await this.call(method, path, body);
    const done = await this.call('POST', this.computePath(project, region, 'operations', String(op.name)) + '/wait');
    if (done.error) throw new Error(`${method} ${path}: operation failed ${JSON.stringify(done.error)}`);
  }

  get(kind: ResourceKind, project: string, region: string, name: string): Promise<Json> {
    return this.call('GET', this.computePath(project, region, COLLECTION[kind], name));
  }

  insert(kind: ResourceKind, project: string, region: string, resource: Json): Promise<void> {
    return this.computeWrite('POST', project, region, this.computePath(project, region, COLLECTION[kind]), resource);
  }

  delete(kind: ResourceKind, project: string, region: string, name: string): Promise<void> {
    return this.computeWrite('DELETE', project, region, this.computePath(project, region, COLLECTION[kind], name));
  }

  /** PATCH with the current fingerprint, as gcloud does. */
  async patch(kind: ResourceKind, project: string, region: string, name: string, fields: Json): Promise<void> {
    const current = await this.get(kind, project, region, name);
    await this.computeWrite('PATCH', project, region, this.computePath(project, region, COLLECTION[kind], name), {
      ...fields,
      fingerprint: current.fingerprint,
    });
  }

  setTarget(project: string, region: string, rule: string, target: string): Promise<void> {
    return this.computeWrite('POST', project, region, this.computePath(project, region, COLLECTION.forwardingRule, rule) + '/setTarget', {
      target,
    });
  }

  setUrlMap(project: string, region: string, proxy: string, urlMap: string): Promise<void> {
    return this.computeWrite('POST', project, region, this.computePath(project, region, COLLECTION.targetProxy, proxy) + '/setUrlMap', {
      urlMap,
    });
  }

  /** Cloud Run v2 UpdateService with updateMask=ingress, waited on like `gcloud run services update --ingress`. */
  async setIngress(project: string, region: string, service: string, ingress: string): Promise<void> {
    const name = `projects/${project}/locations/${region}/services/${service}`;
    const op = await this.call('PATCH', `/v2/${name}?updateMask=ingress`, { ingress });
    const done = await this.call('POST', `/v2/${String(op.name)}:wait`, {});
    if (done.error) throw new Error(`UpdateService ${name}: operation failed ${JSON.stringify(done.error)}`);
  }

  async getService(project: string, region: string, service: string): Promise<Json> {
    return this.call('GET', `/v2/projects/${project}/locations/${region}/services/${service}`);
  }
}
