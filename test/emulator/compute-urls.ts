// How Compute writes references: full https://www.googleapis.com/compute/v1/... URLs in what it
// returns, whatever form (partial path, beta URL) the caller sent. The emulator's own copy of
// these few rules, so it checks the product's code instead of sharing it.
export const COMPUTE_URL_BASE = 'https://www.googleapis.com/compute/v1/';

/** `projects/...` form of any Compute reference (full URL, beta URL or partial path). */
export function partialPath(ref: string): string {
  const at = ref.indexOf('projects/');
  return at >= 0 ? ref.slice(at).replace(/\/+$/, '') : ref;
}

/** The full v1 URL Compute answers with. */
export function toUrl(ref: string): string {
  return COMPUTE_URL_BASE + partialPath(ref);
}

/** Last path segment: the resource name. */
export function nameOf(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}
