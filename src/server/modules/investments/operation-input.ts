import { dec } from '../../../common/decimal.js';
import { fitsMoney, MAX_MONEY, toFixed } from '../../../common/money.js';
import { addDays, dayInZone } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { notFound, validationFailed } from '../../platform/errors.js';
import type { Market } from '../market/market.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import type * as oq from './operations.queries.js';
import * as pq from './portfolios.queries.js';
import type { CreateOperationBody } from './operations.schemas.js';
import type { OperationType } from './valuation.js';

export interface OperationInputDeps {
  db: Db;
  market: Pick<Market, 'catalogue' | 'history'>;
  now: () => Date;
}

/** Types that are about an asset; deposits and withdrawals never are; fees and taxes may be. */
const ASSET_TYPES: ReadonlySet<OperationType> = new Set([
  'buy',
  'sell',
  'dividend',
  'coupon',
  'bond_redemption',
  'split',
  'transfer_in',
  'transfer_out',
]);
const CASH_ONLY_TYPES: ReadonlySet<OperationType> = new Set(['deposit', 'withdrawal']);
/** Signed only for these: a negative fee or tax is a refund, a negative income a charge. */
const SIGNED_TYPES: ReadonlySet<OperationType> = new Set(['fee', 'tax', 'income']);
/** Securities moved without payment. */
const TRANSFER_TYPES: ReadonlySet<OperationType> = new Set(['transfer_in', 'transfer_out']);
const RATE_WAIT_MS = 3_000;

/** The fields of an operation as the API takes them, before checks. */
export type OperationInput = Omit<CreateOperationBody, 'fxRate'> & { fxRate?: string | null };

function positive(field: string, value: string | undefined, allowZero = false): void {
  if (value === undefined) return;
  const v = dec(value);
  if (v.lt(0) || (!allowZero && v.eq(0)))
    throw allowZero
      ? validationFailed(field, 'NEGATIVE', 'must not be negative')
      : validationFailed(field, 'NOT_POSITIVE', 'must be greater than 0');
}

/** The rules of one operation: what each type needs, which amounts, the rate of its day. */
export function createOperationInput({ db, market, now }: OperationInputDeps) {
  /**
   * Checks an operation as a whole and turns it into column values. Runs before the transaction
   * that stores it: looking up an instrument or a rate may ask the provider, which must not hold
   * the portfolio lock (and on the embedded database, the one connection).
   */
  async function prepare(
    ctx: UserMarketContext,
    input: OperationInput,
    keep?: { date: string; occurredAt: Date; fxRate: string | null; fxBase: string | null; currency: string },
    newAssetCurrency?: string,
  ): Promise<Omit<oq.OperationValues, 'userId' | 'portfolioId'>> {
    const type = input.type;
    if (
      input.instrumentId !== undefined &&
      (input.manualAssetId !== undefined || newAssetCurrency !== undefined)
    ) {
      throw validationFailed(
        'manualAssetId',
        'EITHER_OR',
        'give either instrumentId or manualAssetId, not both',
      );
    }
    const hasAsset =
      input.instrumentId !== undefined || input.manualAssetId !== undefined || newAssetCurrency !== undefined;
    if (ASSET_TYPES.has(type) && !hasAsset)
      throw validationFailed('instrumentId', 'REQUIRED', `is required for a ${type}`);
    if (CASH_ONLY_TYPES.has(type) && hasAsset)
      throw validationFailed('instrumentId', 'NOT_FOR_TYPE', `a ${type} is not about an asset`);

    let assetCurrency: string | undefined;
    let instrumentUid: string | null = null;
    let manualAssetId: string | null = null;
    if (input.instrumentId !== undefined) {
      const instrument = await market.catalogue.ensureInstrument(input.instrumentId, ctx.access);
      instrumentUid = instrument.uid;
      assetCurrency = instrument.currency || undefined;
    } else if (input.manualAssetId !== undefined) {
      const asset = await pq.findManualAsset(db, ctx.userId, input.manualAssetId);
      if (!asset) throw notFound('Manual asset');
      manualAssetId = asset.id;
      assetCurrency = asset.currency;
    } else if (newAssetCurrency !== undefined) assetCurrency = newAssetCurrency;
    const currency = input.currency ?? assetCurrency ?? ctx.baseCurrency;
    const trade = type === 'buy' || type === 'sell';
    if (trade && assetCurrency !== undefined && currency !== assetCurrency) {
      throw validationFailed(
        'currency',
        'CURRENCY_MISMATCH',
        `must be ${assetCurrency}, the currency the asset trades in`,
        { currency: `${assetCurrency}` },
      );
    }

    const today = dayInZone(now(), ctx.timeZone);
    if (input.date > addDays(today, 1)) throw validationFailed('date', 'IN_FUTURE', 'is in the future');

    const quantity = input.quantity ?? '0';
    if (trade || type === 'split' || TRANSFER_TYPES.has(type)) {
      if (input.quantity === undefined)
        throw validationFailed('quantity', 'REQUIRED', `is required for a ${type}`);
      positive('quantity', quantity);
    } else positive('quantity', quantity, true);
    if (type === 'split') {
      for (const field of ['price', 'amount', 'commission', 'accruedInterest'] as const) {
        if (input[field] !== undefined && !dec(input[field]).eq(0))
          throw validationFailed(field, 'NOT_FOR_TYPE', 'a split has no money');
      }
    }
    if (!trade) {
      for (const field of ['commission', 'accruedInterest'] as const) {
        if (input[field] !== undefined && !dec(input[field]).eq(0))
          throw validationFailed(field, 'NOT_FOR_TYPE', `belongs to a buy or sell only`);
      }
    }
    positive('price', input.price, true);
    positive('commission', input.commission, true);
    positive('accruedInterest', input.accruedInterest, true);

    let amount = input.amount;
    if (trade && amount === undefined) {
      if (input.price === undefined)
        throw validationFailed('price', 'REQUIRED', 'is required when amount is not given');
      // Named rounding point: a trade's amount is quantity × price, half-up to the kopeck.
      amount = toFixed(dec(quantity).times(input.price), 2);
      if (!fitsMoney(dec(amount)))
        throw validationFailed('price', 'TOO_LARGE', `quantity × price must be at most ${MAX_MONEY}`, {
          limit: `${MAX_MONEY}`,
        });
    }
    if (type === 'transfer_out' && amount !== undefined && !dec(amount).eq(0))
      throw validationFailed('amount', 'NOT_FOR_TYPE', 'securities moved out leave at their average cost');
    if (amount === undefined) {
      if (type !== 'split' && !TRANSFER_TYPES.has(type))
        throw validationFailed('amount', 'REQUIRED', `is required for a ${type}`);
      amount = '0';
    }
    if (!SIGNED_TYPES.has(type))
      positive(
        'amount',
        amount,
        trade || type === 'split' || type === 'bond_redemption' || TRANSFER_TYPES.has(type),
      );

    let fxRate: string | null;
    let fxBase: string | null = ctx.baseCurrency;
    if (currency === ctx.baseCurrency) fxRate = '1';
    else if (input.fxRate !== undefined) {
      positive('fxRate', input.fxRate ?? undefined);
      fxRate = input.fxRate;
    } else if (
      keep !== undefined &&
      keep.date === input.date &&
      keep.currency === currency &&
      keep.fxBase === ctx.baseCurrency
    ) {
      fxRate = keep.fxRate;
      fxBase = keep.fxBase;
    } else {
      // The rate of the operation's day from the provider; unknown stays unknown (filled in later).
      const rates = await Promise.race([
        market.history.historicRates(currency, ctx.baseCurrency, [input.date], ctx.access),
        new Promise<Map<string, string | null>>((resolve) =>
          setTimeout(() => resolve(new Map()), RATE_WAIT_MS).unref(),
        ),
      ]);
      fxRate = rates.get(input.date) ?? null;
    }

    let occurredAt: Date;
    if (keep !== undefined && keep.date === input.date) occurredAt = keep.occurredAt;
    else if (input.date === today) occurredAt = now();
    else occurredAt = new Date(`${input.date}T12:00:00Z`);

    return {
      type,
      instrumentUid,
      manualAssetId,
      date: input.date,
      occurredAt,
      quantity,
      price: input.price ?? null,
      amount,
      commission: input.commission ?? '0',
      accruedInterest: input.accruedInterest ?? '0',
      currency,
      fxRate,
      fxBase,
      note: input.note?.trim() ?? '',
    };
  }
  return prepare;
}
