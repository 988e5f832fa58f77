// Pause without a deploy: the annotation `mesh-remediator/paused-until: <RFC 3339>` on the Cloud
// Run service stops repairs until that time. A past or malformed value does not pause (a typo
// must not silently switch remediation off); the reconciler logs why.

export const PAUSE_ANNOTATION = 'mesh-remediator/paused-until';

export type PauseState = { paused: true; until: string } | { paused: false; ignored?: { value: string; why: 'expired' | 'malformed' } };

// RFC 3339 date-time: full date, 'T' (or space/t), time with optional fraction, Z or offset.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function pauseState(annotations: Record<string, string> | undefined, now: Date): PauseState {
  const value = annotations?.[PAUSE_ANNOTATION];
  if (value === undefined) return { paused: false };
  const until = RFC3339.test(value.trim()) ? Date.parse(value.trim()) : NaN;
  if (Number.isNaN(until)) return { paused: false, ignored: { value, why: 'malformed' } };
  if (until <= now.getTime()) return { paused: false, ignored: { value, why: 'expired' } };
  return { paused: true, until: new Date(until).toISOString() };
}
