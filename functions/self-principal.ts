// The function's own identity, so its own writes (which come back as audit events) are skipped.
// SELF_PRINCIPAL wins; on Google Cloud the metadata server knows the runtime service account.
import type { Environment } from './config/environment';

const METADATA_EMAIL_URL = 'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/email';

export async function discoverSelfPrincipal(
  environment: Pick<Environment, 'selfPrincipal' | 'emulated' | 'metadataServer'>,
  timeoutMs = 1000,
): Promise<string | undefined> {
  if (environment.selfPrincipal) return environment.selfPrincipal;
  // Locally (emulators, tests) there is no metadata server and nothing may probe for one.
  if (environment.emulated || !environment.metadataServer) return undefined;
  try {
    const res = await fetch(METADATA_EMAIL_URL, { headers: { 'Metadata-Flavor': 'Google' }, signal: AbortSignal.timeout(timeoutMs) });
    return res.ok ? (await res.text()).trim() : undefined;
  } catch {
    return undefined;
  }
}
