// `npm test`: the type-check (`tsc --noEmit` over the whole tree, tests included) and jest side by
// side instead of one after the other. Most suites spend their time waiting on child processes
// (function instances, emulators, terraform), so the type-check, at a lower CPU priority than the
// suites, runs in the time they leave idle and never starves a suite that is timing something.
// Arguments go to jest. Fails when either fails; tsc's findings print after jest's summary.
// The type-check is TypeScript 7's native compiler (`typescript-native`, ~3x less CPU than
// TypeScript 6's tsc over this tree); the build, ts-node and eslint keep TypeScript 6.
const { spawn } = require('node:child_process');
const { setPriority } = require('node:os');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
/** Added to the type-check's nice value (lower priority); the suites keep theirs. */
const TYPECHECK_NICENESS = 10;

function start(script, args, options) {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', script), ...args], { cwd: ROOT, ...options });
  const exited = new Promise((resolve) => {
    child.once('error', (err) => resolve({ code: 1, error: err }));
    child.once('exit', (code, signal) => resolve({ code: code ?? 1, signal }));
  });
  return { child, exited };
}

async function main() {
  const typecheck = start('typescript-native/bin/tsc', ['--noEmit', '-p', 'tsconfig.json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    setPriority(typecheck.child.pid, TYPECHECK_NICENESS);
  } catch {
    // not allowed here (or not supported): it runs at the suites' priority, only slower for them
  }
  let findings = '';
  typecheck.child.stdout.on('data', (chunk) => (findings += chunk));
  typecheck.child.stderr.on('data', (chunk) => (findings += chunk));

  const jest = start('jest/bin/jest.js', process.argv.slice(2), { stdio: 'inherit' });
  const [jestExit, typecheckExit] = await Promise.all([jest.exited, typecheck.exited]);

  if (typecheckExit.code === 0) process.stderr.write('type-check (tsc --noEmit -p tsconfig.json): no errors\n');
  else
    process.stderr.write(
      `type-check (tsc --noEmit -p tsconfig.json) FAILED (${typecheckExit.signal ?? typecheckExit.code}):\n${findings}${typecheckExit.error ?? ''}\n`,
    );
  process.exitCode = jestExit.code !== 0 ? jestExit.code : typecheckExit.code;
}

void main();
