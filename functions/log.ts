// Structured JSON logs for Cloud Logging: one line per record on stdout, with `severity`,
// `message` and labels that log-based metrics can count. Registered secrets (the Slack webhook
// URL) are scrubbed from every line, whatever field they hide in.

export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL' | 'ALERT';

export interface LogFields {
  /** `project/region/service` of the declared service concerned */
  serviceKey?: string;
  /** LogEntry insertId of the triggering audit event */
  insertId?: string;
  [field: string]: unknown;
}

export interface Logger {
  log(severity: Severity, message: string, fields?: LogFields): void;
  /** A logger whose records all carry `fields` too. */
  with(fields: LogFields): Logger;
}

const secrets = new Set<string>();

/** Marks a value that must never be written out; every later log line is scrubbed of it. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) secrets.add(value);
}

/** Replaces every registered secret inside `text`. Used by logs, reports and error messages. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}

/** A JSON-shaped value with every registered secret replaced, for payloads that leave the process. */
export function redactJson<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value))) as T;
}

/**
 * `err` with every registered secret replaced in its message and stack, for errors handed to code
 * that writes them out past our logger (the Functions Framework prints the stack and answers
 * with the message). Same error object: its type and fields stay what callers check.
 */
export function redactError(err: unknown): unknown {
  if (typeof err === 'string') return redact(err);
  if (!(err instanceof Error)) return err;
  err.message = redact(err.message);
  if (err.stack) err.stack = redact(err.stack);
  return err;
}

export type LineWriter = (line: string) => void;

const stdoutWriter: LineWriter = (line) => process.stdout.write(line + '\n');

export function createLogger(write: LineWriter = stdoutWriter, base: LogFields = {}): Logger {
  return {
    log(severity, message, fields = {}) {
      const record = { severity, message, ...base, ...fields, time: new Date().toISOString() };
      write(redact(JSON.stringify(record, errorReplacer)));
    },
    with(fields) {
      return createLogger(write, { ...base, ...fields });
    },
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** A logger that keeps records in memory, for tests and for the CLI's --json output. */
export function memoryLogger(): Logger & { records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const logger = createLogger((line) => records.push(JSON.parse(line) as Record<string, unknown>));
  return Object.assign(logger, { records });
}
