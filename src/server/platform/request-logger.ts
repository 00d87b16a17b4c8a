import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilent } from 'pino';

type Level = Exclude<LevelWithSilent, 'silent'>;
type LogArgs = Parameters<FastifyBaseLogger['info']>;

/**
 * The logger of one request, made only when a line is written. A pino child logger costs more CPU
 * to create than the rest of a small request (it serialises its bindings through the redaction of
 * secrets), and most requests write nothing at the usual levels.
 */
class RequestLogger {
  #real: FastifyBaseLogger | undefined;
  declare msgPrefix: string | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get real(): FastifyBaseLogger {
    this.#real ??= this.parent.child(this.bindings, this.options);
    return this.#real;
  }

  private enabled(level: Level): boolean {
    const parent = this.parent as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };
    return this.#real !== undefined || parent.isLevelEnabled?.(level) !== false;
  }

  get level(): string {
    return this.#real?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }

  fatal(...args: LogArgs) {
    if (this.enabled('fatal')) this.real.fatal(...args);
  }
  error(...args: LogArgs) {
    if (this.enabled('error')) this.real.error(...args);
  }
  warn(...args: LogArgs) {
    if (this.enabled('warn')) this.real.warn(...args);
  }
  info(...args: LogArgs) {
    if (this.enabled('info')) this.real.info(...args);
  }
  debug(...args: LogArgs) {
    if (this.enabled('debug')) this.real.debug(...args);
  }
  trace(...args: LogArgs) {
    if (this.enabled('trace')) this.real.trace(...args);
  }
  silent() {}
}

/** Fastify's childLoggerFactory: a request's logger, created on its first line. */
export function requestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new RequestLogger(logger, bindings, options);
}
