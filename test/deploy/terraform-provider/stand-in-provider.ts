// A schema-only stand-in for the google provider, so `terraform validate` and a mocked
// `terraform test` run against the real provider schema with no provider download. Terraform
// starts it as a go-plugin: it checks the magic cookie, serves tfplugin6 over gRPC on a loopback
// port without TLS (the host runs with TF_DISABLE_PLUGIN_TLS=1), and prints the handshake line
// `1|6|tcp|ADDRESS|grpc`. It answers the schema (google-schema.generated.json) and accepts every
// configuration the schema accepts: Terraform itself checks names, types, required attributes and
// block counts against the schema. Anything that would need Google (configure, plan, apply, read)
// is UNIMPLEMENTED, so it can never pretend to have deployed something.
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { SchemaBlock, TypeSchema } from './cdktf-schema';
import { readGeneratedSchema } from './google-schema';
import { handshakeLine, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from './go-plugin-handshake';

const NESTING = { single: 'SINGLE', list: 'LIST', set: 'SET' } as const;

interface ProtoBlock {
  attributes: object[];
  block_types: object[];
}

/** Our JSON block as a tfplugin6 Schema.Block (attribute types are cty type JSON, as bytes). */
export function protoBlock(block: SchemaBlock): ProtoBlock {
  return {
    attributes: Object.entries(block.attributes ?? {}).map(([name, a]) => ({
      name,
      type: Buffer.from(JSON.stringify(a.type)),
      required: a.required === true,
      optional: a.optional === true,
      computed: a.computed === true,
    })),
    block_types: Object.entries(block.block_types ?? {}).map(([name, b]) => ({
      type_name: name,
      block: protoBlock(b.block),
      nesting: NESTING[b.nesting_mode],
      min_items: b.min_items ?? 0,
      max_items: b.max_items ?? 0,
    })),
  };
}

const protoSchema = (schema: TypeSchema): object => ({ version: schema.version, block: protoBlock(schema.block) });
const protoSchemas = (schemas: Record<string, TypeSchema>): Record<string, object> =>
  Object.fromEntries(Object.entries(schemas).map(([type, s]) => [type, protoSchema(s)]));

function loadPackage(file: string): grpc.GrpcObject {
  const definition = protoLoader.loadSync(join(__dirname, file), { keepCase: true, enums: String, longs: Number, defaults: true });
  return grpc.loadPackageDefinition(definition);
}

type Service = { service: grpc.ServiceDefinition };
const service = (pkg: grpc.GrpcObject, path: string): grpc.ServiceDefinition =>
  (path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], pkg) as Service).service;

export function startStandInProvider(): void {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write('This binary is a plugin. It is started by Terraform, not run directly.\n');
    process.exit(1);
  }
  const schema = readGeneratedSchema();
  const schemaResponse = {
    provider: protoSchema(schema.provider),
    resource_schemas: protoSchemas(schema.resource_schemas),
    data_source_schemas: protoSchemas(schema.data_source_schemas),
    diagnostics: [],
    server_capabilities: { get_provider_schema_optional: false, plan_destroy: false, move_resource_state: false },
  };
  const noDiagnostics = { diagnostics: [] };
  const answer =
    (response: object): grpc.handleUnaryCall<unknown, unknown> =>
    (_call, callback) =>
      callback(null, response);

  const server = new grpc.Server();
  server.addService(service(loadPackage('tfplugin6.proto'), 'tfplugin6.Provider'), {
    GetProviderSchema: answer(schemaResponse),
    ValidateProviderConfig: answer(noDiagnostics),
    ValidateResourceConfig: answer(noDiagnostics),
    ValidateDataResourceConfig: answer(noDiagnostics),
    StopProvider: answer({ Error: '' }),
  });
  server.addService(service(loadPackage('health.proto'), 'grpc.health.v1.Health'), {
    Check: answer({ status: 'SERVING' }),
  });
  server.addService(service(loadPackage('go-plugin.proto'), 'plugin.GRPCController'), {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      server.tryShutdown(() => process.exit(0));
    },
  });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) throw error;
    process.stdout.write(handshakeLine(`127.0.0.1:${port}`));
  });
}

if (require.main === module) startStandInProvider();
