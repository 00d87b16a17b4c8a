import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Cache } from './cache.js';
import { AppError } from './errors.js';

export interface LimitRule {
  /** Distinguishes counters of different rules. */
  name: string;
  max: number;
  windowMs: number;
  /** The counter key for a request, e.g. the client address, or address + account. */
  key: (request: FastifyRequest) => string;
}

/**
 * Fixed-window limits over the shared cache (Redis across instances, in-process otherwise or
 * while Redis is down). Keys are per client address, or address + account: never one key for
 * the whole site and never the account alone, so nobody can lock another user out.
 */
export function limit(cache: Cache, rule: LimitRule) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { count, resetMs } = await cache.hit(`rl:${rule.name}:${rule.key(request)}`, rule.windowMs);
    const resetSeconds = Math.ceil(resetMs / 1000);
    void reply.header('x-ratelimit-limit', rule.max);
    void reply.header('x-ratelimit-remaining', Math.max(0, rule.max - count));
    void reply.header('x-ratelimit-reset', resetSeconds);
    if (count > rule.max) {
      void reply.header('retry-after', resetSeconds);
      throw new AppError(429, 'RATE_LIMITED', `Too many requests; try again in ${resetSeconds} s`);
    }
  };
}
