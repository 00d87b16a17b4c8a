/** A small JSON client for the running app: the generator and the probes talk to it like any client. */
export class ApiClient {
  token = '';

  constructor(readonly baseUrl: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** The body of a 2xx answer; anything else stops the benchmark with the answer in the message. */
  async ok<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request<T>(method, path, body);
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    }
    return res.body;
  }

  /** False when the route is not registered (the app's own 404 for unknown paths). */
  async routeExists(method: string, path: string): Promise<boolean> {
    const res = await this.request<{ error?: { code?: string; message?: string } }>(method, path);
    const error = res.body?.error;
    return !(
      res.status === 404 &&
      error?.code === 'NOT_FOUND' &&
      error.message?.startsWith(`${method} `) === true
    );
  }
}
