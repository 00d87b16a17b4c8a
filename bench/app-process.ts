import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** `pid` and every process below it (the embedded database runs as the app's child processes). */
function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while the table was read
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) tree.push(...(parents.get(tree[i]!) ?? []));
  return tree;
}

/** A /proc field in kB summed over the tree, in MiB; a process that ended counts 0. */
function sumKb(pids: number[], file: string, field: RegExp): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(field.exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'))?.[1] ?? 0);
    } catch {
      // ended
    }
  }
  return kb / 1024;
}

/** The app (or the bare ping server) as a separate process, so load and measurement do not share its CPU time. */
export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** Resident memory of the process and its children now, in MiB (VmRSS from /proc, added up). */
  rssMiB: () => number;
  /**
   * The same as a proportional set size (Pss from /proc): memory shared between the processes
   * (PostgreSQL's shared buffers and code) counted once, in MiB.
   */
  pssMiB: () => number;
  /** CPU time the process and its children have used so far (user + system), in ms. */
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
    rssMiB: () => sumKb(processTree(pid), 'status', /VmRSS:\s+(\d+)\s+kB/),
    pssMiB: () => sumKb(processTree(pid), 'smaps_rollup', /Pss:\s+(\d+)\s+kB/),
    cpuMs: () => {
      let ticks = 0;
      for (const p of processTree(pid)) {
        try {
          // Fields 14 to 17 of /proc/<pid>/stat: own and waited-for children's user and system
          // time, in clock ticks (100 a second on Linux); backends that ended count in the last two.
          const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
          ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
        } catch {
          // ended
        }
      }
      return ticks * 10;
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

/** The highest RSS and PSS of the app's processes seen while `work` runs, sampled every 250 ms. */
export async function peakRss<T>(
  server: ServerProcess,
  work: () => Promise<T>,
): Promise<{ result: T; peakMiB: number; peakPssMiB: number }> {
  let peakMiB = server.rssMiB();
  let peakPssMiB = server.pssMiB();
  const sample = () => {
    peakMiB = Math.max(peakMiB, server.rssMiB());
    peakPssMiB = Math.max(peakPssMiB, server.pssMiB());
  };
  const timer = setInterval(sample, 250);
  try {
    const result = await work();
    sample();
    return { result, peakMiB, peakPssMiB };
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
