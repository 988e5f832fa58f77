// Sends a Block Kit message through Slack's incoming webhook (@slack/webhook), honouring 429
// Retry-After within a bound. Never throws: a failed notification must not fail a remediation.
// The webhook URL is a secret: the composition root gives it to the Redactor, and failures are
// described from the status code and Slack's body only, never from the library's error object
// (whose request details carry the URL). @slack/webhook is loaded at the first send only, like
// every client library here (cheap when idle).
import type { FetchFunction } from '@slack/webhook';
import type { Logger, Redactor } from '../log';
import type { SlackMessage } from './slack-message';

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SlackSenderOptions {
  url: string;
  /** The variable the URL came from (SLACK_WEBHOOK_URL, or SLACK_WEBHOOK_URL_FILE (path)), named in failures. */
  source?: string;
  logger: Logger;
  /** Scrubs the message before it leaves (a quoted reason could hold the URL). */
  redactor: Redactor;
  /** Waits between attempts; injectable so tests need not wait out a Retry-After. */
  sleep?: Sleep;
  /** Tries per message, the first included. */
  maxAttempts?: number;
  /** A Retry-After longer than this is not waited for: the message is dropped and logged. */
  maxWaitMs?: number;
  /** Per-request timeout, so a hanging Slack cannot hold the function. */
  timeoutMs?: number;
}

export interface SlackSender {
  /** true when Slack answered 200; false (after logging why) otherwise. */
  send(message: SlackMessage): Promise<boolean>;
}

interface Seen {
  retryAfter: string | null;
  networkError?: string;
}

interface Failure {
  message: string;
  /** How long to wait before another try; undefined = do not retry. */
  retryInMs?: number;
}

export function createSlackSender(options: SlackSenderOptions): SlackSender {
  const { url, logger, redactor, sleep = realSleep, maxAttempts = 3, maxWaitMs = 30_000, timeoutMs = 10_000 } = options;
  // The endpoint a network failure names: the host only (the path is the secret).
  const endpoint = `${new URL(url).host} (${options.source ?? 'SLACK_WEBHOOK_URL'})`;
  return {
    async send(message) {
      // A reason or error quoted in the message could carry the URL: Slack gets it scrubbed too.
      const payload = redactor.json(message);
      let failure: Failure = { message: 'not attempted' };
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        // A fresh client per attempt so what is seen belongs to this request only: the library's
        // HTTP error drops the headers (Retry-After), and its request error may drop the cause.
        const seen: Seen = { retryAfter: null };
        const recordingFetch: FetchFunction = async (input, init) => {
          try {
            const response = await fetch(input, init as RequestInit);
            seen.retryAfter = response.headers.get('retry-after');
            return response;
          } catch (err) {
            seen.networkError = networkErrorCode(err);
            throw err;
          }
        };
        const slack = await import('@slack/webhook');
        try {
          await new slack.IncomingWebhook(url, { timeout: timeoutMs, fetch: recordingFetch }).send(payload);
          return true;
        } catch (err) {
          failure = describeFailure(err, seen, attempt, slack.ErrorCode, endpoint);
        }
        if (failure.retryInMs === undefined || attempt === maxAttempts) break;
        if (failure.retryInMs > maxWaitMs) {
          failure.message += `; Retry-After ${Math.ceil(failure.retryInMs / 1000)} s exceeds the ${maxWaitMs / 1000} s bound`;
          break;
        }
        logger.log('INFO', `Slack notification attempt ${attempt} failed (${failure.message}); retrying in ${failure.retryInMs} ms`);
        await sleep(failure.retryInMs);
      }
      logger.log('WARNING', `Slack notification not sent: ${failure.message}`, { slackStatus: 'failed', notificationFailed: true });
      return false;
    },
  };
}

/** Status code and Slack's body, or the network error's code: nothing that holds the URL. */
function describeFailure(
  err: unknown,
  seen: Seen,
  attempt: number,
  ErrorCode: typeof import('@slack/webhook').ErrorCode,
  endpoint: string,
): Failure {
  const e = err as { code?: string; statusCode?: number; body?: unknown };
  if (e?.code === ErrorCode.HTTPError && typeof e.statusCode === 'number') {
    const body = typeof e.body === 'string' ? e.body.slice(0, 200) : '';
    const message = `Slack answered HTTP ${e.statusCode}${body ? ` "${body}"` : ''}`;
    if (e.statusCode === 429) return { message, retryInMs: retryAfterMs(seen.retryAfter) };
    if (e.statusCode >= 500) return { message, retryInMs: 1000 * attempt };
    return { message };
  }
  if (e?.code === ErrorCode.RequestError) {
    return { message: `no answer from Slack at ${endpoint}: ${seen.networkError ?? 'request error'}`, retryInMs: 1000 * attempt };
  }
  return { message: `unexpected ${err instanceof Error ? err.name : typeof err} while sending to Slack` };
}

/** ECONNREFUSED, ENOTFOUND, TimeoutError...: the code of fetch's failure, without its message. */
function networkErrorCode(err: unknown): string {
  const e = err as { name?: unknown; cause?: { code?: unknown } };
  if (typeof e?.cause?.code === 'string') return e.cause.code;
  return typeof e?.name === 'string' ? e.name : 'unknown error';
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3); 1 s when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number {
  if (header === null || header.trim() === '') return 1000;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now);
}
