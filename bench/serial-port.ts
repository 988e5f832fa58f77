// The naive sequential baseline for the chain rebuild: the same reconcile, but the port lets only
// one call be in flight at a time, as code that awaits each call in turn would.
import type { MeshPort } from '../functions/gcp/port';

export function serialPort(port: MeshPort): MeshPort {
  let tail: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(call: () => Promise<T>): Promise<T> => {
    const result = tail.then(call, call);
    tail = result.catch(() => undefined);
    return result;
  };
  return {
    listServices: (scope) => oneAtATime(() => port.listServices(scope)),
    list: (kind, scope, names) => oneAtATime(() => port.list(kind, scope, names)),
    getService: (ref) => oneAtATime(() => port.getService(ref)),
    setIngress: (ref, ingress, etag) => oneAtATime(() => port.setIngress(ref, ingress, etag)),
    setVpcAccess: (ref, vpcAccess, etag) => oneAtATime(() => port.setVpcAccess(ref, vpcAccess, etag)),
    get: (kind, ref) => oneAtATime(() => port.get(kind, ref)),
    insert: (kind, ref, resource, requestId) => oneAtATime(() => port.insert(kind, ref, resource, requestId)),
    mutate: (mutation) => oneAtATime(() => port.mutate(mutation)),
    delete: (kind, ref, requestId) => oneAtATime(() => port.delete(kind, ref, requestId)),
  };
}
