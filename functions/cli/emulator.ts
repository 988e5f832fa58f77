// `mesh-remediator emulator`: the local Cloud Run + Compute emulator (test/emulator), development
// tooling that is not part of the deployable. It is loaded only when asked for, and seeded from a
// mesh file read as every other command reads it. Run from the sources it is test/emulator beside
// them; run from build/ (the compiled CLI) it is the tools' own build, tools-build/ (`npm run build`).
import { loadMesh } from '../config/load';
import type { Mesh } from '../config/mesh';
import type { CliIO, Command } from './command';

type EmulatorCommand = (argv: string[], io: CliIO, loadSeed: (path: string) => Mesh) => Promise<number>;

export const emulator: Command = (argv, io) => loadEmulatorCommand()(argv, io, loadMesh);

function loadEmulatorCommand(): EmulatorCommand {
  try {
    const module = __filename.endsWith('.ts')
      ? require('../../test/emulator/command')
      : require('../../../tools-build/test/emulator/command');
    return (module as { emulatorCommand: EmulatorCommand }).emulatorCommand;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    throw new Error(
      'the emulator is development tooling and not in this installation: run it from a checkout of the repository after `npm ci` (or `npm run build`)',
    );
  }
}
