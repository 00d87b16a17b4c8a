import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { sum } from '../../src/common/money.js';
import { MarketDataError } from '../../src/server/modules/market/provider.js';
import {
  QuotationError,
  decimalToQuotation,
  moneyToMoneyValue,
  moneyValueToMoney,
  quotationToDecimal,
} from '../../src/server/modules/market/tinvest/quotation.js';
import { TinvestProvider } from '../../src/server/modules/market/tinvest/tinvest-provider.js';
import type { TinvestClientOptions } from '../../src/server/modules/market/tinvest/client.js';
import {
  FAKE_BROKER_ACCOUNT_ID,
  FAKE_DEMO_TOKEN,
  FAKE_IIS_ACCOUNT_ID,
  FAKE_LIMITED_TOKEN,
  startFakeTinvest,
  type FakeTinvest,
} from '../fakes/tinvest-server.js';

const DAY = 86_400_000;

let fake: FakeTinvest;
/** Waits the client asked for; nothing really waits. */
let slept: number[];

before(async () => {
  fake = await startFakeTinvest();
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.clearCalls();
  slept = [];
});

/** What the client asked for, less the GetInfo with which it learns whose limits a token spends. */
function apiCalls() {
  return fake.calls.filter((c) => c.method !== 'GetInfo');
}

function provider(options: Partial<TinvestClientOptions> = {}): TinvestProvider {
  return new TinvestProvider({
    now: () => new Date(),
    baseUrl: fake.url,
    token: FAKE_DEMO_TOKEN,
    appName: 'wealthtracker.tests',
    sleep: async (ms) => {
      slept.push(ms);
    },
    ...options,
  });
}

function isMarketError(code: MarketDataError['code']) {
  return (error: unknown) => {
    assert.ok(error instanceof MarketDataError, `expected MarketDataError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  };
}

void describe('Quotation and MoneyValue conversions', () => {
  const vectors: [string, { units: string; nano: number }][] = [
    ['114.25', { units: '114', nano: 250_000_000 }],
    ['-200.2', { units: '-200', nano: -200_000_000 }],
    ['-0.01', { units: '0', nano: -10_000_000 }],
    ['0', { units: '0', nano: 0 }],
    ['0.000000001', { units: '0', nano: 1 }],
    ['-0.999999999', { units: '0', nano: -999_999_999 }],
    ['-5', { units: '-5', nano: 0 }],
    ['9007199254740993.5', { units: '9007199254740993', nano: 500_000_000 }],
    ['-9223372036854775807.999999999', { units: '-9223372036854775807', nano: -999_999_999 }],
  ];

  void it('round-trips exact values, negative and beyond 2^53', () => {
    for (const [decimal, quotation] of vectors) {
      assert.deepEqual(decimalToQuotation(decimal), quotation, decimal);
      assert.equal(quotationToDecimal(quotation), decimal, decimal);
    }
  });

  void it('normalises input forms', () => {
    assert.deepEqual(decimalToQuotation('-0'), { units: '0', nano: 0 });
    assert.deepEqual(decimalToQuotation('1.2300000000000'), { units: '1', nano: 230_000_000 });
    assert.deepEqual(decimalToQuotation('007.5'), { units: '7', nano: 500_000_000 });
    // int64 may arrive as a JSON number when small, and the docs print "-0" for units.
    assert.equal(quotationToDecimal({ units: 42, nano: 5 }), '42.000000005');
    assert.equal(quotationToDecimal({ units: '-0', nano: -10_000_000 }), '-0.01');
  });

  void it('refuses what cannot be exact', () => {
    assert.throws(() => decimalToQuotation('0.0000000001'), QuotationError);
    assert.throws(() => decimalToQuotation('1e5'), QuotationError);
    assert.throws(() => decimalToQuotation('1,5'), QuotationError);
    assert.throws(() => decimalToQuotation('9223372036854775808'), QuotationError);
    assert.throws(() => quotationToDecimal({ units: '1', nano: -5 }), QuotationError);
    assert.throws(() => quotationToDecimal({ units: '-1', nano: 5 }), QuotationError);
    assert.throws(() => quotationToDecimal({ units: '0', nano: 1_000_000_000 }), QuotationError);
    assert.throws(() => quotationToDecimal({ units: 2 ** 53 + 2, nano: 0 }), QuotationError);
    assert.throws(() => quotationToDecimal({ units: '1.5', nano: 0 }), QuotationError);
  });

  void it('maps MoneyValue currency case both ways', () => {
    assert.deepEqual(moneyValueToMoney({ currency: 'rub', units: '-27000', nano: -500_000_000 }), {
      amount: '-27000.5',
      currency: 'RUB',
    });
    assert.deepEqual(moneyToMoneyValue({ amount: '0.57', currency: 'USD' }), {
      currency: 'usd',
      units: '0',
      nano: 570_000_000,
    });
  });

  void it('survives the wire: huge, negative and fine-grained prices come back exact', async () => {
    const sber = fake.uidOf('SBER');
    const gazp = fake.uidOf('GAZP');
    const lkoh = fake.uidOf('LKOH');
    fake.setPrice(sber, '9007199254740993.123456789');
    fake.setPrice(gazp, '-12.5');
    fake.setPrice(lkoh, '0.000000001');
    try {
      const prices = await provider().getLastPrices([sber, gazp, lkoh]);
      const byUid = new Map(prices.map((p) => [p.instrumentUid, p.price]));
      assert.equal(byUid.get(sber), '9007199254740993.123456789');
      assert.equal(byUid.get(gazp), '-12.5');
      assert.equal(byUid.get(lkoh), '0.000000001');
    } finally {
      fake.setPrice(sber, '285.5');
      fake.setPrice(gazp, '128.4');
      fake.setPrice(lkoh, '6850.5');
    }
  });
});

void describe('market data', () => {
  void it('batches 250 uids into the fewest GetLastPrices calls the 100-id limit allows', async () => {
    const known = ['SBER', 'GAZP', 'SU26238RMFS4', 'TMOS', 'USD000UTSTOM'].map((t) => fake.uidOf(t));
    const unknown = Array.from(
      { length: 245 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const uids = [...known, ...unknown];

    const prices = await provider().getLastPrices([...uids, ...known]);

    const calls = fake.callsTo('GetLastPrices');
    assert.equal(calls.length, 3);
    const sent = calls.flatMap((call) => {
      assert.ok(typeof call.body === 'object' && call.body !== null && 'instrumentId' in call.body);
      const ids = call.body.instrumentId;
      assert.ok(Array.isArray(ids) && ids.length <= 100);
      return ids as unknown[];
    });
    assert.deepEqual(new Set(sent), new Set(uids));
    assert.equal(sent.length, 250, 'duplicates are not sent twice');
    assert.deepEqual(new Set(prices.map((p) => p.instrumentUid)), new Set(known));
    assert.equal(prices.find((p) => p.instrumentUid === fake.uidOf('SU26238RMFS4'))?.price, '58.123');
  });

  void it('splits a candle range into chunks no longer than the interval allows', async () => {
    const uid = fake.uidOf('SBER');
    const from = new Date('2025-03-03T00:00:00Z');
    const to = new Date('2025-03-06T06:00:00Z');
    const candles = await provider().getCandles(uid, from, to, '1min');

    const calls = fake.callsTo('GetCandles');
    assert.equal(calls.length, 4);
    let expectedFrom = from.getTime();
    for (const call of calls) {
      const body = call.body as { from: string; to: string; interval: string };
      assert.equal(body.interval, 'CANDLE_INTERVAL_1_MIN');
      assert.equal(Date.parse(body.from), expectedFrom, 'chunks are contiguous');
      assert.ok(Date.parse(body.to) - Date.parse(body.from) <= 24 * 3600_000);
      expectedFrom = Date.parse(body.to);
    }
    assert.equal(expectedFrom, to.getTime());
    assert.equal(candles.length, (3 * 24 + 6) * 60);
    assert.equal(candles[0]?.time.toISOString(), from.toISOString());
    assert.ok(candles.every((c, i) => i === 0 || c.time > (candles[i - 1]?.time ?? c.time)));
    assert.match(candles[0]?.close ?? '', /^\d+(\.\d+)?$/);
  });

  void it('de-duplicates daily candles where the server widens chunk edges', async () => {
    const from = new Date('2012-01-02T12:00:00Z');
    const to = new Date('2025-01-01T00:00:00Z');
    const candles = await provider().getCandles(fake.uidOf('SBER'), from, to, 'day');
    // One year per request, as the market-data docs cap daily candles.
    assert.equal(fake.callsTo('GetCandles').length, Math.ceil((to.getTime() - from.getTime()) / (365 * DAY)));
    const times = candles.map((c) => c.time.getTime());
    assert.equal(new Set(times).size, times.length);
    assert.ok(times.every((t, i) => i === 0 || t > (times[i - 1] ?? t)));
    assert.ok(times.every((t) => t >= from.getTime() && t < to.getTime()));
  });

  void it('asks for exchange candles only: closes never come from a dealer’s weekend candle', async () => {
    const uid = fake.uidOf('USD000UTSTOM');
    for (const interval of ['day', '1hour'] as const) {
      fake.clearCalls();
      const candles = await provider().getCandles(
        uid,
        new Date('2025-03-01T00:00:00Z'),
        new Date('2025-03-17T00:00:00Z'),
        interval,
      );
      assert.ok(candles.length > 0);
      assert.ok(
        candles.every((c) => c.time.getUTCDay() !== 0 && c.time.getUTCDay() !== 6),
        `${interval}: no weekend candle`,
      );
      for (const call of fake.callsTo('GetCandles')) {
        assert.equal((call.body as { candleSourceType?: string }).candleSourceType, 'CANDLE_SOURCE_EXCHANGE');
      }
    }
  });

  void it('keeps hourly windows within 89 days and daily ones within a year', async () => {
    // February to April is the shortest three months: a 90-day window from 1 February is refused.
    const from = new Date('2025-02-01T00:00:00Z');
    const to = new Date('2025-06-01T00:00:00Z');
    const candles = await provider().getCandles(fake.uidOf('SBER'), from, to, '1hour');
    assert.ok(candles.length > 0);
    for (const call of fake.callsTo('GetCandles')) {
      const body = call.body as { from: string; to: string };
      assert.ok(Date.parse(body.to) - Date.parse(body.from) <= 89 * DAY);
    }
  });

  void it('last prices are the exchange’s, never a dealer’s; no empty list is sent; a null price is no price', async () => {
    const sber = fake.uidOf('SBER');
    const option = fake.uidOf('SR300CC5');
    fake.setDealerPrice(sber, '299.99');
    try {
      const prices = await provider().getLastPrices([sber, option]);
      assert.deepEqual(
        prices.map((p) => [p.instrumentUid, p.price]),
        [[sber, '285.5']],
      );
      const body = fake.callsTo('GetLastPrices')[0]?.body as { lastPriceType?: string };
      assert.equal(body.lastPriceType, 'LAST_PRICE_EXCHANGE');
    } finally {
      fake.setDealerPrice(sber, null);
    }
    fake.clearCalls();
    assert.deepEqual(await provider().getLastPrices([]), []);
    assert.equal(fake.calls.length, 0, 'an empty list would return every price');
  });

  void it('reads instruments with bond nominal and НКД, coupons, dividends and accrued interest', async () => {
    const market = provider();
    const ofzUid = fake.uidOf('SU26238RMFS4');
    const ofz = await market.getInstrument(ofzUid);
    assert.equal(ofz.kind, 'bond');
    assert.deepEqual(ofz.nominal, { amount: '1000', currency: 'RUB' });
    assert.equal(ofz.aciValue?.currency, 'RUB');
    assert.equal(ofz.couponsPerYear, 2);
    assert.deepEqual(
      apiCalls().map((c) => c.method),
      ['GetInstrumentBy', 'BondBy'],
    );

    const usd = await market.getInstrument(fake.uidOf('USD000UTSTOM'));
    assert.equal(usd.kind, 'currency');
    assert.deepEqual(usd.nominal, { amount: '1', currency: 'USD' });

    const bonds = await market.listInstruments('bond');
    assert.ok(bonds.some((b) => b.ticker === 'SU26243RMFS4'));
    assert.ok(!bonds.some((b) => b.ticker === 'SU26222RMFS8'), 'matured bonds are not tradable');
    assert.ok(bonds.every((b) => b.nominal?.amount === '1000'));

    const found = await market.findInstruments('офз 262');
    assert.ok(found.length >= 2 && found.every((i) => i.kind === 'bond'));

    const coupons = await market.getBondCoupons(
      ofzUid,
      new Date('2024-01-01T00:00:00Z'),
      new Date('2025-12-31T00:00:00Z'),
    );
    assert.equal(coupons.length, 4);
    assert.deepEqual(coupons[0]?.amountPerBond, { amount: '35.4', currency: 'RUB' });

    const interests = await market.getAccruedInterests(
      ofzUid,
      new Date('2025-05-14T00:00:00Z'),
      new Date('2025-05-20T00:00:00Z'),
    );
    assert.equal(interests.length, 7);
    assert.equal(interests[0]?.value, '35.2', 'accrued almost the whole coupon the day before payment');
    assert.equal(interests[1]?.value, '0', 'nothing accrued on the payment day');

    const dividends = await market.getDividends(fake.uidOf('SBER'));
    assert.deepEqual(
      dividends.map((d) => d.netPerShare?.amount),
      ['33.3', '34.84'],
    );
  });

  void it('maps an unknown instrument to NOT_FOUND with the upstream code', async () => {
    await assert.rejects(
      provider().getInstrument('11111111-2222-4333-8444-555555555555'),
      (error: unknown) => {
        isMarketError('NOT_FOUND')(error);
        assert.ok(error instanceof MarketDataError);
        assert.equal(error.upstreamCode, '50002');
        assert.equal(error.httpStatus, 404);
        assert.match(error.trackingId ?? '', /^[0-9a-f]{32}$/);
        return true;
      },
    );
    assert.equal(apiCalls().length, 1, 'not retried');
    // The fake answers as openapi types it: the code is an integer, not a string.
    const raw = await fetch(
      `${fake.url}/tinkoff.public.invest.api.contract.v1.InstrumentsService/GetInstrumentBy`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${FAKE_DEMO_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          idType: 'INSTRUMENT_ID_TYPE_UID',
          id: '11111111-2222-4333-8444-555555555555',
        }),
      },
    );
    assert.deepEqual(await raw.json(), { code: 5, message: 'instrument not found', description: 50002 });
  });

  void it('sends the app name and fails fast without any token', async () => {
    await provider().getLastPrices([fake.uidOf('SBER')]);
    assert.equal(apiCalls()[0]?.appName, 'wealthtracker.tests');
    assert.equal(apiCalls()[0]?.token, FAKE_DEMO_TOKEN);

    fake.clearCalls();
    await assert.rejects(
      provider({ token: undefined }).getLastPrices([fake.uidOf('SBER')]),
      isMarketError('TOKEN_MISSING'),
    );
    await assert.rejects(provider().getAccounts(''), isMarketError('TOKEN_MISSING'));
    assert.equal(fake.calls.length, 0);
  });
});

void describe('accounts', () => {
  void it('lists accounts the token can see', async () => {
    const all = await provider({ token: undefined }).getAccounts(FAKE_DEMO_TOKEN);
    assert.deepEqual(
      all.map((a) => [a.id, a.type, a.status, a.accessLevel]),
      [
        [FAKE_BROKER_ACCOUNT_ID, 'broker', 'open', 'read_only'],
        [FAKE_IIS_ACCOUNT_ID, 'iis', 'open', 'read_only'],
      ],
    );
    const limited = await provider().getAccounts(FAKE_LIMITED_TOKEN);
    assert.deepEqual(
      limited.map((a) => a.id),
      [FAKE_BROKER_ACCOUNT_ID],
    );
    assert.equal(apiCalls()[1]?.token, FAKE_LIMITED_TOKEN, 'the user token, not the server token');
  });

  void it('follows the operations cursor to the end', async () => {
    fake.setMaxPageSize(7);
    try {
      const operations = await provider().getOperationsByCursor(FAKE_DEMO_TOKEN, FAKE_BROKER_ACCOUNT_ID);
      const expected = fake.operationsOf(FAKE_BROKER_ACCOUNT_ID);
      assert.ok(expected.length >= 30);
      assert.equal(operations.length, expected.length);
      assert.equal(fake.callsTo('GetOperationsByCursor').length, Math.ceil(expected.length / 7));
      assert.deepEqual(new Set(operations.map((o) => o.id)), new Set(expected.map((o) => o.id)));
      assert.ok(operations.every((o, i) => i === 0 || o.date >= (operations[i - 1]?.date ?? o.date)));
      const types = new Set(operations.map((o) => o.type));
      for (const type of [
        'deposit',
        'withdrawal',
        'buy',
        'sell',
        'dividend',
        'coupon',
        'fee',
        'tax',
      ] as const) {
        assert.ok(types.has(type), type);
      }
      const sberBuy = operations.find((o) => o.type === 'buy' && o.ticker === 'SBER');
      assert.deepEqual(sberBuy?.payment, { amount: '-54420', currency: 'RUB' });
      assert.deepEqual(sberBuy?.price, { amount: '272.1', currency: 'RUB' });
      assert.equal(sberBuy?.quantity, '200');
      assert.equal(sberBuy?.instrumentUid, fake.uidOf('SBER'));
      assert.equal(operations[0]?.instrumentUid, null, 'a deposit has no instrument');
      const sberFee = operations.find((o) => o.parentId === sberBuy?.id);
      assert.equal(sberFee?.type, 'fee');
      assert.deepEqual(sberBuy?.commission, sberFee?.payment);
    } finally {
      fake.setMaxPageSize(Number.POSITIVE_INFINITY);
    }
  });

  void it('reads operations as the API sends them: executed quantity, nulls, no quantity on payouts, trade numbers', async () => {
    const operations = await provider().getOperationsByCursor(FAKE_DEMO_TOKEN, FAKE_BROKER_ACCOUNT_ID);
    const partial = operations.find((o) => o.ticker === 'YDEX' && o.type === 'buy' && o.quantity !== '15');
    assert.equal(partial?.quantity, '4', 'the executed part of 10 ordered');
    assert.deepEqual(partial?.payment, { amount: '-16000', currency: 'RUB' });
    assert.equal(partial?.tradeNums.length, 1);
    const coupon = operations.find((o) => o.type === 'coupon');
    assert.equal(coupon?.quantity, '0');
    assert.equal(coupon?.price, null);
    const wire = fake.operationsOf(FAKE_BROKER_ACCOUNT_ID).find((o) => o.type === 'OPERATION_TYPE_COUPON');
    assert.equal(wire?.price, null, 'unset fields come as null');
    assert.equal(wire?.quantity, '0', 'a payout carries no quantity');
    const deposit = operations.find((o) => o.type === 'deposit');
    assert.equal(deposit?.commission, null);
    assert.deepEqual(deposit?.tradeNums, []);
    const upstream = new Set(operations.map((o) => o.upstreamType));
    for (const type of [
      'OPERATION_TYPE_INPUT_SECURITIES',
      'OPERATION_TYPE_OUTPUT_SECURITIES',
      'OPERATION_TYPE_TRANS_IIS_BS',
      'OPERATION_TYPE_TRANS_BS_BS',
      'OPERATION_TYPE_OVERNIGHT',
      'OPERATION_TYPE_OVER_INCOME',
      'OPERATION_TYPE_DIVIDEND_TRANSFER',
      'OPERATION_TYPE_ACCRUING_VARMARGIN',
      'OPERATION_TYPE_WRITING_OFF_VARMARGIN',
      'OPERATION_TYPE_OPTION_EXPIRATION',
      'OPERATION_TYPE_FUTURE_EXPIRATION',
    ]) {
      assert.ok(upstream.has(type), type);
      assert.notEqual(operations.find((o) => o.upstreamType === type)?.type, 'other', `${type} is mapped`);
    }
    const body = fake.callsTo('GetOperationsByCursor')[0]?.body as { withoutTrades?: boolean };
    assert.equal(body.withoutTrades, false, 'trade numbers are part of what identifies an operation');
  });

  void it('reads a portfolio whose totals add up, and positions', async () => {
    const portfolio = await provider().getPortfolio(FAKE_DEMO_TOKEN, FAKE_IIS_ACCOUNT_ID);
    const parts = [
      portfolio.totalShares,
      portfolio.totalBonds,
      portfolio.totalEtfs,
      portfolio.totalCurrencies,
    ];
    const difference = sum(parts.map((part) => part?.amount ?? 'NaN')).minus(
      portfolio.totalValue?.amount ?? 'NaN',
    );
    assert.ok(difference.abs().lte('0.04'), 'totals differ by the rounding of four parts at most');
    const bond = portfolio.positions.find((p) => p.kind === 'bond');
    assert.equal(bond?.currentAci?.currency, 'RUB');
    assert.ok(portfolio.positions.some((p) => p.kind === 'currency' && p.ticker === 'RUB000UTSTOM'));

    const positions = await provider().getPositions(FAKE_DEMO_TOKEN, FAKE_IIS_ACCOUNT_ID);
    assert.ok(positions.money.some((m) => m.currency === 'RUB'));
    assert.equal(positions.securities.find((s) => s.ticker === 'SU26243RMFS4')?.balance, '100');
  });

  void it('maps missing rights to NO_PERMISSION and an unknown account to NOT_FOUND', async () => {
    await assert.rejects(
      provider().getPortfolio(FAKE_LIMITED_TOKEN, FAKE_IIS_ACCOUNT_ID),
      (error: unknown) => {
        isMarketError('NO_PERMISSION')(error);
        assert.ok(error instanceof MarketDataError);
        assert.equal(error.upstreamCode, '40002');
        return true;
      },
    );
    await assert.rejects(provider().getPositions(FAKE_DEMO_TOKEN, '2999999999'), isMarketError('NOT_FOUND'));
  });

  void it('maps a dead token to TOKEN_INVALID without revealing it', async () => {
    const dead = 't.Dead-Token-5ecret-Value_0123456789';
    for (const attempt of [
      () => provider({ token: dead }).getLastPrices([fake.uidOf('SBER')]),
      () => provider().getOperationsByCursor(dead, FAKE_BROKER_ACCOUNT_ID),
    ]) {
      await assert.rejects(attempt(), (error: unknown) => {
        isMarketError('TOKEN_INVALID')(error);
        assert.ok(error instanceof MarketDataError);
        assert.equal(error.upstreamCode, '40003');
        const everything = `${error.message} ${error.stack ?? ''} ${JSON.stringify(error)} ${String(error.upstreamMessage)}`;
        assert.ok(!everything.includes(dead), 'token leaked into the error');
        assert.ok(!everything.includes('5ecret'), 'token fragment leaked into the error');
        return true;
      });
    }
    assert.equal(apiCalls().length, 2, 'a dead token is not retried');
  });
});

void describe('transport', () => {
  void it('asks again whose token it is 5 minutes after GetInfo failed, not never', async () => {
    let clock = Date.parse('2026-03-02T09:00:00Z');
    const market = provider({ now: () => new Date(clock) });
    fake.failNext('GetInfo', { status: 500 });
    const sber = fake.uidOf('SBER');
    await market.getLastPrices([sber]);
    await market.getLastPrices([sber]);
    assert.equal(fake.callsTo('GetInfo').length, 1, 'the failure is kept for a while');
    clock += 4 * 60_000;
    await market.getLastPrices([sber]);
    assert.equal(fake.callsTo('GetInfo').length, 1);
    clock += 60_000;
    await market.getLastPrices([sber]);
    assert.equal(fake.callsTo('GetInfo').length, 2, 'asked again after 5 minutes');
    clock += 60 * 60_000;
    await market.getLastPrices([sber]);
    assert.equal(fake.callsTo('GetInfo').length, 2, 'an answer is kept for good');
  });

  void it('retries after 429 and 500, honouring x-ratelimit-reset, then succeeds', async () => {
    fake.failNext('GetLastPrices', { status: 429 });
    fake.failNext('MarketDataService/GetLastPrices', { status: 500 });
    const prices = await provider().getLastPrices([fake.uidOf('SBER')]);
    assert.equal(prices.length, 1);
    assert.equal(fake.callsTo('GetLastPrices').length, 3);
    assert.equal(slept.length, 2);
    const [rateWait = 0, backoff = 0] = slept;
    assert.ok(rateWait >= 500 && rateWait <= 60_000, `waited ${rateWait} ms for the reset`);
    assert.ok(backoff >= 500 && backoff <= 1000, `backed off ${backoff} ms (second retry)`);
  });

  void it('gives up after the bounded retries with UPSTREAM_UNAVAILABLE, and never retries a 400', async () => {
    fake.failNext('GetCandles', { status: 503 }, 3);
    const range = [new Date('2025-01-01T00:00:00Z'), new Date('2025-01-02T00:00:00Z')] as const;
    await assert.rejects(
      provider({ maxRetries: 2 }).getCandles(fake.uidOf('SBER'), ...range, '1hour'),
      isMarketError('UPSTREAM_UNAVAILABLE'),
    );
    assert.equal(fake.callsTo('GetCandles').length, 3);
    assert.deepEqual(
      slept.map((ms) => ms >= 250 && ms <= 1000),
      [true, true],
    );

    fake.clearCalls();
    fake.failNext('GetCandles', { status: 400, code: '30014', message: 'period exceeded' });
    await assert.rejects(
      provider().getCandles(fake.uidOf('SBER'), ...range, '1hour'),
      isMarketError('INVALID_REQUEST'),
    );
    assert.equal(fake.callsTo('GetCandles').length, 1);
  });

  void it('times out a silent upstream with UPSTREAM_UNAVAILABLE without hanging', async () => {
    fake.failNext('GetLastPrices', 'timeout', 2);
    await assert.rejects(
      provider({ timeoutMs: 150, maxRetries: 1 }).getLastPrices([fake.uidOf('SBER')]),
      (error: unknown) => {
        isMarketError('UPSTREAM_UNAVAILABLE')(error);
        assert.match((error as Error).message, /150 ms/);
        return true;
      },
    );
    assert.equal(fake.callsTo('GetLastPrices').length, 2);
  });

  /** A market-data budget of two requests a minute; the provider's waits move the fake's clock. */
  async function withTwoPerMinute(run: (market: TinvestProvider) => Promise<void>) {
    fake.setRateLimit('MarketDataService', 2);
    try {
      await run(
        provider({
          sleep: async (ms) => {
            slept.push(ms);
            fake.advanceClock(ms);
          },
        }),
      );
    } finally {
      fake.setRateLimit('MarketDataService', 600);
    }
  }

  void it('waits for the reset when x-ratelimit-remaining reaches 0', () =>
    withTwoPerMinute(async (market) => {
      const sber = fake.uidOf('SBER');
      await market.getLastPrices([sber]);
      await market.getLastPrices([sber]);
      assert.deepEqual(slept, [], 'budget left until now');
      await market.getInstrument(sber);
      assert.deepEqual(slept, [], 'another service has its own budget');
      await market.getLastPrices([sber]);
      assert.equal(slept.length, 1);
      assert.ok((slept[0] ?? 0) > 0 && (slept[0] ?? 0) <= 60_000);
      assert.equal(fake.callsTo('GetLastPrices').length, 3, 'no 429 was needed');
    }));

  void it('counts limits per user: a second token of the same user waits for the shared reset', () =>
    withTwoPerMinute(async (market) => {
      const sber = fake.uidOf('SBER');
      await market.getLastPrices([sber]);
      await market.getLastPrices([sber]);
      assert.deepEqual(slept, []);
      // The account-scoped token belongs to the same user: the minute's budget is spent for it too.
      await market.getLastPrices([sber], FAKE_LIMITED_TOKEN);
      assert.equal(slept.length, 1, 'waited for the reset');
      assert.equal(fake.callsTo('GetLastPrices').length, 3, 'no 429 was needed');
    }));

  void it('refuses a redirect', async () => {
    fake.failNext('GetAccounts', 'redirect');
    await assert.rejects(provider().getAccounts(FAKE_DEMO_TOKEN), (error: unknown) => {
      isMarketError('UPSTREAM_BAD_RESPONSE')(error);
      assert.match((error as Error).message, /redirect/);
      return true;
    });
    assert.equal(apiCalls().length, 1, 'neither followed nor retried');
  });

  void it('caps the response body size', async () => {
    fake.failNext('GetLastPrices', 'oversized');
    await assert.rejects(
      provider({ maxBodyBytes: 256 * 1024 }).getLastPrices([fake.uidOf('SBER')]),
      isMarketError('UPSTREAM_BAD_RESPONSE'),
    );
  });

  void it('rejects responses of the wrong shape, naming the field', async () => {
    fake.failNext('GetLastPrices', {
      body: '{"lastPrices":[{"instrumentUid":"x","price":{"units":"1","nano":-5}}]}',
    });
    await assert.rejects(provider().getLastPrices([fake.uidOf('SBER')]), (error: unknown) => {
      isMarketError('UPSTREAM_BAD_RESPONSE')(error);
      assert.match((error as Error).message, /lastPrices\[0\]\.price/);
      return true;
    });
    fake.failNext('GetAccounts', { body: '<html>gateway</html>' });
    await assert.rejects(provider().getAccounts(FAKE_DEMO_TOKEN), isMarketError('UPSTREAM_BAD_RESPONSE'));
    fake.failNext('GetAccounts', { body: '{"accounts":{"id":"1"}}' });
    await assert.rejects(provider().getAccounts(FAKE_DEMO_TOKEN), isMarketError('UPSTREAM_BAD_RESPONSE'));
  });
});
