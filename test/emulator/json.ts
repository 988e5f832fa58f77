// Loose JSON shapes for wire bodies: the emulator stores what clients send and echoes it back,
// so its resources are open-ended objects rather than closed interfaces.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** A deep copy, so stored state never aliases a request or a response body. */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
