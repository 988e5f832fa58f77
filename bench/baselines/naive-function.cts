// Baseline for the first-relevant-event cold start: the same function written the naive way.
// Both client libraries imported through their package barrels at module top, every client
// constructed at module load, exactly as the libraries' READMEs show. The reconcile work is the
// project's own (Runtime → handleEvent → reconciler → adapter), so the only difference measured
// is how the Google clients are loaded: the adapter's client factory (functions/gcp/clients.ts)
// is pointed at these eagerly built clients instead of building its own lazily.
import * as functions from '@google-cloud/functions-framework';
import { ServicesClient } from '@google-cloud/run';
import {
  AddressesClient,
  ForwardingRulesClient,
  RegionBackendServicesClient,
  RegionNetworkEndpointGroupsClient,
  RegionOperationsClient,
  RegionTargetHttpProxiesClient,
  RegionUrlMapsClient,
} from '@google-cloud/compute';
import { OAuth2Client } from 'google-auth-library';
import { composeFunction } from '../../functions/composition-root';
import { parseEnvironment } from '../../functions/config/environment';
import { Clients, type ComputeClients } from '../../functions/gcp/clients';
import { handleEvent } from '../../functions/handle-event';

// The bench always runs against the emulator (test/emulator/README.md: plain HTTP, a fixed bearer token).
const emulator = parseEnvironment(process.env).environment.computeEmulator;
if (!emulator) throw new Error('the naive baseline needs COMPUTE_EMULATOR_HOST');
const authClient = new OAuth2Client({ transporterOptions: { fetchImplementation: fetch } });
authClient.setCredentials({ access_token: `principal:${process.env.SELF_PRINCIPAL ?? 'naive@local'}` });
const options = { apiEndpoint: emulator.host, port: emulator.port, protocol: 'http', authClient };

const runClient = new ServicesClient({ ...options, fallback: true });
const computeClients: ComputeClients = {
  address: new AddressesClient(options),
  neg: new RegionNetworkEndpointGroupsClient(options),
  backendService: new RegionBackendServicesClient(options),
  urlMap: new RegionUrlMapsClient(options),
  targetProxy: new RegionTargetHttpProxiesClient(options),
  forwardingRule: new ForwardingRulesClient(options),
  operations: new RegionOperationsClient(options),
};

Clients.prototype.run = async () => runClient;
Clients.prototype.compute = async function <K extends keyof ComputeClients>(kind: K): Promise<ComputeClients[K]> {
  return computeClients[kind];
};

const deps = composeFunction(process.env);

functions.cloudEvent('naiveRemediateDrift', async (event: functions.CloudEvent<unknown>) => {
  const { delivery } = await handleEvent(event, deps);
  if (delivery.action === 'redeliver') throw new Error(delivery.reason);
});
