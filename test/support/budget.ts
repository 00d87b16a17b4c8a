import type { AppInstance } from '../../src/server/platform/app-instance.js';
import { register, type Session } from './app.js';

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of our own API
}

/** A registered user talking to the API: each call returns the status and the parsed body. */
export interface Client {
  session: Session;
  get(url: string): Promise<Reply>;
  post(url: string, payload?: unknown): Promise<Reply>;
  patch(url: string, payload: unknown): Promise<Reply>;
  del(url: string): Promise<Reply>;
}

export async function newClient(app: AppInstance): Promise<Client> {
  const session = await register(app);
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers: session.auth,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json() };
  };
  return {
    session,
    get: (url) => call('GET', url),
    post: (url, payload) => call('POST', url, payload ?? {}),
    patch: (url, payload) => call('PATCH', url, payload),
    del: (url) => call('DELETE', url),
  };
}

/** Creates an account and returns its id. */
export async function openAccount(
  c: Client,
  body: { name: string; kind?: string; currency?: string; openingBalance?: string },
): Promise<string> {
  const res = await c.post('/api/budget/accounts', { kind: 'card', ...body });
  if (res.status !== 201) throw new Error(`account: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Id of one of the user's categories by name (the default set has them). */
export async function categoryId(c: Client, name: string): Promise<string> {
  const res = await c.get('/api/budget/categories');
  const found = (res.body as { id: string; name: string }[]).find((x) => x.name === name);
  if (!found) throw new Error(`no category ${name}`);
  return found.id;
}

export async function addTransaction(
  c: Client,
  body: Record<string, unknown>,
): Promise<Reply & { id: string }> {
  const res = await c.post('/api/budget/transactions', body);
  if (res.status !== 201) throw new Error(`transaction: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res, id: res.body.id as string };
}

export async function balanceOf(c: Client, accountId: string): Promise<string> {
  return (await c.get(`/api/budget/accounts/${accountId}`)).body.balance as string;
}
