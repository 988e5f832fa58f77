// What the Cloud Run and Compute surfaces share: faults, the audit log, the random source, the
// log of accepted writes, and the timers of running operations (cleared on stop).
import type { AuditLog } from './audit';
import type { FaultControl } from './faults';
import type { Random } from './random';

/** Who is calling and how, taken from the HTTP request. */
export interface CallContext {
  principal: string;
  callerIp: string;
  userAgent: string;
}

/** One accepted mutating call: tests count these to prove "zero writes". */
export interface MutationRecord {
  api: 'run' | 'compute';
  methodName: string;
  resourceName: string;
  principal: string;
  time: string;
}

export interface Core {
  faults: FaultControl;
  audit: AuditLog;
  random: Random;
  mutations: MutationRecord[];
  timers: Set<NodeJS.Timeout>;
}

/** Logs one accepted mutating call, stamped now. */
export function recordMutation(core: Core, api: MutationRecord['api'], methodName: string, resourceName: string, ctx: CallContext): void {
  core.mutations.push({ api, methodName, resourceName, principal: ctx.principal, time: new Date().toISOString() });
}

/** Runs `action` after the current operation delay; at once (synchronously) when it is 0. */
export function afterOperationDelay(core: Core, action: () => void): void {
  const delay = core.faults.settings.operationDelayMs;
  if (delay <= 0) {
    action();
    return;
  }
  const timer = setTimeout(() => {
    core.timers.delete(timer);
    action();
  }, delay);
  core.timers.add(timer);
}

/** Resolves when the operation calls one of `waiters`, or after `timeoutMs` (a wait's deadline). */
export function waitUntilDone(core: Core, waiters: Array<() => void>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      core.timers.delete(timer);
      resolve();
    };
    const timer = setTimeout(finish, timeoutMs);
    core.timers.add(timer);
    waiters.push(finish);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
