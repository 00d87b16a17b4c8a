import autocannon from 'autocannon';

export interface LoadTarget {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  mean: number;
  /** Connection errors, timeouts and answers other than 2xx. */
  errors: number;
  requests: number;
  /** CPU time of the server per request (µs), when a meter was given. */
  cpuMicrosPerRequest?: number;
}

function run(baseUrl: string, target: LoadTarget, seconds: number, connections: number) {
  return autocannon({
    url: baseUrl + target.path,
    method: target.method ?? 'GET',
    headers: {
      ...(target.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...target.headers,
    },
    body: target.body,
    connections,
    duration: seconds,
    timeout: 10,
  });
}

/** A warm-up run (JIT, caches, pool connections), then the measured one. */
export async function load(
  baseUrl: string,
  target: LoadTarget,
  options: { seconds: number; warmupSeconds: number; connections: number },
  /** The server's CPU time in ms: a figure that other load on the machine disturbs less than req/s. */
  cpuMs?: () => number,
): Promise<LoadResult> {
  await run(baseUrl, target, options.warmupSeconds, options.connections);
  const cpuBefore = cpuMs?.();
  const r = await run(baseUrl, target, options.seconds, options.connections);
  const cpuAfter = cpuMs?.();
  return {
    cpuMicrosPerRequest:
      cpuBefore === undefined || cpuAfter === undefined || r.requests.total === 0
        ? undefined
        : ((cpuAfter - cpuBefore) * 1000) / r.requests.total,
    requestsPerSecond: r.requests.total / options.seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.average,
    errors: r.errors + r.timeouts + r.non2xx,
    requests: r.requests.total,
  };
}

/** The same statistics for a function run by `concurrency` workers in a loop for `seconds`. */
export async function loadFunction(
  fn: () => Promise<unknown>,
  options: { seconds: number; warmupSeconds: number; concurrency: number },
): Promise<LoadResult> {
  const measure = async (seconds: number) => {
    const latencies: number[] = [];
    let errors = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < end) {
          const start = performance.now();
          try {
            await fn();
            latencies.push(performance.now() - start);
          } catch {
            errors++;
          }
        }
      }),
    );
    return { latencies, errors };
  };
  await measure(options.warmupSeconds);
  const { latencies, errors } = await measure(options.seconds);
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / options.seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length),
    errors,
    requests: latencies.length,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}
