import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evalArgs } from '../../test/support/function-code';
import { promisify } from 'node:util';
import { Root, type Service, type Type } from 'protobufjs';
import { Clients, computeServiceNames } from './clients';
import { COMPUTE_PROTOS_ID, prunedComputeProtos } from './compute-protos';
import { GENERATE_COMMAND, GENERATED_SOURCE, generateComputeProtos, serializeProtos } from './compute-protos-generate';
import { parseEnvironment } from '../config/environment';

const V1 = 'google.cloud.compute.v1';

interface ProtoNamespace {
  nested: Record<string, ProtoNamespace>;
}

// The methods adapter.ts calls on each compute client (get/insert/delete on every resource kind).
const ADAPTER_METHODS: Record<string, string[]> = {
  Addresses: ['Get', 'Insert', 'Delete'],
  RegionNetworkEndpointGroups: ['Get', 'Insert', 'Delete'],
  RegionBackendServices: ['Get', 'Insert', 'Delete', 'Patch'],
  RegionUrlMaps: ['Get', 'Insert', 'Delete', 'Patch'],
  RegionTargetHttpProxies: ['Get', 'Insert', 'Delete', 'SetUrlMap'],
  ForwardingRules: ['Get', 'Insert', 'Delete', 'SetTarget'],
  RegionOperations: ['Wait'],
};

describe('compute-protos.generated.json', () => {
  it('is what the installed @google-cloud/compute and the clients in clients.ts give', () => {
    const fresh = serializeProtos(generateComputeProtos());
    if (fresh !== readFileSync(GENERATED_SOURCE, 'utf8')) {
      throw new Error(`functions/gcp/compute-protos.generated.json is stale; regenerate it with: ${GENERATE_COMMAND}`);
    }
  });

  it('resolves every name, and holds each method the adapter calls with its request and response types', () => {
    const root = Root.fromJSON(prunedComputeProtos());
    root.resolveAll();
    expect(computeServiceNames().sort()).toEqual(
      Object.keys(ADAPTER_METHODS)
        .map((s) => `${V1}.${s}`)
        .sort(),
    );
    for (const [service, methods] of Object.entries(ADAPTER_METHODS)) {
      const found = root.lookupService(`${V1}.${service}`);
      for (const method of methods) {
        const rpc = found.methods[method];
        expect({ service, method, request: rpc?.resolvedRequestType?.fullName, response: rpc?.resolvedResponseType?.fullName }).toEqual({
          service,
          method,
          request: expect.stringMatching(/^\.google\.cloud\.compute\.v1\./),
          response: expect.stringMatching(/^\.google\.cloud\.compute\.v1\./),
        });
      }
    }
  });

  it('binds every field of every kept message to the same type as the full protos.json does', () => {
    const installed = JSON.parse(readFileSync(COMPUTE_PROTOS_ID, 'utf8')) as ProtoNamespace;
    // Without Compute's v1beta (half the file, ~1 s to build): names resolve outwards through the
    // enclosing namespaces, never into a sibling version, and a v1 field naming v1beta outright
    // would fail to resolve here (and in the pruned Root, which has no v1beta) rather than pass.
    delete installed.nested.google?.nested.cloud?.nested.compute?.nested.v1beta;
    const full = Root.fromJSON(installed);
    const pruned = Root.fromJSON(prunedComputeProtos());
    pruned.resolveAll();
    const messages: Type[] = [];
    const collect = (namespace: { nestedArray: unknown[] }) => {
      for (const child of namespace.nestedArray as Array<Type & Service>) {
        if ('fieldsArray' in child) messages.push(child);
        if ('nestedArray' in child) collect(child);
      }
    };
    collect(pruned);
    expect(messages.length).toBeGreaterThan(150);
    const mismatches = messages.flatMap((message) => {
      const original = full.lookupType(message.fullName).resolveAll() as Type;
      return message.fieldsArray
        .filter((field) => field.resolvedType?.fullName !== original.fields[field.name]?.resolvedType?.fullName)
        .map((field) => `${message.fullName}.${field.name}`);
    });
    expect(mismatches).toEqual([]);
  });
});

describe('the compute clients', () => {
  it('build their Root from the pruned protos.json here too (so the wire tests exercise it)', async () => {
    const clients = new Clients(parseEnvironment({ COMPUTE_EMULATOR_HOST: '127.0.0.1:1' }).environment, 'me@example.com');
    try {
      const client = (await clients.compute('forwardingRule')) as unknown as { _protos: Root };
      expect(client._protos.lookup('google.cloud.compute.v1beta')).toBeNull();
      expect(client._protos.lookupService(`${V1}.ForwardingRules`).methods.SetTarget).toBeDefined();
    } finally {
      await clients.close();
    }
  });
});

describe('in a plain Node process (the built function)', () => {
  // Jest's module registry ignores writes to require.cache, so the cache install itself is
  // checked where it runs in production: a Node process loading clients.ts.
  it('the compute client modules get the pruned protos.json from the module cache', async () => {
    const script = `
      const { Clients } = require('./functions/gcp/clients');
      const { parseEnvironment } = require('./functions/config/environment');
      const { COMPUTE_PROTOS_ID, prunedComputeProtos } = require('./functions/gcp/compute-protos');
      const clients = new Clients(parseEnvironment({ COMPUTE_EMULATOR_HOST: '127.0.0.1:1' }).environment, 'me@example.com');
      clients.compute('address').then(async (client) => {
        const report = {
          cached: require.cache[COMPUTE_PROTOS_ID].exports === prunedComputeProtos(),
          v1beta: client._protos.lookup('google.cloud.compute.v1beta') !== null,
          addresses: client._protos.lookupService('google.cloud.compute.v1.Addresses').methodsArray.length,
        };
        await clients.close();
        process.stdout.write(JSON.stringify(report));
      });`;
    const root = join(__dirname, '..', '..');
    const { stdout } = await promisify(execFile)(process.execPath, evalArgs(script), {
      cwd: root,
      env: { ...process.env, TS_NODE_PROJECT: join(root, 'tsconfig.json') },
    });
    expect(JSON.parse(stdout)).toEqual({ cached: true, v1beta: false, addresses: expect.any(Number) });
  });
});
