// Target 1: an irrelevant event on a cold instance costs at most 1.5× a bare Functions Framework
// function and at most 15 MiB more peak RSS, and loads no Google client library.
import { coldStarts, type ColdSample } from '../cold-start';
import { storageWriteEvent } from '../events';
import { figure, median, type Figure } from '../figures';
import { writeMesh } from '../mesh-file';
import { BARE_FUNCTION, FUNCTION_SOURCE, SELF_PRINCIPAL } from '../paths';

export async function coldIrrelevant(runs: number): Promise<Figure> {
  const request = storageWriteEvent();
  const [ours, bare] = (await coldStarts(
    [
      {
        label: 'remediateDrift',
        spec: {
          source: FUNCTION_SOURCE,
          target: 'remediateDrift',
          signatureType: 'cloudevent',
          env: { MESH_CONFIG: writeMesh(1), SELF_PRINCIPAL },
        },
        request,
      },
      { label: 'bare', spec: { source: BARE_FUNCTION, target: 'bare', signatureType: 'cloudevent' }, request },
    ],
    runs,
  )) as [ColdSample[], ColdSample[]];
  const extraRss = median(ours.map((s) => s.maxRssMiB)) - median(bare.map((s) => s.maxRssMiB));
  const loaded = [...new Set(ours.flatMap((s) => s.googleClientPackages))];
  return figure({
    id: '1',
    title: 'irrelevant event, cold (spawn → response)',
    samples: ours.map((s) => s.ms),
    unit: 'ms',
    baseline: { label: 'bare Functions Framework function', samples: bare.map((s) => s.ms) },
    target: { comparison: '<=', limit: 1.5 },
    checks: [
      { name: 'extra peak RSS MiB', value: round1(extraRss), target: '<= 15', met: extraRss <= 15 },
      {
        name: 'Google client modules loaded',
        value: loaded.length === 0 ? 'none' : loaded.join(','),
        target: 'none',
        met: loaded.length === 0,
      },
    ],
    notes: [
      `event: Cloud Storage object write audit entry, Eventarc Pub/Sub messagePublished CloudEvent in binary mode`,
      `peak RSS (median): ours ${round1(median(ours.map((s) => s.maxRssMiB)))} MiB, bare ${round1(median(bare.map((s) => s.maxRssMiB)))} MiB`,
      `SELF_PRINCIPAL set (as the deploy module does), so no metadata-server lookup`,
    ],
    explainMiss: (f) =>
      loaded.length > 0
        ? `the irrelevant path loaded ${loaded.join(', ')}: something on it imports a client module eagerly.`
        : `ours answered ${Math.round(f.value - f.baseline.value)} ms after the bare function (${round1(extraRss)} MiB more): the cost of loading functions/index.js and what it imports eagerly; cold starts spread widely on a loaded machine (samples ${f.samples.map(Math.round).join(', ')} vs ${f.baselineSamples?.map(Math.round).join(', ')}).`,
  });
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;
