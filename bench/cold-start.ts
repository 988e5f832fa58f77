// Cold start, measured as Cloud Run pays it: a fresh process, the Functions Framework loading the
// source, the first request answered. Candidates and baselines are started alternately so that
// drift in machine load falls on both alike.
import { startFunction, type FunctionSpec, type HttpRequest, type HttpResponse } from './function-process';
import type { ProbeReport } from './probe';

export interface ColdSample {
  /** spawn → first response, ms */
  ms: number;
  maxRssMiB: number;
  googleClientPackages: string[];
  response: HttpResponse;
}

export interface ColdSubject {
  label: string;
  spec: FunctionSpec;
  request: HttpRequest;
  /** Runs before each start (e.g. reset the emulator's state). */
  before?: () => void | Promise<void>;
  /** Runs after the response, before the process is stopped (e.g. check the repair). */
  after?: (sample: ColdSample) => void | Promise<void>;
}

export async function coldStartOnce(subject: ColdSubject): Promise<ColdSample> {
  await subject.before?.();
  const fn = await startFunction(subject.spec);
  try {
    const { response, at } = await fn.firstResponse(subject.request);
    const report: ProbeReport = await fn.report();
    const sample: ColdSample = {
      ms: at - fn.spawnedAt,
      maxRssMiB: report.maxRssKiB / 1024,
      googleClientPackages: report.googleClientPackages,
      response,
    };
    if (response.status >= 400) {
      throw new Error(
        `${subject.label} answered ${response.status}: ${response.body.slice(0, 500)}\n${fn.stdout.slice(-5).join('\n')}\n${fn.stderr.slice(-5).join('\n')}`,
      );
    }
    await subject.after?.(sample);
    return sample;
  } finally {
    await fn.stop();
  }
}

/** `runs` cold starts of each subject, interleaved; one discarded warm-up start of each first (disk cache). */
export async function coldStarts(subjects: readonly ColdSubject[], runs: number): Promise<ColdSample[][]> {
  for (const s of subjects) await coldStartOnce(s);
  const samples: ColdSample[][] = subjects.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, s] of subjects.entries()) samples[j]?.push(await coldStartOnce(s));
  }
  return samples;
}
