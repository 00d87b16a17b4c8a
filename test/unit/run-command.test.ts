import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCommand } from '../../src/server/platform/run-command.js';

describe('running a program to its end', () => {
  it('gives its output on exit 0', async () => {
    const { stdout } = await runCommand(process.execPath, ['-e', 'process.stdout.write("ok")']);
    assert.equal(stdout, 'ok');
  });

  it('fails with its stderr on another exit, or with the caller’s own error', async () => {
    const script = ['-e', 'process.stderr.write("broken"); process.exit(3)'];
    await assert.rejects(runCommand(process.execPath, script), /failed \(exit 3\): broken/);
    await assert.rejects(
      runCommand(process.execPath, script, {
        failure: (code, { stderr }) => new RangeError(`${code} ${stderr}`),
      }),
      (err: unknown) => err instanceof RangeError && err.message === '3 broken',
    );
  });

  it('a missing program is the spawn error, ENOENT', async () => {
    await assert.rejects(runCommand('/nonexistent/program', []), { code: 'ENOENT' });
  });
});
