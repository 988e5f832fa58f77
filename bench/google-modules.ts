// Which Google client libraries a process has loaded: deciding that an event is irrelevant must
// load none of them (README: cheap when idle). Pure, so the test can feed it paths.
const GOOGLE_CLIENT = /[\\/]node_modules[\\/](?:@google-cloud[\\/](?:run|compute|pubsub)|google-gax)[\\/]/;

/** The distinct client packages (e.g. `@google-cloud/compute`, `google-gax`) among loaded module paths. */
export function googleClientPackages(modulePaths: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const path of modulePaths) {
    const match = GOOGLE_CLIENT.exec(path);
    if (match) found.add(match[0].replace(/^[\\/]node_modules[\\/]|[\\/]$/g, '').replace(/\\/g, '/'));
  }
  return [...found].sort();
}
