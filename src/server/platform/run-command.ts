/**
 * Runs a program to its end and collects what it wrote: the one way the app, its scripts and the
 * tests start a short-lived child process (initdb and pg_ctl, pg_dump and tar, openssl, nginx -t).
 */
import { spawn } from 'node:child_process';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Run as this user and group (the embedded cluster's owner when the app runs as root). */
  uid?: number;
  gid?: number;
  /** The error for a non-zero exit; by default "<program> failed (exit N): <stderr>". */
  failure?: (exit: number | null, output: { stdout: string; stderr: string }) => Error;
}

/**
 * Resolves with the program's output once it exits with 0; rejects with `failure`'s error on any
 * other exit, and with the spawn error (ENOENT when the program is missing) if it never started.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.env && { env: options.env }),
      ...(options.uid !== undefined && { uid: options.uid }),
      ...(options.gid !== undefined && { gid: options.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve({ stdout, stderr });
      const output = { stdout, stderr };
      reject(
        options.failure?.(code, output) ??
          new Error(`${file.split('/').pop()} failed (exit ${code}): ${stderr.trim()}`),
      );
    });
  });
}
