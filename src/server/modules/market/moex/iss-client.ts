/**
 * HTTP transport for the MOEX Informational & Statistical Server (ISS): anonymous GET requests for
 * `.json` documents whose blocks are `{columns: [...], data: [[...], ...]}` tables. It owns what is
 * the same for every request — `iss.meta=off`, timeouts, retries, a size cap, turning a table into
 * rows — and maps failures to MarketDataError so callers never see fetch or JSON errors.
 */
import { BodyTooLargeError, readTextCapped } from '../../../platform/http-body.js';
import { MarketDataError, type MarketDataErrorCode } from '../provider.js';

export interface IssClientOptions {
  /** e.g. https://iss.moex.com/iss (no trailing slash). */
  baseUrl: string;
  timeoutMs?: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts and network failures. */
  maxRetries?: number;
  fetch?: typeof fetch;
  /** The largest answer read, in bytes; a larger one is refused unread. Default 20 MiB. */
  maxBodyBytes?: number;
}

/** One table row keyed by its column names; cells are as ISS sent them (numbers, strings, null). */
export type IssRow = Record<string, unknown>;

const DEFAULT_TIMEOUT_MS = 8_000;
const MAX_BODY_BYTES = 20 * 1024 * 1024;
const RETRY_DELAY_MS = 300;

export class IssClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly fetchFn: typeof fetch;
  private readonly maxBodyBytes: number;

  constructor(options: IssClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? 1;
    this.fetchFn = options.fetch ?? fetch;
    this.maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  }

  /**
   * The named blocks of one document as rows. `path` starts with a slash and has no `.json`;
   * a block missing from the answer is an error (ISS always sends the blocks asked for, if empty).
   */
  async tables<B extends string>(
    path: string,
    blocks: readonly B[],
    params: Record<string, string | number | undefined> = {},
  ): Promise<Record<B, IssRow[]>> {
    const url = new URL(`${this.baseUrl}${path}.json`);
    url.searchParams.set('iss.meta', 'off');
    url.searchParams.set('iss.only', blocks.join(','));
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, String(v));
    const body = await this.getJson(url, path);
    const result = {} as Record<B, IssRow[]>;
    for (const block of blocks) result[block] = rowsOf(body, block, path);
    return result;
  }

  private async getJson(url: URL, operation: string): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(url, operation);
      } catch (err) {
        if (!(err instanceof MarketDataError) || !err.transient || attempt >= this.maxRetries) throw err;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * (attempt + 1)));
      }
    }
  }

  private async once(url: URL, operation: string): Promise<unknown> {
    const fail = (code: MarketDataErrorCode, message: string, httpStatus?: number) =>
      new MarketDataError(code, `MOEX ISS ${operation}: ${message}`, { operation, httpStatus });
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
        throw fail('UPSTREAM_UNAVAILABLE', `no answer within ${this.timeoutMs} ms`);
      throw fail(
        'UPSTREAM_UNAVAILABLE',
        `network failure (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    let text: string;
    try {
      text = await readTextCapped(response, this.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw fail('UPSTREAM_BAD_RESPONSE', 'answer too large');
      throw fail('UPSTREAM_UNAVAILABLE', 'the answer broke off');
    }
    if (response.status === 429) throw fail('RATE_LIMITED', 'too many requests', 429);
    if (response.status === 404) throw fail('NOT_FOUND', 'no such document', 404);
    if (response.status >= 500)
      throw fail('UPSTREAM_UNAVAILABLE', `HTTP ${response.status}`, response.status);
    if (response.status !== 200)
      throw fail('UPSTREAM_BAD_RESPONSE', `HTTP ${response.status}`, response.status);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // ISS answers its maintenance page as HTML with status 200 now and then.
      throw fail('UPSTREAM_BAD_RESPONSE', 'the answer is not JSON');
    }
  }
}

function rowsOf(body: unknown, block: string, operation: string): IssRow[] {
  const bad = (why: string) =>
    new MarketDataError('UPSTREAM_BAD_RESPONSE', `MOEX ISS ${operation}: ${why}`, { operation });
  if (typeof body !== 'object' || body === null) throw bad('the answer is not an object');
  const table = (body as Record<string, unknown>)[block];
  if (typeof table !== 'object' || table === null) throw bad(`no "${block}" block`);
  const { columns, data } = table as { columns?: unknown; data?: unknown };
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string') || !Array.isArray(data))
    throw bad(`"${block}" is not a columns + data table`);
  return data.map((row) => {
    if (!Array.isArray(row) || row.length !== columns.length)
      throw bad(`a "${block}" row does not fit its columns`);
    const out: IssRow = {};
    columns.forEach((c: string, i) => {
      out[c] = row[i];
    });
    return out;
  });
}
