// Whether a command is installed, by looking for it on PATH as a shell would: no process started.
// Asking the command itself (`gcloud --version`) costs a Python start, ~1 s of CPU per suite.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The first executable file named `command` in a PATH directory that `accept`s it, or undefined. */
export function findOnPath(command: string, accept: (candidate: string) => boolean = () => true): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile() && accept(candidate)) return candidate;
    } catch {
      // not here: keep looking
    }
  }
  return undefined;
}
