import { createHash, timingSafeEqual } from 'node:crypto';
import { Type } from 'typebox';
import type { AppInstance } from './app-instance.js';
import { AppError } from './errors.js';

// Seconds; covers a cached read (a few ms) up to a slow report or a T-Invest round trip.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * `GET /metrics` in the Prometheus text format: requests and latency by route pattern and status,
 * database pool gauges, process memory and the event loop. Off unless METRICS_TOKEN is set; then
 * the scraper sends `Authorization: Bearer <METRICS_TOKEN>`. Each app has its own registry, so
 * several apps in one process (tests) do not mix their numbers. The Prometheus client is loaded
 * only when metrics are on.
 */
export async function registerMetrics(app: AppInstance): Promise<void> {
  const { config, database } = app.deps;
  if (config.metricsToken === undefined) return;
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = await import('prom-client');
  const expected = digest(`Bearer ${config.metricsToken}`);

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status',
    labelNames,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting clients); absent for the embedded database',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = database.poolStats();
      if (stats === undefined) return;
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });

  // A callback hook, not an async one: no promise and no extra microtask per request.
  app.addHook('onResponse', (request, reply, done) => {
    // The pattern (`/api/budget/accounts/:id`), never the raw URL: ids and typos would make a new series each.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
    done();
  });

  app.get(
    '/metrics',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics (needs Authorization: Bearer <METRICS_TOKEN>)',
        security: [],
        response: {
          200: Type.String({ description: 'Prometheus text exposition format' }),
          401: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (request, reply) => {
      const given = digest(request.headers.authorization ?? '');
      if (!timingSafeEqual(given, expected)) {
        throw new AppError(401, 'UNAUTHORIZED', 'Metrics need Authorization: Bearer <METRICS_TOKEN>');
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
}
