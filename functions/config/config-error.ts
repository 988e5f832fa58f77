// What the function says when its own configuration is unusable: at start, one structured ERROR
// line per problem (`jsonPayload.event="mesh-remediator.config-error"`, with the file, the path
// and the problem, never a secret's value); afterwards, while events wait for a fix, at most one
// ALERT line per instance and minute saying that they are being redelivered (and dead-lettered),
// instead of a line per event.
import type { Logger } from '../log';
import type { EnvironmentProblem } from './environment';
import type { MeshConfigError } from './mesh-config-error';

export const CONFIG_ERROR_EVENT = 'mesh-remediator.config-error';
/** The `file` of a problem in an environment variable (its `path` is the variable's name). */
export const ENVIRONMENT_FILE = 'environment';
export const CONFIG_ALERT_INTERVAL_MS = 60_000;

export interface ConfigProblemLine {
  file: string;
  path: string;
  problem: string;
  /** Events cannot be judged while it stands (every mesh problem; some variables: environment.ts). */
  blocking: boolean;
}

export function configProblems(environment: EnvironmentProblem[], mesh: MeshConfigError | undefined): ConfigProblemLine[] {
  return [
    ...environment.map((p) => ({ file: ENVIRONMENT_FILE, path: p.variable, problem: p.problem, blocking: p.blocking })),
    ...(mesh ? mesh.problems.map((p) => ({ file: mesh.file, path: p.path, problem: p.message, blocking: true })) : []),
  ];
}

/** `DRY_RUN must be true or false, got "maybe"` or `mesh.yaml: services[0].region: must be ...`. */
export function describeProblem({ file, path, problem }: ConfigProblemLine): string {
  return file === ENVIRONMENT_FILE ? `${path} ${problem}` : `${file}: ${path}: ${problem}`;
}

export function logConfigProblems(logger: Logger, problems: ConfigProblemLine[]): void {
  for (const line of problems) {
    const { file, path, problem, blocking } = line;
    const effect = blocking ? 'events that need the mesh are redelivered until it is fixed' : 'going on without it';
    logger.log('ERROR', `configuration problem: ${describeProblem(line)} (${effect})`, {
      event: CONFIG_ERROR_EVENT,
      file,
      path,
      problem,
      blocking,
    });
  }
}

/** One sentence for a delivery that could not be judged, e.g. in a retry reason. */
export function summariseProblems(problems: ConfigProblemLine[]): string {
  const [first] = problems;
  if (!first) return 'no problem recorded';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return `${describeProblem(first)}${more}`;
}

/** The ALERT while the configuration stays unusable, at most once per interval per instance. */
export class ConfigAlarm {
  private lastAt = -Infinity;
  private held = 0;

  constructor(
    private readonly logger: Logger,
    private readonly problems: ConfigProblemLine[],
    private readonly intervalMs = CONFIG_ALERT_INTERVAL_MS,
  ) {}

  /** An event could not be judged at `now` (ms). */
  raise(now: number): void {
    this.held++;
    if (now - this.lastAt < this.intervalMs) return;
    this.lastAt = now;
    const held = this.held;
    this.held = 0;
    this.logger.log(
      'ALERT',
      `configuration unusable (${summariseProblems(this.problems)}): ${held} event(s) that need the mesh answered for redelivery; ` +
        "after the subscription's last attempt they wait in the dead-letter topic: fix the configuration, then run mesh-remediator replay --subscription",
      { event: CONFIG_ERROR_EVENT, redelivered: held, problems: this.problems.length },
    );
  }
}
