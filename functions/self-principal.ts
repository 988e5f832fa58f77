// The function's own identity, so its own writes (which come back as audit events) are skipped.
// SELF_PRINCIPAL wins; on Google Cloud the metadata server knows the runtime service account.
const METADATA_EMAIL_URL =
  'http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/email';

export async function discoverSelfPrincipal(
  configured: string | undefined,
  options: { emulated: boolean; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string | undefined> {
  if (configured) return configured;
  // Locally (emulators, tests) there is no metadata server and nothing may probe for one.
  if (options.emulated || options.env.METADATA_SERVER_DETECTION === 'none') return undefined;
  try {
    const res = await fetch(METADATA_EMAIL_URL, {
      headers: { 'Metadata-Flavor': 'Google' },
      signal: AbortSignal.timeout(options.timeoutMs ?? 1000),
    });
    return res.ok ? (await res.text()).trim() : undefined;
  } catch {
    return undefined;
  }
}
