// Counts what the emulator's fault injection actually did during a suite (429s, 503s, failed
// operations, forced 409 races), by wrapping the decision methods of its FaultControl instance.
// Figures only: they show the chaos was real, they decide nothing.
import type { FaultControl } from '../../emulator';

export interface FaultCounts {
  rateLimited429: number;
  unavailable503: number;
  failedOperations: number;
  forcedRaces409: number;
}

export function countFaults(faults: FaultControl): FaultCounts {
  const counts: FaultCounts = { rateLimited429: 0, unavailable503: 0, failedOperations: 0, forcedRaces409: 0 };
  const transientError = faults.transientError.bind(faults);
  faults.transientError = (methodName) => {
    const error = transientError(methodName);
    if (error?.httpStatus === 429) counts.rateLimited429 += 1;
    if (error?.httpStatus === 503) counts.unavailable503 += 1;
    return error;
  };
  const operationFails = faults.operationFails.bind(faults);
  faults.operationFails = (methodName) => {
    const fails = operationFails(methodName);
    if (fails) counts.failedOperations += 1;
    return fails;
  };
  const takeRace = faults.takeRace.bind(faults);
  faults.takeRace = (names) => {
    const race = takeRace(names);
    if (race) counts.forcedRaces409 += 1;
    return race;
  };
  return counts;
}
