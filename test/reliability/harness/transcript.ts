// Everything the system under test said, from every source (child stdout/stderr, HTTP response
// bodies, Slack payloads, reports), kept whole so the secret check can search all of it and the
// suites can read the structured log records back.
import { pollFor } from '../../support/poll';

export type LogRecord = Record<string, unknown> & { severity?: string; message?: string };

interface Chunk {
  source: string;
  text: string;
}

export class Transcript {
  private readonly chunks: Chunk[] = [];
  private readonly partial = new Map<string, string>();
  private readonly parsed: Array<{ source: string; record: LogRecord }> = [];

  /** Records raw output; complete lines that are JSON objects become log records. */
  record(source: string, data: string | Buffer): void {
    const text = typeof data === 'string' ? data : data.toString('utf8');
    this.chunks.push({ source, text });
    const lines = ((this.partial.get(source) ?? '') + text).split('\n');
    this.partial.set(source, lines.pop() ?? '');
    for (const line of lines) this.parseLine(source, line);
  }

  private parseLine(source: string, line: string): void {
    if (!line.startsWith('{')) return;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) this.parsed.push({ source, record: value as LogRecord });
    } catch {
      // not a log record (a stack trace, framework output)
    }
  }

  /** Structured log records, optionally only those from sources starting with `sourcePrefix`. */
  records(sourcePrefix = ''): LogRecord[] {
    return this.parsed.filter((p) => p.source.startsWith(sourcePrefix)).map((p) => p.record);
  }

  /**
   * Waits until a record from `sourcePrefix`, among those after the first `after`, matches
   * `predicate`, and resolves with it: an HTTP answer can arrive before the log line written just
   * before it has come through the child's pipe.
   */
  waitFor(sourcePrefix: string, predicate: (record: LogRecord) => boolean, after = 0, timeoutMs = 10_000): Promise<LogRecord> {
    return pollFor(
      () => this.records(sourcePrefix).slice(after).find(predicate),
      timeoutMs,
      () => `no log record from ${sourcePrefix || 'any source'} matched within ${timeoutMs} ms`,
    );
  }

  /** Sources whose output contains `needle`, with a short excerpt around the first hit. */
  find(needle: string): Array<{ source: string; excerpt: string }> {
    const hits: Array<{ source: string; excerpt: string }> = [];
    for (const { source, text } of this.chunks) {
      const at = text.indexOf(needle);
      if (at >= 0) hits.push({ source, excerpt: text.slice(Math.max(0, at - 120), at + needle.length + 40) });
    }
    return hits;
  }

  /** Everything one source said, joined (a CLI's stdout, say). */
  text(source: string): string {
    return this.chunks
      .filter((c) => c.source === source)
      .map((c) => c.text)
      .join('');
  }

  get size(): number {
    return this.chunks.reduce((sum, c) => sum + c.text.length, 0);
  }

  sources(): string[] {
    return [...new Set(this.chunks.map((c) => c.source))];
  }
}
