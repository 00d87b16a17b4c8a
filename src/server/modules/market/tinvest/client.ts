/**
 * Generic T-Invest REST transport: `POST {base}/tinkoff.public.invest.api.contract.v1.{Service}/{Method}`
 * with a JSON body. It owns everything that is the same for every method: auth, timeouts, size caps,
 * redirects, retries, per-service rate budgets and turning error bodies into MarketDataError.
 * It returns the parsed JSON as `unknown`; callers check the shape with `WireReader`.
 */
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { MarketDataError, type MarketDataErrorCode } from '../provider.js';
import { PACKAGE, type TinvestService } from './wire.js';
import { BodyTooLargeError, leadingNumber, readTextCapped } from '../../../platform/http-body.js';

export interface TinvestClientOptions {
  /** REST base, e.g. https://invest-public-api.tinkoff.ru/rest (sandbox and fakes likewise). */
  baseUrl: string;
  /** Server token for market data; account-scoped calls pass the user's own. */
  token?: string;
  /** Per attempt, including reading the body. */
  timeoutMs?: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts and network failures. */
  maxRetries?: number;
  /** Sent as x-app-name for T-Invest's usage statistics. */
  appName?: string;
  /** Injectable so tests can observe waits without waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** The process clock (rate-limit budgets, owner look-up retries); tests pass a fixed or stepped one. */
  now: () => Date;
  /** Responses larger than this are refused (full instrument lists are several MB). */
  maxBodyBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;
/** Error bodies are short; a long one is an HTML page from some proxy and only its start matters. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_MESSAGE_CHARS = 300;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 8_000;
/** The docs' fallback when a 429 carries no x-ratelimit-reset. */
const RATE_LIMIT_FALLBACK_MS = 5_000;
/** Budgets are per minute, so a longer reset is a broken header, not a reason to stall for hours. */
const MAX_RESET_MS = 60_000;
/** How long a token whose GetInfo failed stands for itself before GetInfo is asked again. */
const OWNER_RETRY_MS = 5 * 60_000;
/** Visible ASCII only: anything else would make fetch throw an error that quotes the header value. */
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;
const UPSTREAM_CODE = /^\d{5}$/;

interface Budget {
  /** Epoch ms before which this service must not be called. */
  resumeAt: number;
}

interface UpstreamFailure {
  error: MarketDataError;
  retryable: boolean;
}

export class TinvestClient {
  private readonly baseUrl: string;
  private readonly serverToken: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly appName: string | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly maxBodyBytes: number;
  /**
   * Keyed by service and user: T-Invest counts limits per user across all their tokens, so the
   * server token and a user's own token may share one budget.
   */
  private readonly budgets = new Map<string, Budget>();
  /**
   * Token hash → the T-Invest user it belongs to (GetInfo, once per token), or the hash itself while
   * that is unknown; a failed GetInfo is asked again after OWNER_RETRY_MS.
   */
  private readonly owners = new Map<string, { owner: Promise<string>; retryAt: number | null }>();

  constructor(options: TinvestClientOptions) {
    const base = new URL(options.baseUrl);
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new TypeError(`T-Invest base URL must be http(s), got ${base.protocol}`);
    }
    this.baseUrl = base.href.replace(/\/+$/, '');
    this.serverToken = options.token === '' ? undefined : options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.appName = options.appName;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.now = () => options.now().getTime();
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /**
   * Calls one unary method and returns its parsed JSON. `token` overrides the server token; without
   * either the call fails with TOKEN_MISSING before anything is sent.
   */
  async call(service: TinvestService, method: string, request: object, token?: string): Promise<unknown> {
    const operation = `${service}/${method}`;
    const bearer = token ?? this.serverToken;
    if (bearer === undefined || bearer === '') {
      throw new MarketDataError('TOKEN_MISSING', 'No T-Invest token is configured for market data', {
        operation,
      });
    }
    if (!TOKEN_SHAPE.test(bearer)) {
      throw new MarketDataError(
        'TOKEN_INVALID',
        'The T-Invest token contains characters a token cannot have',
        {
          operation,
        },
      );
    }
    const budget = this.budgetFor(service, await this.ownerOf(bearer));
    const body = JSON.stringify(request);

    for (let attempt = 0; ; attempt++) {
      const resumeAt = budget.resumeAt;
      if (resumeAt > this.now()) {
        await this.sleep(resumeAt - this.now());
        // That moment has passed; clearing it (unless a newer response moved it) keeps an injected
        // sleep that does not advance the clock from waiting twice for the same reset.
        if (budget.resumeAt === resumeAt) budget.resumeAt = 0;
      }

      const outcome = await this.attempt(operation, body, bearer, budget);
      if (!('error' in outcome)) return outcome.json;
      if (!outcome.retryable || attempt >= this.maxRetries) throw outcome.error;
      if (outcome.error.code !== 'RATE_LIMITED') await this.sleep(backoffMs(attempt));
      // A 429 already moved budget.resumeAt, so the next iteration waits for the reset.
    }
  }

  /**
   * Whose request limits a token spends: its user's id, asked with GetInfo once it answers. Until
   * that is known (or while GetInfo fails) the token stands for its own user; a failure is not kept
   * for good but asked again OWNER_RETRY_MS later.
   */
  private ownerOf(token: string): Promise<string> {
    const hash = `token:${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`;
    const known = this.owners.get(hash);
    if (known !== undefined && (known.retryAt === null || known.retryAt > this.now())) return known.owner;
    const entry: { owner: Promise<string>; retryAt: number | null } = {
      owner: Promise.resolve(hash),
      retryAt: null,
    };
    entry.owner = this.attempt(
      'UsersService/GetInfo',
      '{}',
      token,
      this.budgetFor('UsersService', hash),
    ).then((outcome) => {
      const userId =
        'json' in outcome && isRecord(outcome.json) && typeof outcome.json.userId === 'string'
          ? outcome.json.userId
          : '';
      if (userId !== '') return `user:${userId}`;
      entry.retryAt = this.now() + OWNER_RETRY_MS;
      return hash;
    });
    this.owners.set(hash, entry);
    return entry.owner;
  }

  private budgetFor(service: TinvestService, owner: string): Budget {
    const key = `${service}:${owner}`;
    let budget = this.budgets.get(key);
    if (budget === undefined) {
      budget = { resumeAt: 0 };
      this.budgets.set(key, budget);
    }
    return budget;
  }

  private async attempt(
    operation: string,
    body: string,
    token: string,
    budget: Budget,
  ): Promise<{ json: unknown } | UpstreamFailure> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.appName !== undefined) headers['x-app-name'] = this.appName;

    let response: Response;
    let text: string;
    const failure = (code: MarketDataErrorCode, message: string, retryable: boolean): UpstreamFailure => ({
      error: new MarketDataError(code, `T-Invest ${operation}: ${message}`, { operation }),
      retryable,
    });
    try {
      response = await fetch(`${this.baseUrl}/${PACKAGE}.${operation}`, {
        method: 'POST',
        headers,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      updateBudget(budget, response, this.now());
      const limit = response.ok ? this.maxBodyBytes : Math.min(this.maxBodyBytes, MAX_ERROR_BODY_BYTES);
      text = await readTextCapped(response, limit, !response.ok);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return failure('UPSTREAM_BAD_RESPONSE', `response body exceeds ${error.limit} bytes`, false);
      }
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        return failure('UPSTREAM_UNAVAILABLE', `no answer within ${this.timeoutMs} ms`, true);
      }
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
      if (cause === 'unexpected redirect') {
        return failure(
          'UPSTREAM_BAD_RESPONSE',
          'the upstream answered with a redirect, which is refused',
          false,
        );
      }
      return failure('UPSTREAM_UNAVAILABLE', `network error${cause === '' ? '' : `: ${cause}`}`, true);
    }

    const trackingId = response.headers.get('x-tracking-id') ?? undefined;
    if (response.ok) {
      try {
        return { json: JSON.parse(text) as unknown };
      } catch {
        return {
          error: new MarketDataError(
            'UPSTREAM_BAD_RESPONSE',
            `T-Invest ${operation}: the response is not JSON`,
            {
              operation,
              httpStatus: response.status,
              trackingId,
            },
          ),
          retryable: false,
        };
      }
    }

    if (response.status === 429 && budget.resumeAt <= this.now()) {
      budget.resumeAt = this.now() + RATE_LIMIT_FALLBACK_MS;
    }
    return upstreamError(operation, response.status, text, trackingId, token);
  }
}

/** Full jitter between half and all of the exponential step. */
function backoffMs(attempt: number): number {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(step / 2 + (Math.random() * step) / 2);
}

/** When the service says this minute's budget is spent, hold further calls until it resets. */
function updateBudget(budget: Budget, response: Response, now: number): void {
  const remaining = leadingNumber(response.headers.get('x-ratelimit-remaining'));
  const resetSeconds = leadingNumber(response.headers.get('x-ratelimit-reset'));
  if (remaining === undefined) return;
  if (remaining > 0 && response.status !== 429) {
    budget.resumeAt = 0;
    return;
  }
  if (resetSeconds === undefined) return;
  budget.resumeAt = now + Math.min(resetSeconds * 1000, MAX_RESET_MS);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Maps an error response to MarketDataError. The body is `{code, message, description}` with the
 * 5-digit T-Invest code in `description` (a string in practice, an integer per openapi), but a
 * gateway may answer with another shape or plain text, so every part is optional.
 */
function upstreamError(
  operation: string,
  status: number,
  text: string,
  trackingId: string | undefined,
  token: string,
): UpstreamFailure {
  let message = '';
  let upstreamCode: string | undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    message = text.trim();
  }
  if (isRecord(parsed)) {
    if (typeof parsed.message === 'string') message = parsed.message;
    const description = parsed.description;
    if (typeof description === 'string' || typeof description === 'number') {
      const candidate = String(description).trim();
      if (UPSTREAM_CODE.test(candidate)) upstreamCode = candidate;
    }
  }
  if (upstreamCode === undefined && UPSTREAM_CODE.test(message.trim())) upstreamCode = message.trim();
  // Upstream text is shown to users and logged: never let it carry the token back out.
  message = message.split(token).join('[token]').slice(0, MAX_MESSAGE_CHARS);

  const code = classify(status, upstreamCode);
  const details = { upstreamCode, upstreamMessage: message, httpStatus: status, trackingId, operation };
  const what = [
    upstreamCode,
    `HTTP ${status}`,
    trackingId === undefined ? undefined : `tracking id ${trackingId}`,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  const reason = message === '' ? `failed (${what})` : `${message} (${what})`;
  const human =
    code === 'TOKEN_INVALID'
      ? `T-Invest rejected the token: ${reason}. Issue a new token in T-Bank Invest settings.`
      : code === 'NO_PERMISSION'
        ? `T-Invest ${operation}: the token has no rights for this: ${reason}`
        : `T-Invest ${operation}: ${reason}`;
  return {
    error: new MarketDataError(code, human, details),
    // 501 (UNIMPLEMENTED) is a 5xx that will not heal by waiting.
    retryable: code === 'RATE_LIMITED' || (code === 'UPSTREAM_UNAVAILABLE' && status !== 501),
  };
}

function classify(status: number, upstreamCode: string | undefined): MarketDataErrorCode {
  if (upstreamCode === '40003') return 'TOKEN_INVALID';
  if (upstreamCode === '40002') return 'NO_PERMISSION';
  if (upstreamCode?.startsWith('5') === true) return 'NOT_FOUND';
  if (upstreamCode?.startsWith('8') === true) return 'RATE_LIMITED';
  if (upstreamCode?.startsWith('7') === true) return 'UPSTREAM_UNAVAILABLE';
  if (upstreamCode?.startsWith('3') === true) return 'INVALID_REQUEST';
  if (status === 401) return 'TOKEN_INVALID';
  if (status === 403) return 'NO_PERMISSION';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 400) return 'INVALID_REQUEST';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  // Real "not found" errors carry a 5xxxx code; a bare 404 means a wrong base URL or method, and
  // other statuses (405, 415, ...) come from a gateway that is not the API we expect.
  return 'UPSTREAM_BAD_RESPONSE';
}
