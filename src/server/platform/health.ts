import { Type } from 'typebox';
import type { AppInstance } from './app-instance.js';
import { RETRY_AFTER_SECONDS } from './errors.js';

const Component = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('down')]),
  driver: Type.String(),
});

const PING = { status: 'ok' as const };

export function registerHealth(app: AppInstance): void {
  app.get(
    '/api/health/ping',
    {
      config: { public: true },
      // A few bytes: nothing to compress, and no hook per request asking.
      compress: false,
      decompress: false,
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }), 500: Type.Ref('ErrorResponse') },
      },
    },
    // Not async: a returned value is sent at once, without a promise and a microtask per ping.
    () => PING,
  );

  app.get(
    '/api/health/ready',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Readiness: database and cache state',
        description:
          '200 when the database answers (status "degraded" while Redis is down: requests are still served); 503 with Retry-After when the database does not. Why a component is down goes to the log only: the answer names no host.',
        security: [],
        response: {
          200: Type.Object({ status: Type.String(), database: Component, cache: Component }),
          503: Type.Object({ status: Type.String(), database: Component, cache: Component }),
          500: Type.Ref('ErrorResponse'),
        },
      },
    },
    async (_request, reply) => {
      const { database, cache } = app.deps;
      const db = await database
        .ping()
        .then(() => ({ status: 'ok' as const, driver: database.driver }))
        .catch((err: unknown) => {
          // The driver's message names the database host: it goes to the log, not to the caller.
          app.log.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'readiness: database is down',
          );
          return { status: 'down' as const, driver: database.driver };
        });
      const { error, ...cacheState } = await cache.health();
      const c = { ...cacheState, driver: cache.driver };
      const status = db.status === 'down' ? 'down' : c.status === 'down' ? 'degraded' : 'ok';
      if (c.status === 'down') app.log.warn({ err: error }, 'readiness: redis is down');
      if (db.status === 'down') void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return reply.status(db.status === 'down' ? 503 : 200).send({ status, database: db, cache: c });
    },
  );
}
