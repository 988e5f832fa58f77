// Google's per-project Compute rate quotas as the emulator enforces them in the fleet benches
// (docs/google-behaviour.md, "Rate quotas"): 1,500 requests per minute per group, fixed windows
// aligned to the minute. Cloud Run's are unverified and left unlimited.
import type { QuotaSettings } from '../test/emulator';

export const GOOGLE_COMPUTE_QUOTAS: QuotaSettings = {
  compute: { read: 1500, list: 1500, write: 1500, operationRead: 1500 },
  run: {},
  windowMs: 60_000,
};
