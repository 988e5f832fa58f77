// Every audit entry recorded from real Google (test/fixtures/real/, provenance in its README) gets
// the verdict a real one deserves: the console's v1 ReplaceService of a declared service is acted
// on, everything else is skipped for the right reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMesh } from '../config/load';
import { indexMesh } from '../config/mesh-index';
import { intake, type IntakeContext } from './intake';
import { SkipCounters } from './skip-counters';

const REAL = join(__dirname, '../../test/fixtures/real');
const real = (file: string): Record<string, unknown> => JSON.parse(readFileSync(join(REAL, file), 'utf8')) as Record<string, unknown>;

// The recorded console edit's service, declared as this project would declare it.
const MESH = parseMesh(
  JSON.stringify({
    services: [
      {
        project: 'test-project-1234',
        region: 'asia-northeast1',
        service: 'cloud-run-slack-bot',
        ingress: 'internal',
        loadBalancer: {
          namePrefix: 'slack-bot-lb',
          network: 'projects/test-project-1234/global/networks/vpc',
          subnetwork: 'projects/test-project-1234/regions/asia-northeast1/subnetworks/subnet',
          ipAddress: '10.0.0.100',
          port: 80,
        },
      },
    ],
  }),
  'real-entries.json',
);

const context = (): IntakeContext => ({
  index: indexMesh(MESH),
  selfPrincipal: 'mesh-remediator@test-project-1234.iam.gserviceaccount.com',
  ignorePrincipals: [],
  counters: new SkipCounters(),
});

describe('real audit entries through intake', () => {
  it('acts on the console v1 ReplaceService (no operation field) of a declared service, region from the request', () => {
    const result = intake(real('run-v1-ReplaceService-success.nakamasato.logentry.json'), context());
    expect(result).toMatchObject({
      kind: 'reconcile',
      keys: ['test-project-1234/asia-northeast1/cloud-run-slack-bot'],
      event: {
        methodName: 'google.cloud.run.v1.Services.ReplaceService',
        api: 'run',
        verb: 'ReplaceService',
        principal: 'masatonaka1989@gmail.com',
        requestedIngress: 'all',
        target: { kind: 'runService', project: 'test-project-1234', region: 'asia-northeast1', service: 'cloud-run-slack-bot' },
      },
    });
    expect(result.kind === 'reconcile' && result.event.operation).toBeUndefined();
  });

  it('skips the same entry when the service is not declared', () => {
    const entry = real('run-v1-ReplaceService-success.nakamasato.logentry.json');
    const other = JSON.parse(JSON.stringify(entry).replaceAll('cloud-run-slack-bot', 'someone-elses-service')) as unknown;
    expect(intake(other, context())).toMatchObject({ kind: 'skip', reason: 'not-declared' });
  });

  it('skips the system_event rollout completion (methodName /Services.CreateService, no principal)', () => {
    expect(intake(real('run-system_event-CreateService.gcloud-logging-read.logentry.json'), context())).toMatchObject({
      kind: 'skip',
      reason: 'unhandled-method',
    });
  });

  // No recorded entry of a load-balancer write is public; these keep the real envelope (operation
  // markers, resource, labels) and rename only the method and resource to a declared rule.
  const asDeclaredRuleInsert = (file: string, version: string): unknown => {
    const entry = real(file) as { protoPayload: Record<string, unknown> };
    entry.protoPayload.methodName = `${version}.compute.forwardingRules.insert`;
    entry.protoPayload.resourceName = 'projects/test-project-1234/regions/asia-northeast1/forwardingRules/slack-bot-lb-frontend';
    return entry;
  };

  it('skips a real operation.first entry of a handled method (acts on .last), and acts on a real operation.last one', () => {
    expect(intake(asDeclaredRuleInsert('custodian-event-router-create.json', 'beta'), context())).toMatchObject({
      kind: 'skip',
      reason: 'operation-first',
    });
    expect(intake(asDeclaredRuleInsert('custodian-event-autoscaler-insert.json', 'alpha'), context())).toMatchObject({
      kind: 'reconcile',
      keys: ['test-project-1234/asia-northeast1/cloud-run-slack-bot'],
      event: { operation: { id: 'operation-1564660241223-58f0cd9df4f28-a10f4a9b-180f61fb', last: true } },
    });
  });

  it.each([
    'custodian-event-lb-addresses-get.json',
    'custodian-event-lb-backend-services-get.json',
    'custodian-event-lb-forwarding-rules-get.json',
    'custodian-event-lb-target-http-proxies-get.json',
    'custodian-event-lb-url-maps-get.json',
    'custodian-event-route-create.json',
    'custodian-event-router-create.json',
    'custodian-event-autoscaler-insert.json',
  ])('skips %s: reads and other collections are not methods this project acts on', (file) => {
    const result = intake(real(file), context());
    expect(result).toMatchObject({ kind: 'skip', reason: 'unhandled-method' });
  });
});
