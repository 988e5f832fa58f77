// AuditEvent → keys of the declared services it touches: a Run service is itself; a chain resource
// belongs to the service whose chain names it. Two map lookups, no I/O.
import type { MeshIndex } from '../config/mesh-index';
import type { AuditEvent } from './audit-event';

export function routeEvent(event: AuditEvent, index: MeshIndex): string[] {
  const t = event.target;
  const owners =
    t.kind === 'runService' ? index.forRunService(t.project, t.region, t.service) : index.forResource(t.project, t.region, t.kind, t.name);
  return owners.map((svc) => svc.key);
}
