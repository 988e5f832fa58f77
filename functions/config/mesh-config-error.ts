// Every problem found in a mesh file, each as `FILE: services[2].loadBalancer.ipAddress: <problem>`,
// so an operator fixes them all in one pass instead of one per deploy.

export interface ConfigProblem {
  /** JS-ish path into the document, e.g. `services[2].loadBalancer.ipAddress`; `(root)` for the whole file. */
  path: string;
  message: string;
}

export class MeshConfigError extends Error {
  override readonly name = 'MeshConfigError';

  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(problems.map((p) => `${file}: ${p.path}: ${p.message}`).join('\n'));
  }
}

export const ROOT_PATH = '(root)';

/** `['services', 2, 'loadBalancer']` → `services[2].loadBalancer`. */
export function formatPath(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || ROOT_PATH;
}
