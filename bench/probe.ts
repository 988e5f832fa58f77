// Preloaded (`node --require`) into every function process the bench starts, ours and the
// baselines alike, so the cost is the same for both. On request over the IPC channel it reports
// the process's peak RSS, CPU time and which Google client packages are in the module cache.
import { googleClientPackages } from './google-modules';

export interface ProbeReport {
  /** process.resourceUsage().maxRSS, in KiB (the same figure as /proc/PID/status VmHWM). */
  maxRssKiB: number;
  /** process.cpuUsage(), user + system, in ms since the process started */
  cpuMs: number;
  googleClientPackages: string[];
}

process.on('message', (message) => {
  if (message !== 'report' || !process.send) return;
  const report: ProbeReport = {
    maxRssKiB: process.resourceUsage().maxRSS,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    googleClientPackages: googleClientPackages(Object.keys(require.cache)),
  };
  process.send(report);
});
