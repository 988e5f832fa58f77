// Runs the function inside the test process and keeps everything it prints (structured logs on
// stdout, framework errors on stderr and console) in a Transcript instead of the test output:
// the secret check reads it, and thousands of fuzz cases stay off the CI log.
import { format } from 'node:util';
import type { Transcript } from './transcript';

type Write = typeof process.stdout.write;
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Starts capturing; the returned function restores the streams and console. */
export function captureOutput(transcript: Transcript, source = 'in-process'): () => void {
  const streams = [
    [process.stdout, `${source}:stdout`],
    [process.stderr, `${source}:stderr`],
  ] as const;
  const originalWrites = streams.map(([stream]) => stream.write);
  for (const [stream, name] of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      transcript.record(name, typeof chunk === 'string' ? chunk : Buffer.from(chunk));
      const callback = rest.find((r): r is () => void => typeof r === 'function');
      callback?.();
      return true;
    }) as Write;
  }
  const originalConsole = CONSOLE_METHODS.map((m) => console[m]);
  for (const m of CONSOLE_METHODS) console[m] = (...args: unknown[]) => transcript.record(`${source}:console`, format(...args) + '\n');
  return () => {
    streams.forEach(([stream], i) => (stream.write = originalWrites[i] as Write));
    CONSOLE_METHODS.forEach((m, i) => (console[m] = originalConsole[i] as (typeof console)[typeof m]));
  };
}
