// Colour on a terminal, plain text anywhere else. picocolors (no dependencies, CommonJS) does the
// escape codes; the decision is ours, per run, because it depends on the io a command was given
// rather than on the process it was loaded in (tests run commands in-process).
import { createColors } from 'picocolors';
import type { CliIO } from './command';

export type Colours = ReturnType<typeof createColors>;

/**
 * NO_COLOR (https://no-color.org: set and not empty) turns colour off and wins; FORCE_COLOR set to
 * anything but "", "0" or "false" turns it on (through a pipe too); otherwise colour when stdout is
 * a terminal that is not TERM=dumb.
 */
export function colourEnabled(io: Pick<CliIO, 'env' | 'isTTY'>): boolean {
  const { NO_COLOR, FORCE_COLOR, TERM } = io.env;
  if (NO_COLOR) return false;
  if (FORCE_COLOR !== undefined && FORCE_COLOR !== '') return FORCE_COLOR !== '0' && FORCE_COLOR !== 'false';
  return io.isTTY && TERM !== 'dumb';
}

export function colours(io: Pick<CliIO, 'env' | 'isTTY'>): Colours {
  return createColors(colourEnabled(io));
}
