// Questions asked of the emulator's audit log about the function's own calls: did it touch
// anything outside the declaration, did it delete anything. Failed calls count too: an attempt
// on a foreign resource is as wrong as a success.
import type { Mesh } from '../../../functions/config/mesh';
import type { LogEntry } from '../../emulator';
import { declaredResourceNames } from './declared-state';
import { SELF_PRINCIPAL } from '../../support/identity';

interface Payload {
  methodName?: string;
  resourceName?: string;
  authenticationInfo?: { principalEmail?: string };
}

const payload = (e: LogEntry): Payload => e.protoPayload as Payload;

export function ownEntries(entries: readonly LogEntry[], principal = SELF_PRINCIPAL): LogEntry[] {
  return entries.filter((e) => payload(e).authenticationInfo?.principalEmail === principal);
}

/** `method resourceName` of each own entry whose resource is not declared. */
export function writesOutside(entries: readonly LogEntry[], mesh: Mesh): string[] {
  const declared = declaredResourceNames(mesh);
  return ownEntries(entries)
    .filter((e) => !declared.has(payload(e).resourceName ?? ''))
    .map((e) => `${payload(e).methodName} ${payload(e).resourceName}`);
}

export function ownDeletes(entries: readonly LogEntry[]): string[] {
  return ownEntries(entries)
    .filter((e) => /(\.delete|DeleteService)$/.test(payload(e).methodName ?? ''))
    .map((e) => `${payload(e).methodName} ${payload(e).resourceName}`);
}
