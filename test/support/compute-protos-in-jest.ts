// What the function does in a plain Node process, done in jest's module registry: installComputeProtos()
// (functions/gcp/compute-protos.ts) puts the pruned compute descriptor in require.cache under the
// package's protos.json, but jest's registry ignores require.cache, so every suite that made a compute
// client read and parsed the 12 MB file (~0.5 s of CPU and ~80 MiB each). Here the compute client
// modules get the pruned descriptor, as in production; compute-protos.test.ts checks it against the
// full file (read from disk, not required) and checks the require.cache install in a Node process.
import { jest } from '@jest/globals';
import { COMPUTE_PROTOS_ID, prunedComputeProtos } from '../../functions/gcp/compute-protos';

jest.doMock(COMPUTE_PROTOS_ID, () => prunedComputeProtos());
