import type { Logger } from 'pino';

/**
 * Shared cache and counters. Redis when configured (shared by all instances), in-process otherwise.
 * When Redis fails, reads miss, writes are skipped and counters fall back to in-process ones;
 * every failure is logged (throttled), none is swallowed silently.
 */
export interface Cache {
  readonly driver: 'redis' | 'memory';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Increments a counter that expires `windowMs` after its first hit; returns the count and ms left. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
  /** 'ok', or 'down' with the reason. */
  health(): Promise<{ status: 'ok' | 'down'; error?: string }>;
  close(): Promise<void>;
}

/** In-process store with expiry, bounded in size so a flood of keys cannot exhaust memory. */
export class MemoryStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  constructor(
    private readonly clock: () => Date,
    private readonly maxEntries = 50_000,
  ) {}

  private now(): number {
    return this.clock().getTime();
  }

  get(key: string): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: string, ttlMs: number): void {
    if (this.entries.size >= this.maxEntries) this.evict();
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
  }

  del(key: string): void {
    this.entries.delete(key);
  }

  hit(key: string, windowMs: number): { count: number; resetMs: number } {
    const now = this.now();
    const e = this.entries.get(key);
    if (!e || e.expiresAt <= now) {
      this.set(key, '1', windowMs);
      return { count: 1, resetMs: windowMs };
    }
    e.value = String(Number(e.value) + 1);
    return { count: Number(e.value), resetMs: e.expiresAt - now };
  }

  private evict(): void {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
    // Still full: drop the oldest tenth (Map keeps insertion order).
    if (this.entries.size >= this.maxEntries) {
      let n = Math.ceil(this.maxEntries / 10);
      for (const k of this.entries.keys()) {
        if (n-- <= 0) break;
        this.entries.delete(k);
      }
    }
  }
}

/** `now` is the process clock: entries and counters expire by it. */
export function memoryCache(now: () => Date, prefix = ''): Cache {
  const store = new MemoryStore(now);
  return {
    driver: 'memory',
    get: async (key) => store.get(prefix + key),
    set: async (key, value, ttl) => store.set(prefix + key, value, ttl * 1000),
    del: async (...keys) => keys.forEach((k) => store.del(prefix + k)),
    hit: async (key, windowMs) => store.hit(prefix + key, windowMs),
    health: async () => ({ status: 'ok' }),
    close: async () => undefined,
  };
}

/**
 * Redis's client is loaded only when Redis is configured: an app without it never holds its code.
 * Redis expires entries by its own clock; `now` serves the in-process fallback and the log throttle.
 */
export async function redisCache(
  url: string,
  logger: Logger,
  now: () => Date,
  prefix = 'wt:',
): Promise<Cache> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    // Fail fast while Redis is away instead of queueing requests forever.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectTimeout: 2000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 5000),
  });
  const fallback = new MemoryStore(now);
  let lastWarn = 0;
  let lastError: string | undefined;
  const warn = (op: string, err: unknown) => {
    lastError = err instanceof Error ? err.message : String(err);
    const at = now().getTime();
    if (at - lastWarn > 10_000) {
      lastWarn = at;
      logger.warn({ op, err: lastError }, 'redis unavailable: serving without the shared cache');
    }
  };
  redis.on('error', (err) => warn('connection', err));
  redis.on('ready', () => {
    if (lastError !== undefined) logger.info('redis connection restored');
    lastError = undefined;
  });

  return {
    driver: 'redis',
    async get(key) {
      try {
        return (await redis.get(prefix + key)) ?? undefined;
      } catch (err) {
        warn('get', err);
        return undefined;
      }
    },
    async set(key, value, ttl) {
      try {
        await redis.set(prefix + key, value, 'EX', ttl);
      } catch (err) {
        warn('set', err);
      }
    },
    async del(...keys) {
      if (keys.length === 0) return;
      try {
        await redis.del(...keys.map((k) => prefix + k));
      } catch (err) {
        warn('del', err);
      }
    },
    async hit(key, windowMs) {
      try {
        const k = prefix + key;
        const res = await redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec();
        const count = Number(res?.[0]?.[1] ?? 0);
        const ttl = Number(res?.[2]?.[1] ?? -1);
        return { count, resetMs: ttl > 0 ? ttl : windowMs };
      } catch (err) {
        // Limits never become unlimited: count in-process until Redis is back.
        warn('hit', err);
        return fallback.hit(prefix + key, windowMs);
      }
    },
    async health() {
      try {
        await redis.ping();
        return { status: 'ok' };
      } catch (err) {
        return { status: 'down', error: err instanceof Error ? err.message : String(err) };
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
