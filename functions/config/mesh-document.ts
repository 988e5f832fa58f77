// The mesh file as written (after schema validation): optional fields still optional. resolve.ts
// turns it into the fully defaulted `Mesh` of mesh.ts.
import type { BackendSettings, BreakerPolicy, DeclaredIngress, DeclaredVpcAccess, ResourceNames } from './mesh';

export interface ServiceDocument {
  project: string;
  region: string;
  service: string;
  ingress: DeclaredIngress;
  loadBalancer: {
    namePrefix: string;
    network: string;
    subnetwork: string;
    ipAddress: string;
    port: number;
    /** timeoutSec is accepted only as 30 (the schema says why) and means nothing more */
    backend?: Partial<BackendSettings> & { timeoutSec?: number };
    names?: Partial<ResourceNames>;
  };
  clients?: ClientDocument[];
}

export interface ClientDocument {
  project?: string;
  region?: string;
  service: string;
  vpcAccess: DeclaredVpcAccess;
}

export interface MeshDocument {
  services: ServiceDocument[];
  policy?: {
    dryRun?: boolean;
    recreateOnImmutableDrift?: boolean;
    ignorePrincipals?: string[];
    breaker?: Partial<BreakerPolicy>;
    repairClientEgress?: boolean;
  };
}
