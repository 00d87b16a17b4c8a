import { Type } from 'typebox';
import type { AppInstance } from '../app.js';

const Component = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('down')]),
  driver: Type.String(),
  error: Type.Optional(Type.String()),
});

export function registerHealth(app: AppInstance): void {
  app.get(
    '/api/health/ping',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/api/health/ready',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'Readiness: database and cache state',
        description:
          '200 when the database answers (status "degraded" while Redis is down: requests are still served); 503 when the database does not.',
        security: [],
        response: {
          200: Type.Object({ status: Type.String(), database: Component, cache: Component }),
          503: Type.Object({ status: Type.String(), database: Component, cache: Component }),
        },
      },
    },
    async (_request, reply) => {
      const { database, cache } = app.deps;
      const db = await database
        .ping()
        .then(() => ({ status: 'ok' as const, driver: database.driver }))
        .catch((err: unknown) => ({
          status: 'down' as const,
          driver: database.driver,
          error: err instanceof Error ? err.message : String(err),
        }));
      const c = { ...(await cache.health()), driver: cache.driver };
      const status = db.status === 'down' ? 'down' : c.status === 'down' ? 'degraded' : 'ok';
      if (c.status === 'down') app.log.warn({ err: c.error }, 'readiness: redis is down');
      return reply.status(db.status === 'down' ? 503 : 200).send({ status, database: db, cache: c });
    },
  );
}
