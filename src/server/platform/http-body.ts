/**
 * Reading the body of an answer from an outside service (T-Invest, MOEX ISS, the Bank of Russia)
 * with a size cap: Content-Length is not trusted, the stream is read chunk by chunk and cancelled
 * once it passes the limit, so a runaway or hostile answer never fills the memory.
 */

/** The body passed the limit; nothing more of it was read. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** The leading number of a header such as "200, 200;w=60"; undefined when there is none. */
export function leadingNumber(value: string | null): number | undefined {
  if (value === null) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)/.exec(value);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * The body's bytes, at most `limit` of them. Past the limit it throws BodyTooLargeError, or with
 * `truncate` keeps the first `limit` bytes (for error answers, whose first words are all that helps).
 */
export async function readBodyCapped(response: Response, limit: number, truncate = false): Promise<Buffer> {
  const declared = leadingNumber(response.headers.get('content-length'));
  if (declared !== undefined && declared > limit && !truncate) {
    await response.body?.cancel();
    throw new BodyTooLargeError(limit);
  }
  if (response.body === null) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      if (!truncate) throw new BodyTooLargeError(limit);
      chunks.push(value.subarray(0, value.byteLength - (size - limit)));
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** readBodyCapped decoded as UTF-8. */
export async function readTextCapped(response: Response, limit: number, truncate = false): Promise<string> {
  return (await readBodyCapped(response, limit, truncate)).toString('utf8');
}
