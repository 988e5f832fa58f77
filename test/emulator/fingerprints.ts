// Compute fingerprints are base64 of 8 bytes. Google answers them in standard base64 but takes
// them in either alphabet: gcloud sends them URL-safe (`-`, `_`), and a literal comparison would
// answer a spurious 412 to some of its patch/update calls.
const standard = (value: string): string => value.replace(/-/g, '+').replace(/_/g, '/');

/** True when the caller's fingerprint names the current one, in either base64 alphabet. */
export function sameFingerprint(given: unknown, current: unknown): boolean {
  if (typeof given !== 'string' || typeof current !== 'string') return given === current;
  return standard(given) === standard(current);
}
