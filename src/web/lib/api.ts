// The API client: the access token lives in memory only; the refresh token is an HttpOnly
// cookie the page never sees. A 401 triggers one silent refresh, then the request is retried.

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

interface TokenResponse {
  accessToken: string;
  expiresIn: number;
  user: CurrentUser;
}

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  baseCurrency: string;
  locale: 'ru' | 'en';
  timeZone: string;
  hasTinvestToken: boolean;
  createdAt: string;
}

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

async function doRefresh(): Promise<TokenResponse | undefined> {
  // Tabs share the cookie jar: the lock makes them rotate the refresh token one at a time.
  const run = async () => {
    const res = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' });
    if (!res.ok) return undefined;
    const body = (await res.json()) as TokenResponse;
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

async function request<T>(method: string, path: string, body?: unknown, retry = true): Promise<T> {
  if (!accessToken && retry) await refreshSession();
  const headers: Record<string, string> = {};
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (res.status === 401 && retry) {
    const refreshed = await refreshSession();
    if (!refreshed) {
      goToLogin();
      throw new ApiError(401, 'UNAUTHORIZED', 'Session expired');
    }
    return request<T>(method, path, body, false);
  }
  if (!res.ok) throw await parseError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: <T = void>(path: string) => request<T>('DELETE', path),
};

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
  if (!res.ok) throw await parseError(res);
  const tokens = (await res.json()) as TokenResponse;
  setSession(tokens);
  return tokens.user;
}

export async function logout(): Promise<void> {
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
