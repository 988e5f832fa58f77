// The JSON documents the CLI prints with --json (functions/cli/cli-output.schema.json). Every one
// carries schemaVersion and the command; each service's outcome is the report topic's shape
// (functions/notify/report.schema.json), so one parser reads the CLI and the topic alike.
import { MeshConfigError } from '../config/mesh-config-error';
import { buildReport, REPORT_SCHEMA_VERSION, type OutcomeReport } from '../notify/report';
import type { Outcome } from '../reconcile/model';

export interface CliDocument {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  command: string;
  /** One report per service the command looked at, in the order they were asked for. */
  reports: OutcomeReport[];
}

export interface ErrorDocument {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  command: string;
  error: { message: string; problems?: { path: string; message: string }[] };
}

export function cliDocument<E extends object>(command: string, outcomes: Outcome[], extra: E = {} as E): CliDocument & E {
  return { schemaVersion: REPORT_SCHEMA_VERSION, command, reports: outcomes.map(buildReport), ...extra };
}

/** What --json prints when a command could not run: the error as a document, never nothing. */
export function errorDocument(command: string, err: unknown): ErrorDocument {
  const message = err instanceof Error ? err.message : String(err);
  const problems = err instanceof MeshConfigError ? err.problems : undefined;
  return { schemaVersion: REPORT_SCHEMA_VERSION, command, error: { message, ...(problems ? { problems } : {}) } };
}

export function printJson(io: { stdout(text: string): void }, document: object): void {
  io.stdout(JSON.stringify(document, null, 2) + '\n');
}
