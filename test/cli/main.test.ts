// The dispatcher: help, a missing or unknown command, and bad flags, each with its exit code and
// on the stream a script expects (help asked for on stdout; mistakes on stderr).
import { runCli } from './cli-harness';

test('--help prints the usage on stdout and exits 0', async () => {
  for (const flag of ['--help', '-h', 'help']) {
    const { code, stdout, stderr } = await runCli([flag]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^usage: mesh-remediator <command> \[options\]\n/);
    for (const command of ['validate', 'diff', 'reconcile', 'replay', 'emulator']) expect(stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
  }
});

test('no command: the usage on stderr, exit 1', async () => {
  const { code, stdout, stderr } = await runCli([]);
  expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
  expect(stderr).toContain('usage: mesh-remediator');
});

test('an unknown command or flag names it, shows the usage on stderr, exit 1', async () => {
  const unknown = await runCli(['sync']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/^mesh-remediator: unknown command "sync"\n\nusage:/);
  const flag = await runCli(['diff', '--colour']);
  expect(flag.code).toBe(1);
  expect(flag.stdout).toBe('');
  expect(flag.stderr).toMatch(/^mesh-remediator diff: .*Unknown option '--colour'/);
  expect(flag.stderr).toContain('\n\nusage: mesh-remediator');
});

test('a bad environment value is a specific error, not a stack trace', async () => {
  const { code, stderr } = await runCli(['reconcile', '--config', 'deploy/mesh.example.yaml'], { env: { DRY_RUN: 'maybe' } });
  expect(code).toBe(1);
  expect(stderr).toBe('mesh-remediator reconcile: DRY_RUN must be true or false, got "maybe"\n');
});
