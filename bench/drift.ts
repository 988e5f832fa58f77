// Breaking the mesh in the emulator the way a person would: plain REST calls as alice, with the
// emulator's latency and operation delay turned off while breaking so set-up costs no bench time.
import { COLLECTION, RESOURCE_KINDS, type ResourceKind } from '../functions/config/mesh';
import type { Emulator } from '../test/emulator';
import type { BenchService } from './mesh-file';

const PERSON = { authorization: 'Bearer principal:alice@example.com', 'content-type': 'application/json' };

async function call(emulator: Emulator, method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: PERSON,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`drift set-up ${method} ${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
}

/** Runs `breaking` with no latency and instant operations, then restores the emulator's timing. */
async function instantly(emulator: Emulator, breaking: () => Promise<void>): Promise<void> {
  const { latencyMs, operationDelayMs } = emulator.faults.settings;
  emulator.faults.set({ latencyMs: 0, operationDelayMs: 0 });
  try {
    await breaking();
  } finally {
    emulator.faults.set({ latencyMs, operationDelayMs });
  }
}

/** Someone opens the service to the internet (Cloud Run v2 UpdateService, ingress ALL). */
export function openIngress(emulator: Emulator, s: BenchService): Promise<void> {
  return instantly(emulator, () =>
    call(emulator, 'PATCH', `/v2/projects/${s.project}/locations/${s.region}/services/${s.service}?updateMask=ingress`, {
      ingress: 'INGRESS_TRAFFIC_ALL',
    }),
  );
}

/** Someone opens the ingress and deletes the whole load-balancer chain, dependents first. */
export function destroyChain(emulator: Emulator, s: BenchService, names: Record<ResourceKind, string>): Promise<void> {
  return instantly(emulator, async () => {
    await call(emulator, 'PATCH', `/v2/projects/${s.project}/locations/${s.region}/services/${s.service}?updateMask=ingress`, {
      ingress: 'INGRESS_TRAFFIC_ALL',
    });
    for (const kind of [...RESOURCE_KINDS].reverse()) {
      await call(emulator, 'DELETE', `/compute/v1/projects/${s.project}/regions/${s.region}/${COLLECTION[kind]}/${names[kind]}`);
    }
  });
}
