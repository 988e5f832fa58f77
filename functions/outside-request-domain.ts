// The Functions Framework runs every request inside a Node `domain` (its function_wrappers.js), so
// that an exception thrown outside any promise chain answers that request with a 500 instead of
// ending the process. While code runs in a domain, Node's domain hook marks every promise and
// other async resource created there with the domain and enters and leaves it around each
// callback: for a sweep, which decodes tens of thousands of resources through promise-heavy
// clients, about a sixth of its CPU (README, Performance, figure 7b). Work started through
// outsideRequestDomain runs outside it. An exception it throws outside a promise chain then
// reaches the framework's uncaughtException handler, which ends the instance, as an unhandled
// rejection already does and as Node advises after a throw
// (https://nodejs.org/api/domain.html#warning-dont-ignore-errors); the caller still gets the
// work's rejection, inside its own domain.
import type { Domain } from 'node:domain';

export function outsideRequestDomain<T>(work: () => Promise<T>): Promise<T> {
  const current = (process as { domain?: Domain | null }).domain;
  if (!current) return work();
  current.exit();
  try {
    return work();
  } finally {
    current.enter();
  }
}
