// A progress bar on a terminal (stderr, redrawn in place, at most ~20 times a second); nothing
// otherwise, where the commands print plain lines instead.
import type { CliIO } from './command';

export interface Progress {
  tick(done: number, total: number): void;
  done(): void;
}

export function progress(io: CliIO, label: string, width = 30): Progress {
  if (!io.isTTY) return { tick: () => undefined, done: () => undefined };
  let last = 0;
  let drawn = false;
  return {
    tick(done, total) {
      const now = Date.now();
      if (done < total && now - last < 50) return;
      last = now;
      drawn = true;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      io.stderr(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    },
    done() {
      if (drawn) io.stderr('\n');
    },
  };
}
