import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The app (or the bare ping server) as a separate process, so load and measurement do not share its CPU time. */
export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** Resident memory of the process now, in MiB (VmRSS from /proc). */
  rssMiB: () => number;
  /** CPU time the process has used so far (user + system), in ms. */
  cpuMs: () => number;
  stop: () => Promise<void>;
}

/** Starts `node <nodeArgs>` and waits until it answers `readyPath`. */
export async function startProcess(
  nodeArgs: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
): Promise<ServerProcess> {
  const script = nodeArgs.join(' ');
  const child: ChildProcess = spawn(process.execPath, nodeArgs, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(baseUrl + readyPath);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not answer ${readyPath} within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${script} has no pid`);
  return {
    baseUrl,
    pid,
    rssMiB: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
      return kb === undefined ? 0 : Number(kb) / 1024;
    },
    cpuMs: () => {
      // Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 a second on Linux).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 25_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** The highest RSS seen while `work` runs, sampled every 100 ms. */
export async function peakRss<T>(
  server: ServerProcess,
  work: () => Promise<T>,
): Promise<{ result: T; peakMiB: number }> {
  let peakMiB = server.rssMiB();
  const timer = setInterval(() => {
    peakMiB = Math.max(peakMiB, server.rssMiB());
  }, 100);
  try {
    const result = await work();
    peakMiB = Math.max(peakMiB, server.rssMiB());
    return { result, peakMiB };
  } finally {
    clearInterval(timer);
  }
}

export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
