// Structured JSON logs for Cloud Logging: one line per record on stdout, with `severity`,
// `message` and labels that log-based metrics can count. The Redactor's secrets (the Slack webhook
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

/**
 * The secrets this process knows (the Slack webhook URL and its path, which carries the token),
 * applied where output leaves the process: log lines, CLI output, HTTP answers, Slack and report
 * payloads, errors handed to the Functions Framework. Built once by the composition root; the
 * pure core never sees it.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** Marks a value that must never be written out (short values would scrub ordinary words). */
  add(value: string | undefined): this {
    if (value && value.length >= 8) this.secrets.add(value);
    return this;
  }

  /** Replaces every known secret inside `text`. */
  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    return out;
  }

  /** A JSON-shaped value with every secret replaced, for payloads that leave the process. */
  json<T>(value: T): T {
    return this.secrets.size === 0 ? value : (JSON.parse(this.text(JSON.stringify(value))) as T);
  }

  /**
   * `err` with every secret replaced in its message and stack, for errors handed to code that
   * writes them out past our logger (the Functions Framework prints the stack and answers with
   * the message). Same error object: its type and fields stay what callers check.
   */
  error(err: unknown): unknown {
    if (typeof err === 'string') return this.text(err);
    if (!(err instanceof Error)) return err;
    err.message = this.text(err.message);
    if (err.stack) err.stack = this.text(err.stack);
    return err;
  }
}

/** A Redactor knowing a Slack webhook URL (and its path, which holds the token). */
export function slackRedactor(url: string | undefined): Redactor {
  const redactor = new Redactor().add(url);
  if (url) {
    try {
      redactor.add(new URL(url).pathname);
    } catch {
      // not a URL: the whole value is known already
    }
  }
  return redactor;
}

export type LineWriter = (line: string) => void;

const stdoutWriter: LineWriter = (line) => process.stdout.write(line + '\n');

export function createLogger(write: LineWriter = stdoutWriter, redactor: Redactor = new Redactor(), base: LogFields = {}): Logger {
  return {
    log(severity, message, fields = {}) {
      const record = { severity, message, ...base, ...fields, time: new Date().toISOString() };
      write(redactor.text(JSON.stringify(record, errorReplacer)));
    },
    with(fields) {
      return createLogger(write, redactor, { ...base, ...fields });
    },
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/** A logger that keeps records in memory, for tests and for the CLI's --json output. */
export function memoryLogger(redactor?: Redactor): Logger & { records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const logger = createLogger((line) => records.push(JSON.parse(line) as Record<string, unknown>), redactor);
  return Object.assign(logger, { records });
}
