/**
 * A broker account's operation history → the operations we store, pure (no I/O). What the real
 * T-Invest API does and this has to cope with (tinvest-api.md, corrections):
 * - an operation's id may change over time, so each operation gets a sync key made of what never
 *   changes about it (account, instrument, type, instant, payment, executed quantity, trade numbers);
 * - executed orders may be filled only partly: the quantity is the executed one;
 * - payouts and redemptions carry no quantity: a full redemption or an expiration closes what was
 *   held at that moment, so the history is walked in order to know it;
 * - securities move in and out without payment, and cash comes and goes for reasons that are not
 *   trades (overnight income, variation margin).
 */
import type { Decimal } from '../../../common/decimal.js';
import { dec } from '../../../common/decimal.js';
import { createHash } from 'node:crypto';

import { dayInZone } from '../../../common/dates.js';
import type { BrokerAccount, Operation } from '../market/provider.js';
import type { OperationType } from './valuation.js';

/** An operation ready to store, before the portfolio, user and exchange rate are known. */
export interface BrokerRow {
  type: OperationType;
  instrumentUid: string | null;
  date: string;
  occurredAt: Date;
  quantity: string;
  price: string | null;
  amount: string;
  commission: string;
  accruedInterest: string;
  /** Upper-case ISO; '' when the broker left it empty (the instrument's is used then). */
  currency: string;
  externalId: string;
  syncKey: string;
  note: string;
}

/** Why an operation of the history is not stored. */
export type SkipReason = 'not_executed' | 'unmapped' | 'trade_fee';

export interface Skipped {
  operation: Operation;
  reason: SkipReason;
}

export interface BrokerHistory {
  rows: { row: BrokerRow; operation: Operation }[];
  skipped: Skipped[];
}

const money = (value: Decimal) => value.round(2, 'half-up').toFixed(2);

/**
 * The stable identity of every operation. Two operations alike in every stable attribute (two
 * equal fees at the same instant) are told apart by their order among themselves, which is the same
 * on every sync since they are indistinguishable anyway.
 */
export function syncKeys(operations: readonly Operation[]): string[] {
  const seen = new Map<string, number>();
  return operations.map((op) => {
    const hash = createHash('sha256')
      .update(
        JSON.stringify([
          op.accountId,
          op.instrumentUid ?? op.figi,
          op.upstreamType,
          op.date.toISOString(),
          dec(op.payment.amount).toFixed(),
          op.payment.currency,
          op.quantity,
          [...op.tradeNums].sort(),
        ]),
      )
      .digest('base64url');
    const n = seen.get(hash) ?? 0;
    seen.set(hash, n + 1);
    return `${hash}:${n}`;
  });
}

/**
 * Converts a history (oldest first) into rows. A trade's commission is counted with the trade; the
 * separate fee T-Invest also reports for it is skipped. Cancelled and pending orders are left out.
 */
export function readBrokerHistory(
  operations: readonly Operation[],
  account: Pick<BrokerAccount, 'type'>,
  timeZone: string,
): BrokerHistory {
  const keys = syncKeys(operations);
  const tradesWithCommission = new Set(
    operations
      .filter((o) => (o.type === 'buy' || o.type === 'sell') && o.commission !== null)
      .map((o) => o.id),
  );
  // Pieces held per instrument so far: what a redemption or an expiration without quantity closes.
  const held = new Map<string, Decimal>();
  const holding = (uid: string | null) => (uid === null ? dec(0) : (held.get(uid) ?? dec(0)));
  const move = (uid: string | null, by: Decimal) => {
    if (uid !== null) held.set(uid, holding(uid).plus(by));
  };

  const history: BrokerHistory = { rows: [], skipped: [] };
  operations.forEach((op, index) => {
    if (op.state !== 'executed') {
      history.skipped.push({ operation: op, reason: 'not_executed' });
      return;
    }
    if (op.type === 'other') {
      history.skipped.push({ operation: op, reason: 'unmapped' });
      return;
    }
    if (op.type === 'fee' && op.parentId !== null && tradesWithCommission.has(op.parentId)) {
      history.skipped.push({ operation: op, reason: 'trade_fee' });
      return;
    }
    const payment = dec(op.payment.amount);
    let quantity = dec(op.quantity);
    let type: OperationType;
    let amount: Decimal;
    switch (op.type) {
      case 'buy':
      case 'sell':
        type = op.type;
        amount = payment.abs();
        move(op.instrumentUid, op.type === 'buy' ? quantity : quantity.neg());
        break;
      case 'bond_redemption_full':
      case 'expiration':
        // What was held that day is closed; the operation itself may say nothing of it.
        if (quantity.eq(0)) quantity = holding(op.instrumentUid);
        type = op.type === 'expiration' ? 'sell' : 'bond_redemption';
        // An expiration settles in either direction.
        amount = op.type === 'expiration' ? payment : payment.abs();
        move(op.instrumentUid, quantity.neg());
        break;
      case 'bond_redemption':
        // Amortisation: part of the nominal comes back, every bond stays held.
        type = 'bond_redemption';
        quantity = dec(0);
        amount = payment.abs();
        break;
      case 'transfer_in':
      case 'transfer_out':
      case 'iis_transfer': {
        // TRANS_IIS_BS leaves the IIS for a brokerage account.
        const out = op.type === 'transfer_out' || (op.type === 'iis_transfer' && account.type === 'iis');
        type = out ? 'transfer_out' : 'transfer_in';
        // Received securities cost what the broker books them at; sent ones leave at average cost.
        amount = out || op.price === null ? dec(0) : quantity.times(op.price.amount);
        move(op.instrumentUid, out ? quantity.neg() : quantity);
        break;
      }
      case 'fee':
      case 'tax':
      case 'withdrawal':
        // Stored as positive charges; a positive payment on them is a refund.
        type = op.type;
        amount = payment.neg();
        break;
      case 'dividend':
      case 'coupon':
      case 'deposit':
      case 'income':
        type = op.type;
        amount = payment;
        break;
    }
    const trade = type === 'buy' || type === 'sell';
    const abs = (m: { amount: string } | null) => (m === null ? '0' : money(dec(m.amount).abs()));
    history.rows.push({
      operation: op,
      row: {
        type,
        instrumentUid: op.instrumentUid,
        date: dayInZone(op.date, timeZone),
        occurredAt: op.date,
        quantity: quantity.toFixed(),
        price: op.price === null ? null : dec(op.price.amount).abs().toFixed(),
        amount: money(amount),
        commission: trade ? abs(op.commission) : '0',
        accruedInterest: trade ? abs(op.accruedInterest) : '0',
        currency: (op.payment.currency || op.currency).toUpperCase(),
        externalId: op.id,
        syncKey: keys[index] ?? '',
        note: op.description.slice(0, 500),
      },
    });
  });
  return history;
}
