import { setOutageBanner } from '../components/outage-banner.js';

// The API client: the access token lives in memory only; the refresh token is an HttpOnly
// cookie the page never sees. A page starts by resuming the session once (no session: straight to
// the login form, without a failed request); a 401 later triggers one silent refresh, then the
// request is retried. While the server is unavailable, reads wait and retry: the user stays in.
// Paths, parameters, bodies and answers are typed from the OpenAPI document (api-types.gen.ts).
import type { components, paths } from './api-types.gen.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The message for a field named in a 422, if any. */
  fieldMessage(field: string): string | undefined {
    const fields = (this.details as { fields?: { field: string; message: string }[] } | undefined)?.fields;
    return fields?.find((f) => f.field === field)?.message;
  }
}

/** A named schema of the API document: `Schema<'User'>`. */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

/** The API's paths as the pages name them, without the `/api` prefix the client adds. */
type Paths = { [K in keyof paths as K extends `/api${infer P}` ? P : never]: paths[K] };
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Path<M extends Method> = {
  [P in keyof Paths]: Paths[P][M] extends { responses: unknown } ? P : never;
}[keyof Paths];
type Op<P extends keyof Paths, M extends Method> = NonNullable<Paths[P][M]>;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;

/** What a call answers when it succeeds: the body of its 2xx response (undefined for a 204). */
export type Answer<P extends keyof Paths, M extends Method> =
  Op<P, M> extends { responses: infer R }
    ? { [S in keyof R]: S extends 200 | 201 | 204 ? JsonOf<R[S]> : never }[keyof R]
    : never;

/** The JSON body a call sends. */
export type Body<P extends keyof Paths, M extends Method> =
  Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

type Parameters<P extends keyof Paths, M extends Method> =
  Op<P, M> extends { parameters: infer X } ? X : never;
type PathParameters<P extends keyof Paths, M extends Method> =
  Parameters<P, M> extends { path: infer X } ? X : never;
type Query<P extends keyof Paths, M extends Method> =
  Parameters<P, M> extends { query?: infer Q } ? Q : never;

/** `path` fills the `{name}` parts, `query` the query string; both and `body` only where the path has them. */
type Options<P extends keyof Paths, M extends Method> = ([PathParameters<P, M>] extends [never]
  ? unknown
  : { path: PathParameters<P, M> }) &
  ([NonNullable<Query<P, M>>] extends [never] ? unknown : { query?: Query<P, M> }) &
  ([Body<P, M>] extends [never]
    ? unknown
    : Op<P, M> extends { requestBody: unknown }
      ? { body: Body<P, M> }
      : { body?: Body<P, M> });
type Args<P extends keyof Paths, M extends Method> =
  object extends Options<P, M> ? [options?: Options<P, M>] : [options: Options<P, M>];

interface RawOptions {
  path?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
}

export type CurrentUser = Schema<'User'>;
type TokenResponse = Answer<'/auth/refresh', 'post'>;

let accessToken: string | undefined;
let refreshing: Promise<TokenResponse | undefined> | undefined;
const userListeners = new Set<(user: CurrentUser) => void>();

export function onUser(listener: (user: CurrentUser) => void): () => void {
  userListeners.add(listener);
  return () => userListeners.delete(listener);
}

function publish(user: CurrentUser): void {
  for (const l of userListeners) l(user);
}

async function parseError(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    return new ApiError(
      res.status,
      body.error?.code ?? 'HTTP_ERROR',
      body.error?.message ?? res.statusText,
      body.error?.details,
    );
  } catch {
    return new ApiError(res.status, 'HTTP_ERROR', res.statusText || `HTTP ${res.status}`);
  }
}

/** Longest wait between two probes while the server is unavailable. */
const MAX_BACKOFF_MS = 30_000;
let outage: Promise<void> | undefined;

/**
 * The server cannot answer now but will: the app's 503 with Retry-After (its database is down),
 * or a proxy's 502/504 while the app restarts. A read that gets no answer at all waits the same.
 */
function unavailable(res: Response): boolean {
  return (res.status === 503 && res.headers.has('retry-after')) || res.status === 502 || res.status === 504;
}

/**
 * Resolves once the server is ready again: one wait shared by every request, probing readiness
 * with back-off (Retry-After first, doubling up to 30 s) and showing the banner meanwhile.
 */
function serverBack(res: Response | undefined): Promise<void> {
  outage ??= (async () => {
    setOutageBanner(true);
    let delay = Math.max(1, Number(res?.headers.get('retry-after')) || 1) * 1000;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      const ready = await fetch('/api/health/ready').catch(() => undefined);
      if (ready?.ok) return;
      delay = Math.min(delay * 2, MAX_BACKOFF_MS);
    }
  })().finally(() => {
    outage = undefined;
    setOutageBanner(false);
  });
  return outage;
}

async function doRefresh(): Promise<TokenResponse | undefined> {
  // Tabs share the cookie jar: the lock makes them rotate the refresh token one at a time.
  const run = async (): Promise<TokenResponse | undefined> => {
    // 200 with null when there is no session: expected, so no failed request in the console.
    const res = await fetch('/api/auth/session', { method: 'POST', credentials: 'same-origin' }).catch(
      () => undefined,
    );
    if (res === undefined || unavailable(res)) {
      await serverBack(res);
      return run();
    }
    if (!res.ok) return undefined;
    const body = (await res.json()) as TokenResponse | null;
    if (!body) return undefined;
    accessToken = body.accessToken;
    publish(body.user);
    return body;
  };
  return navigator.locks ? navigator.locks.request('wt-refresh', run) : run();
}

/** Refreshes the access token once even if many requests ask at the same time. */
export function refreshSession(): Promise<TokenResponse | undefined> {
  refreshing ??= doRefresh().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

export function setSession(body: TokenResponse): void {
  accessToken = body.accessToken;
  publish(body.user);
}

export function goToLogin(): void {
  const next = location.pathname + location.search;
  location.assign(`/login.html${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`);
}

let leaving = false;
/**
 * No session: off to the login form. The promise never settles, so no page shows an error (or
 * asks again) on its way out.
 */
function signedOut(): Promise<never> {
  if (!leaving) {
    leaving = true;
    goToLogin();
  }
  return new Promise(() => undefined);
}

async function request<T>(method: string, path: string, body?: unknown, retry = true): Promise<T> {
  if (leaving) return signedOut();
  if (!accessToken && retry && !(await refreshSession())) return signedOut();
  const headers: Record<string, string> = {};
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const send = () =>
    fetch(`/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  // A read waits for the server and asks again; a write is never repeated on its own (its form
  // says it failed), though the banner shows.
  const res = await send().catch((err: unknown) => {
    if (method === 'GET') return undefined;
    throw err;
  });
  if (res === undefined || unavailable(res)) {
    const back = serverBack(res);
    if (res !== undefined && method !== 'GET') throw await parseError(res);
    await back;
    return request<T>(method, path, body, retry);
  }
  if (res.status === 401 && retry) {
    if (!(await refreshSession())) return signedOut();
    return request<T>(method, path, body, false);
  }
  if (!res.ok) throw await parseError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

function call<M extends Method>(method: M) {
  return <P extends Path<M>>(path: P, ...[options]: Args<P, M>): Promise<Answer<P, M>> => {
    const { path: values = {}, query: params = {}, body } = (options ?? {}) as RawOptions;
    const url = path.replace(/\{(\w+)\}/g, (_all, name: string) => encodeURIComponent(values[name] ?? ''));
    // A POST always sends a JSON body, `{}` when the call has none.
    return request(method.toUpperCase(), url + query(params), method === 'post' ? (body ?? {}) : body);
  };
}

/** `api.get('/portfolios/{id}/operations', { path: { id }, query: { limit: 20 } })` */
export const api = {
  get: call('get'),
  post: call('post'),
  put: call('put'),
  patch: call('patch'),
  del: call('delete'),
};

/**
 * Saves what a GET answers as a file (CSV, JSON export): the call carries the session like any
 * other, then the browser is handed the body as a download named by the server.
 */
export async function download<P extends Path<'get'>>(
  path: P,
  options: { query?: Query<P, 'get'> },
  fallbackName: string,
  retry = true,
): Promise<void> {
  if (!accessToken && retry && !(await refreshSession())) return signedOut();
  const url = `/api${path}${query(options.query ?? {})}`;
  const res = await fetch(url, {
    headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
    credentials: 'same-origin',
  });
  if (res.status === 401 && retry) {
    if (!(await refreshSession())) return signedOut();
    return download(path, options, fallbackName, false);
  }
  if (!res.ok) throw await parseError(res);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const href = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** Login and registration: public calls that start a session. */
export async function authenticate(
  kind: 'login' | 'register',
  body: Record<string, string>,
): Promise<CurrentUser> {
  const res = await fetch(`/api/auth/${kind}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (unavailable(res)) void serverBack(res);
  if (!res.ok) throw await parseError(res);
  const tokens = (await res.json()) as TokenResponse;
  setSession(tokens);
  return tokens.user;
}

export async function logout(): Promise<void> {
  // From here a request that the ended session refuses waits quietly instead of sending the page
  // to the login form with a `next` of its own.
  leaving = true;
  await fetch('/api/auth/logout', {
    method: 'POST',
    headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {},
    credentials: 'same-origin',
  }).catch(() => undefined);
  accessToken = undefined;
  location.assign('/login.html');
}

/** Builds a query string from defined values. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Sends a file as the raw request body, reporting the bytes sent (fetch cannot), and answers the
 * JSON reply. A 401 refreshes the session once, like every other call.
 */
export async function uploadFile<T>(
  path: string,
  file: Blob,
  onProgress: (sent: number, total: number) => void,
  retry = true,
): Promise<T> {
  if (!accessToken && retry) await refreshSession();
  const res = await new Promise<Response>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}`);
    if (accessToken) xhr.setRequestHeader('authorization', `Bearer ${accessToken}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
    xhr.onload = () =>
      resolve(
        new Response(xhr.status === 204 ? null : xhr.responseText, {
          status: xhr.status,
          headers: { 'content-type': xhr.getResponseHeader('content-type') ?? 'application/json' },
        }),
      );
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
  if (res.status === 401 && retry) {
    if (!(await refreshSession())) {
      goToLogin();
      throw new ApiError(401, 'UNAUTHORIZED', 'Session expired');
    }
    return uploadFile<T>(path, file, onProgress, false);
  }
  if (!res.ok) throw await parseError(res);
  return (await res.json()) as T;
}
