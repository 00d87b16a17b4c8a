import { randomFillSync } from 'node:crypto';

/** Random bytes drawn 256 ids at a time: one call to the system's generator per id was the most of an id's cost. */
const pool = Buffer.alloc(16 * 256);
let poolAt = pool.length;

function randomBytes16(): Buffer {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const bytes = Buffer.allocUnsafe(16);
  pool.copy(bytes, 0, poolAt, (poolAt += 16));
  return bytes;
}

let lastMs = 0;
let sequence = 0;

/**
 * A UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then a 12-bit counter, then random bits.
 * Ids made later sort later, so transactions of one day list in the order they were entered.
 */
export function newTransactionId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    // More than 4096 ids in one millisecond: borrow the next millisecond to stay ordered.
    lastMs += 1;
    sequence = 0;
  }
  const bytes = randomBytes16();
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
