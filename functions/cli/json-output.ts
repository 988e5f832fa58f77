// The JSON documents the CLI prints with --json. Every one carries schemaVersion and the command;
// outcomes are the report topic's shape (docs/report-schema.md), so one parser reads both.
import { MeshConfigError } from '../config/mesh-config-error';
import { REPORT_SCHEMA_VERSION } from '../notify/report';

export interface ErrorDocument {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  command: string;
  error: { message: string; problems?: { path: string; message: string }[] };
}

/** What --json prints when a command could not run: the error as a document, never nothing. */
export function errorDocument(command: string, err: unknown): ErrorDocument {
  const message = err instanceof Error ? err.message : String(err);
  const problems = err instanceof MeshConfigError ? err.problems : undefined;
  return { schemaVersion: REPORT_SCHEMA_VERSION, command, error: { message, ...(problems ? { problems } : {}) } };
}
