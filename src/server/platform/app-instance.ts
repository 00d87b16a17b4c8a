import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import type { MarketDataProvider } from '../modules/market/provider.js';
import type { Cache } from './cache.js';
import type { Database } from './db.js';

export interface AppDeps {
  config: Config;
  database: Database;
  cache: Cache;
  logger: FastifyBaseLogger;
  /** Current instant; tests pass a fixed clock. */
  now: () => Date;
  /** Market data and broker accounts (T-Invest). */
  market?: MarketDataProvider | undefined;
  /** Market data without a token (MOEX ISS); with neither, prices are entered by hand. */
  moex?: MarketDataProvider | undefined;
}

export type AppInstance = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** The session id of a valid access token on the request, if any (for routes that work without one). */
    optionalSession(request: FastifyRequest): Promise<string | undefined>;
    /** The schedules' posting job (modules/schedules/posting.ts); tests run it by hand with their clock. */
    schedulePosting: {
      /** Posts every due occurrence not posted yet; returns how many this call posted. */
      postDue(): Promise<number>;
      /** One round of the timer: posts the due occurrences unless another instance has this minute. */
      tick(): Promise<void>;
    };
  }
  interface FastifyRequest {
    auth: { userId: string; sessionId: string };
  }
  interface FastifyContextConfig {
    /** Reachable without an access token. Every other /api route requires one. */
    public?: boolean;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; sid: string };
  }
}
