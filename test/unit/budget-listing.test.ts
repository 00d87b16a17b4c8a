import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../src/server/platform/errors.js';
import { decodeCursor, encodeCursor } from '../../src/server/platform/cursor.js';
import { escapeLike } from '../../src/server/modules/budget/listing.js';
import { newTransactionId } from '../../src/server/modules/budget/transaction-ids.js';

describe('budget listing helpers', () => {
  it('escapes LIKE wildcards and the escape character', () => {
    assert.equal(escapeLike('100%'), '100\\%');
    assert.equal(escapeLike('a_b'), 'a\\_b');
    assert.equal(escapeLike('C:\\temp'), 'C:\\\\temp');
    assert.equal(escapeLike('кофе'), 'кофе');
  });

  it('cursors round-trip and are refused for another sort, order or when tampered with', () => {
    const id = '01a20c36-4c6f-7000-8871-9c63faff88de';
    const byDate = encodeCursor('date', 'desc', { value: '2026-01-31', id });
    assert.deepEqual(decodeCursor(byDate, 'date', 'desc'), { value: '2026-01-31', id });
    const byAmount = encodeCursor('amount', 'asc', { value: '999.99', id });
    assert.deepEqual(decodeCursor(byAmount, 'amount', 'asc'), { value: '999.99', id });
    const refused = [
      [byDate, 'date', 'asc'],
      [byDate, 'amount', 'desc'],
      ['not-a-cursor', 'date', 'desc'],
      [
        Buffer.from(JSON.stringify(['date', 'desc', "2026-01-31'; drop table x", id])).toString('base64url'),
        'date',
        'desc',
      ],
      [Buffer.from(JSON.stringify(['amount', 'desc', '1e3', id])).toString('base64url'), 'amount', 'desc'],
      [
        Buffer.from(JSON.stringify(['date', 'desc', '2026-01-31', 'x'])).toString('base64url'),
        'date',
        'desc',
      ],
    ] as const;
    for (const [cursor, sort, order] of refused) {
      assert.throws(
        () => decodeCursor(cursor, sort, order),
        (err: unknown) => err instanceof AppError && err.status === 422 && err.message.startsWith('cursor:'),
      );
    }
  });

  it('transaction ids are version-7 UUIDs that sort in the order they were made', () => {
    const ids = [
      newTransactionId(1_700_000_000_000),
      newTransactionId(1_700_000_000_000),
      newTransactionId(1_700_000_000_000),
      newTransactionId(1_700_000_000_001),
      newTransactionId(1_600_000_000_000), // a clock going back does not break the order
    ];
    for (const id of ids)
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16), 1_700_000_000_000);
  });
});
