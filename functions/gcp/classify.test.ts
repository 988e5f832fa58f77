// classify() over errors captured from the real google-gax 6 REST clients: a local HTTP server
// answers with Google's error bodies (Compute's legacy shape, Cloud Run v2's One Platform shape)
// and the real ForwardingRulesClient / ServicesClient / RegionOperationsClient turn them into
// whatever they throw or return.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classify, networkCause, operationError, type CallSite } from './classify';
import { CALL_OPTIONS, Clients, WAIT_OPTIONS } from './clients';
import { GcpError } from './port';
import { freePort } from '../../test/support/free-port';
import { parseEnvironment } from '../config/environment';

interface Answer {
  status: number;
  body: unknown;
}

const computeError = (code: number, message: string, reason: string): Answer => ({
  status: code,
  body: { error: { code, message, errors: [{ message, domain: 'global', reason }] } },
});
const runError = (code: number, status: string, message: string, details?: unknown[]): Answer => ({
  status: code,
  body: { error: { code, message, status, ...(details ? { details } : {}) } },
});

/** The answer for each resource name used below; the server picks it from the URL. */
const ANSWERS: Record<string, Answer> = {
  missing: computeError(404, "The resource 'projects/p/regions/r/forwardingRules/missing' was not found", 'notFound'),
  exists: computeError(409, "The resource 'projects/p/regions/r/forwardingRules/exists' already exists", 'alreadyExists'),
  stale: computeError(412, 'Supplied fingerprint does not match current metadata fingerprint.', 'conditionNotMet'),
  ratelimited: computeError(429, 'Rate Limit Exceeded', 'rateLimitExceeded'),
  throttled403: computeError(403, 'User Rate Limit Exceeded', 'userRateLimitExceeded'),
  unavailable: computeError(503, 'The service is currently unavailable.', 'backendError'),
  timeout: computeError(504, 'Deadline exceeded', 'backendError'),
  denied: computeError(
    403,
    "Required 'compute.forwardingRules.get' permission for 'projects/p/regions/r/forwardingRules/denied'",
    'forbidden',
  ),
  invalid: computeError(
    400,
    "Invalid value for field 'resource.target': 'x'. The resource 'projects/p/regions/r/targetHttpProxies/x' was not found",
    'invalid',
  ),
  html502: { status: 502, body: '<html><title>502 Bad Gateway</title></html>' },
  'run-missing': runError(404, 'NOT_FOUND', "Resource 'run-missing' of kind 'SERVICE' in region 'r' in project 'p' does not exist."),
  'run-aborted': runError(409, 'ABORTED', 'Conflict for resource: the etag in the request does not match the current etag.'),
  'run-aborted-bare': runError(409, 'ABORTED', 'The request was aborted.'),
  'run-precondition-etag': runError(400, 'FAILED_PRECONDITION', 'etag mismatch: the resource has been modified'),
  'run-org-policy': runError(
    400,
    'FAILED_PRECONDITION',
    "The organization policy 'constraints/run.allowedIngress' forbids the requested ingress setting.",
    [
      {
        '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
        violations: [{ type: 'constraints/run.allowedIngress', subject: 'orgpolicy:projects', description: 'not allowed' }],
      },
    ],
  ),
  'run-quota': runError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'Write requests'", [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'RATE_LIMIT_EXCEEDED',
      domain: 'googleapis.com',
      metadata: { service: 'run.googleapis.com' },
    },
  ]),
  'run-exists': runError(409, 'ALREADY_EXISTS', "Resource 'run-exists' already exists."),
  'op-exists': {
    status: 200,
    body: operation([{ code: 'RESOURCE_ALREADY_EXISTS', message: "The resource 'projects/p/regions/r/addresses/a' already exists" }], 409),
  },
  'op-quota': {
    status: 200,
    body: operation([{ code: 'QUOTA_EXCEEDED', message: "Quota 'FORWARDING_RULES' exceeded.  Limit: 15.0 in region r." }], 403),
  },
  'op-missing-ref': {
    status: 200,
    body: operation([{ code: 'RESOURCE_NOT_FOUND', message: "The resource 'projects/p/regions/r/urlMaps/u' was not found" }], 404),
  },
  'op-stale': {
    status: 200,
    body: operation([{ code: 'CONDITION_NOT_MET', message: 'Supplied fingerprint does not match current metadata fingerprint.' }], 412),
  },
  'op-ok': { status: 200, body: operation([]) },
};

function operation(errors: Array<{ code: string; message: string }>, httpErrorStatusCode?: number): object {
  return {
    kind: 'compute#operation',
    name: 'operation-1',
    status: 'DONE',
    ...(errors.length ? { error: { errors }, httpErrorStatusCode, httpErrorMessage: 'CONFLICT' } : {}),
  };
}

let server: Server;
let clients: Clients;
let deadClients: Clients;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const key =
      path
        .split('/')
        .filter((part) => part && part !== 'wait')
        .pop() ?? '';
    hits.set(key, (hits.get(key) ?? 0) + 1);
    const answer = ANSWERS[key] ?? { status: 500, body: { error: { code: 500, message: `test server has no answer for ${path}` } } };
    res.writeHead(answer.status, { 'content-type': typeof answer.body === 'string' ? 'text/html' : 'application/json' });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  clients = new Clients(parseEnvironment({ CLOUD_RUN_EMULATOR_HOST: host, COMPUTE_EMULATOR_HOST: host }).environment, 'me@test');
  // Nothing listens on port 9 (discard) on loopback: connection refused.
  deadClients = new Clients(parseEnvironment({ COMPUTE_EMULATOR_HOST: '127.0.0.1:9' }).environment, 'me@test');
});

afterAll(async () => {
  await clients.close();
  await deadClients.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** What the real ForwardingRulesClient.get throws for the answer named `name`. */
async function computeFailure(name: string, via = clients): Promise<unknown> {
  return (await via.compute('forwardingRule')).get({ project: 'p', region: 'r', forwardingRule: name }, CALL_OPTIONS).then(
    () => {
      throw new Error(`expected ${name} to fail`);
    },
    (err: unknown) => err,
  );
}

/** What the real ServicesClient.getService throws for the answer named `name`. */
async function runFailure(name: string): Promise<unknown> {
  return (await clients.run()).getService({ name: `projects/p/locations/r/services/${name}` }, CALL_OPTIONS).then(
    () => {
      throw new Error(`expected ${name} to fail`);
    },
    (err: unknown) => err,
  );
}

async function finishedOperation(name: string) {
  const [op] = await (await clients.compute('operations')).wait({ project: 'p', region: 'r', operation: name }, WAIT_OPTIONS);
  return op;
}

const site = (call: CallSite['call'], resource = 'projects/p/regions/r/forwardingRules/x'): CallSite => ({ call, resource });

describe('classify: Compute errors from the real REST client', () => {
  it('404 notFound is notFound on a read, but permanent on an insert (a reference is missing)', async () => {
    const err = await computeFailure('missing');
    const missing = 'projects/p/regions/r/forwardingRules/missing';
    expect(classify(err, site('get:forwardingRule', missing))).toMatchObject({
      errorClass: 'notFound',
      code: 5,
      httpStatus: 404,
      reason: 'notFound',
    });
    expect(classify(err, site('insert:forwardingRule', missing)).errorClass).toBe('permanent');
  });

  it('404 naming another resource than the one acted on is a missing reference: permanent', async () => {
    const err = await computeFailure('missing');
    expect(classify(err, site('mutate:forwardingRule:setTarget', 'projects/p/regions/r/forwardingRules/frontend')).errorClass).toBe(
      'permanent',
    );
  });

  it('409 alreadyExists arrives as code 10 (ABORTED) and is alreadyExists, with a specific message', async () => {
    const error = classify(await computeFailure('exists'), site('insert:forwardingRule', 'projects/p/regions/r/forwardingRules/exists'));
    expect(error).toBeInstanceOf(GcpError);
    expect(error).toMatchObject({ errorClass: 'alreadyExists', code: 10, httpStatus: 409, reason: 'alreadyExists' });
    expect(error.message).toBe(
      "insert:forwardingRule projects/p/regions/r/forwardingRules/exists: The resource 'projects/p/regions/r/forwardingRules/exists' already exists [HTTP 409, ABORTED (10), reason alreadyExists]",
    );
  });

  it('the reason decides over the code: a 409 alreadyExists stays alreadyExists even on an update call', async () => {
    expect(classify(await computeFailure('exists'), site('mutate:urlMap:patch')).errorClass).toBe('alreadyExists');
  });

  it('412 conditionNotMet (stale fingerprint) is conflict', async () => {
    expect(classify(await computeFailure('stale'), site('mutate:backendService:patch'))).toMatchObject({
      errorClass: 'conflict',
      code: 9,
      httpStatus: 412,
      reason: 'conditionNotMet',
    });
  });

  it('429, 503, 504 and a 403 rate limit are transient; gax did not retry them itself', async () => {
    for (const name of ['ratelimited', 'unavailable', 'timeout', 'throttled403']) {
      hits.delete(name);
      expect({ name, errorClass: classify(await computeFailure(name), site('get:forwardingRule')).errorClass }).toEqual({
        name,
        errorClass: 'transient',
      });
      expect({ name, requests: hits.get(name) }).toEqual({ name, requests: 1 });
    }
  });

  it('a non-JSON 502 page keeps its status and is transient', async () => {
    expect(classify(await computeFailure('html502'), site('get:forwardingRule'))).toMatchObject({
      errorClass: 'transient',
      httpStatus: 502,
      code: 13,
    });
  });

  it('403 permission denied and 400 invalid are permanent, with Google message kept', async () => {
    const denied = classify(await computeFailure('denied'), site('get:forwardingRule', 'projects/p/regions/r/forwardingRules/denied'));
    expect(denied).toMatchObject({ errorClass: 'permanent', code: 7, httpStatus: 403, reason: 'forbidden' });
    expect(denied.message).toContain("Required 'compute.forwardingRules.get' permission");
    expect(denied.message).toMatch(/^get:forwardingRule projects\/p\/regions\/r\/forwardingRules\/denied: /);
    expect(classify(await computeFailure('invalid'), site('insert:forwardingRule'))).toMatchObject({
      errorClass: 'permanent',
      code: 3,
      reason: 'invalid',
    });
  });

  it('a refused connection is transient (UNAVAILABLE) and names the endpoint, its variable and the cause', async () => {
    // (Not port 9: fetch refuses that one itself as a "bad port" before connecting.)
    const host = `127.0.0.1:${await freePort()}`;
    const refusing = new Clients(parseEnvironment({ COMPUTE_EMULATOR_HOST: host }).environment, 'me@test');
    const endpoint = `${host} (COMPUTE_EMULATOR_HOST)`;
    try {
      const error = classify(await computeFailure('any', refusing), { ...site('get:forwardingRule'), endpoint });
      expect(error).toMatchObject({ errorClass: 'transient', code: 14 });
      expect(error.message).toBe(
        `get:forwardingRule projects/p/regions/r/forwardingRules/x: cannot reach ${endpoint}: ECONNREFUSED ${host} [UNAVAILABLE (14)]`,
      );
    } finally {
      await refusing.close();
    }
  });
});

describe('networkCause: why a call never reached the API', () => {
  it("fetch's cause chain and gRPC's quoted message give the same words; an API's answer gives none", () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8090'), {
      code: 'ECONNREFUSED',
      address: '127.0.0.1',
      port: 8090,
    });
    expect(networkCause(new TypeError('fetch failed', { cause: refused }))).toBe('ECONNREFUSED 127.0.0.1:8090');
    expect(networkCause(new TypeError('fetch failed', { cause: new AggregateError([refused]) }))).toBe('ECONNREFUSED 127.0.0.1:8090');
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND run.example'), { code: 'ENOTFOUND', hostname: 'run.example' });
    expect(networkCause(new TypeError('fetch failed', { cause: dns }))).toBe('ENOTFOUND run.example');
    expect(
      networkCause(
        Object.assign(new Error('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:8090'), {
          code: 14,
        }),
      ),
    ).toBe('ECONNREFUSED 127.0.0.1:8090');
    expect(networkCause(Object.assign(new Error('The service is currently unavailable.'), { code: 14 }))).toBeUndefined();
  });

  it("Google's own host is named when no emulator chose the endpoint", () => {
    const err = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ENOTFOUND', hostname: 'compute.googleapis.com' }),
    });
    expect(classify(err, { ...site('get:forwardingRule'), endpoint: 'compute.googleapis.com' }).message).toBe(
      'get:forwardingRule projects/p/regions/r/forwardingRules/x: cannot reach compute.googleapis.com: ENOTFOUND compute.googleapis.com',
    );
  });
});

describe('classify: Cloud Run v2 errors from the real REST client', () => {
  const service = 'projects/p/locations/r/services/s';

  it('404 NOT_FOUND is notFound', async () => {
    expect(classify(await runFailure('run-missing'), site('getService', service))).toMatchObject({
      errorClass: 'notFound',
      code: 5,
      httpStatus: 404,
    });
  });

  it('409 ABORTED naming the etag is conflict on any call (the v2 code is unverified; v1 uses ABORTED)', async () => {
    const err = await runFailure('run-aborted');
    expect(classify(err, site('setIngress', service))).toMatchObject({ errorClass: 'conflict', code: 10, httpStatus: 409 });
    expect(classify(err, site('insert:neg')).errorClass).toBe('conflict');
  });

  it('a bare 409 ABORTED is conflict on an update and alreadyExists on an insert', async () => {
    const err = await runFailure('run-aborted-bare');
    expect(classify(err, site('setIngress', service)).errorClass).toBe('conflict');
    expect(classify(err, site('insert:neg')).errorClass).toBe('alreadyExists');
  });

  it('409 ALREADY_EXISTS is code 6, alreadyExists', async () => {
    expect(classify(await runFailure('run-exists'), site('setIngress', service))).toMatchObject({ errorClass: 'alreadyExists', code: 6 });
  });

  it('FAILED_PRECONDITION naming the etag is conflict; an org policy violation is permanent', async () => {
    expect(classify(await runFailure('run-precondition-etag'), site('setIngress', service))).toMatchObject({
      errorClass: 'conflict',
      code: 9,
    });
    const policy = classify(await runFailure('run-org-policy'), site('setIngress', service));
    expect(policy).toMatchObject({ errorClass: 'permanent', code: 9, httpStatus: 400 });
    expect(policy.message).toContain('constraints/run.allowedIngress');
  });

  it('429 RESOURCE_EXHAUSTED with a quota ErrorInfo reason is transient and keeps the reason', async () => {
    expect(classify(await runFailure('run-quota'), site('setIngress', service))).toMatchObject({
      errorClass: 'transient',
      code: 8,
      reason: 'RATE_LIMIT_EXCEEDED',
    });
  });
});

describe('operationError: compute operations that finished DONE with errors', () => {
  const insert = site('insert:address', 'projects/p/regions/r/addresses/a');

  it('RESOURCE_ALREADY_EXISTS is alreadyExists', async () => {
    const error = operationError(await finishedOperation('op-exists'), insert);
    expect(error).toMatchObject({ errorClass: 'alreadyExists', httpStatus: 409, reason: 'RESOURCE_ALREADY_EXISTS' });
    expect(error?.message).toContain("operation operation-1 failed: The resource 'projects/p/regions/r/addresses/a' already exists");
  });

  it('QUOTA_EXCEEDED is permanent: a resource-count quota is not freed by backing off', async () => {
    expect(operationError(await finishedOperation('op-quota'), insert)?.errorClass).toBe('permanent');
  });

  it('RESOURCE_NOT_FOUND in an insert is a missing reference: permanent', async () => {
    expect(operationError(await finishedOperation('op-missing-ref'), insert)?.errorClass).toBe('permanent');
  });

  it('CONDITION_NOT_MET is conflict; no errors is success', async () => {
    expect(operationError(await finishedOperation('op-stale'), site('mutate:urlMap:patch'))?.errorClass).toBe('conflict');
    expect(operationError(await finishedOperation('op-ok'), insert)).toBeUndefined();
  });
});

describe('classify: anything else', () => {
  it('passes a GcpError through and makes other throwables permanent with their text', () => {
    const original = new GcpError('conflict', 'x');
    expect(classify(original)).toBe(original);
    expect(classify('boom')).toMatchObject({ errorClass: 'permanent', message: 'boom' });
    expect(classify(new TypeError('bad'), site('get:neg'))).toMatchObject({
      errorClass: 'permanent',
      message: 'get:neg projects/p/regions/r/forwardingRules/x: bad',
    });
  });
});
