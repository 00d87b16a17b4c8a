import type { FastifyBaseLogger } from 'fastify';
import { Big } from '../../../common/money.js';
import { addDays, dayInZone } from '../../../common/dates.js';
import type { Cache } from '../../platform/cache.js';
import type { Db } from '../../platform/db.js';
import { AppError, notFound, validationFailed } from '../../platform/errors.js';
import { rateOn } from '../fx/fx-core.js';
import type { FxService } from '../fx/fx.service.js';
import { marketRates } from '../market/fx.js';
import type { MarketStatus } from '../market/market.schemas.js';
import {
  QUOTE_TTL_SECONDS,
  upstreamError,
  type MarketService,
  type QuoteSet,
  type UserMarketContext,
} from '../market/market.service.js';
import type { OperationsService } from './operations.service.js';
import { plain } from './operations.service.js';
import { setManualPrice } from './manual-prices.service.js';
import * as pq from './portfolios.queries.js';
import type {
  AddAssetBody,
  CreateManualAssetBody,
  ManualAssetDto,
  PortfolioDto,
  PositionDto,
  UpdateManualAssetBody,
} from './portfolios.schemas.js';
import {
  assetClassOf,
  cashCostBase,
  summarize,
  valueCash,
  valuePosition,
  type AssetClass,
  type FxInput,
  type PriceInput,
  type Totals,
  type TotalsInput,
  type Valued,
} from './valuation.js';
import { Dec } from './exact.js';

export interface PortfoliosServiceDeps {
  db: Db;
  cache: Cache;
  market: MarketService;
  fx: FxService;
  operations: OperationsService;
  now: () => Date;
  logger: FastifyBaseLogger;
}

/** Name of the portfolio every new user starts with. */
const DEFAULT_PORTFOLIO_NAME = { ru: 'Мой портфель', en: 'My portfolio' } as const;
const CALENDAR_CONCURRENCY = 4;
const CALENDAR_WAIT_MS = 6_000;
/** How many users' last overviews one process keeps. */
const OVERVIEWS_KEPT = 500;
/** How soon a valuation made with stale prices tries the provider again. */
const STALE_RETRY_MS = 10_000;
/** Background upkeep (НКД, previous closes, missing rates) runs at most this often per user. */
const UPKEEP_EVERY_MS = 10 * 60_000;

export function toPortfolioDto(row: pq.PortfolioRow): PortfolioDto {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind === 'tinvest' ? 'tinvest' : 'manual',
    accountId: row.accountId,
    cashTracking: row.cashTracking,
    lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function toManualAssetDto(row: pq.ManualAssetRow): ManualAssetDto {
  return {
    id: row.id,
    ticker: row.ticker,
    name: row.name,
    kind: row.kind,
    currency: row.currency,
    price: row.price === null ? null : plain(row.price),
    pricedAt: row.pricedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The body of GET /portfolio. */
interface Overview {
  baseCurrency: string;
  marketData: MarketStatus;
  totals: Totals;
  allocation: Record<
    'byClass' | 'byTicker' | 'byCurrency',
    { key: string; label: string; value: string; percent: string }[]
  >;
  missingRates: string[];
  portfolios: (PortfolioDto & { totals: Totals; positions: PositionDto[] })[];
}

interface Line {
  dto: PositionDto;
  totals: TotalsInput;
}

interface Valuation {
  marketData: MarketStatus;
  missingRates: string[];
  lines: Map<string, Line[]>;
  /** Charges and income on cash balances that are not shown as holdings. */
  charges: Map<string, TotalsInput[]>;
  /** Until when the same inputs give the same result: the quotes used stay current until then. */
  validUntil: number;
}

const percentOf = (part: Dec, whole: Dec) =>
  whole.isZero() ? '0.00' : part.times(Dec.int(100)).div(whole, 2).toFixed(2);

export function createPortfoliosService({
  db,
  cache,
  market,
  fx: fxService,
  operations,
  now,
  logger,
}: PortfoliosServiceDeps) {
  const upkeepDue = new Map<string, number>();
  /** The last overview per user, oldest first (a Map keeps insertion order). */
  const overviews = new Map<string, { fingerprint: string; validUntil: number; body: Overview }>();

  /** Keeps derived data fresh without making anyone wait: НКД, previous closes, missing rates. */
  function upkeep(
    ctx: UserMarketContext,
    bonds: Parameters<MarketService['refreshAccruedInterest']>[0],
    held: string[],
  ) {
    if (!ctx.access.configured) return;
    // Checked here first so that most page views cost no round trip; the shared counter then makes
    // one instance of several do the work.
    const due = upkeepDue.get(ctx.userId) ?? 0;
    if (due > now().getTime()) return;
    if (upkeepDue.size > 10_000) upkeepDue.clear();
    upkeepDue.set(ctx.userId, now().getTime() + UPKEEP_EVERY_MS);
    const run = async () => {
      const gate = await cache.hit(`upkeep:${ctx.userId}`, UPKEEP_EVERY_MS);
      if (gate.count > 1) return;
      await market.refreshAccruedInterest(bonds, ctx.access);
      await market.refreshPrevCloses(held, ctx.access);
      await operations.fillMissingRates(ctx);
      // НКД and previous closes just arrived: the next view is computed with them.
      overviews.delete(ctx.userId);
    };
    run().catch((err: unknown) =>
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'portfolio upkeep failed'),
    );
  }

  async function ownPortfolio(userId: string, id: string): Promise<pq.PortfolioRow> {
    const row = await pq.findPortfolio(db, userId, id);
    if (!row) throw notFound('Portfolio');
    return row;
  }

  /** Values every position of the user (or of one portfolio) with one batched quote request. */
  async function valuate(
    ctx: UserMarketContext,
    portfolios: pq.PortfolioRow[],
    portfolioId?: string,
  ): Promise<Valuation> {
    const base = ctx.baseCurrency;
    let rows = await pq.positionsWithAssets(db, ctx.userId, portfolioId);
    const outdated = new Set(
      rows.filter((r) => r.position.baseCurrency !== base).map((r) => r.position.portfolioId),
    );
    if (outdated.size > 0) {
      // The base currency changed since the positions were derived: derive them again.
      for (const id of outdated) {
        await db.transaction(async (tx) => {
          if (await pq.lockPortfolio(tx, ctx.userId, id)) await operations.rebuild(tx, ctx.userId, id, base);
        });
      }
      rows = await pq.positionsWithAssets(db, ctx.userId, portfolioId);
    }
    const cashTracking = new Map(portfolios.map((p) => [p.id, p.cashTracking]));

    const open = rows.filter((r) => r.instrument !== null && !Dec.of(r.position.quantity).isZero());
    const held = [...new Set(open.map((r) => r.instrument!.uid))];
    const currencies = new Set<string>([base]);
    for (const r of rows) currencies.add(r.position.currency);
    // One FX core for every page: the user's own rate, else the Bank of Russia's, else the market's.
    const today = dayInZone(now(), ctx.timeZone);
    const yesterday = addDays(today, -1);
    const fromMarket = await marketRates(market, currencies, ctx.access, today, held);
    const quotes: QuoteSet = fromMarket.quotes;
    const tables = await fxService.tables(ctx.userId, currencies, yesterday, today, fromMarket.rates);
    const missing = new Set<string>();
    // Rates are asked for once per position; there are only a few currencies.
    const rates = new Map<string, Dec | null>();
    const memo = (currency: string, previous: boolean) => {
      const key = `${previous ? 'prev' : 'now'}:${currency}`;
      let rate = rates.get(key);
      if (rate === undefined) {
        const found = rateOn(tables, currency, base, previous ? yesterday : today);
        if (found === null && !previous) missing.add(currency);
        rate = found === null ? null : Dec.of(found.rate);
        rates.set(key, rate);
      }
      return rate;
    };
    const fx: FxInput = { rate: (c) => memo(c, false), prevRate: (c) => memo(c, true) };

    let asOf: Date | null = null;
    const lines = new Map<string, Line[]>();
    const charges = new Map<string, TotalsInput[]>();
    const push = <T>(map: Map<string, T[]>, key: string, item: T) => {
      const list = map.get(key);
      if (list === undefined) map.set(key, [item]);
      else list.push(item);
    };

    // Currency bought on the exchange is shown as cash in a portfolio that tracks cash.
    const folded = new Map<string, pq.HeldPosition>();
    for (const r of rows) {
      const iso = r.instrument?.kind === 'currency' ? r.instrument.nominalCurrency : null;
      if (iso !== null && cashTracking.get(r.position.portfolioId) === true)
        folded.set(`${r.position.portfolioId}:${iso}`, r.position);
    }
    for (const { position: p, instrument, manualAsset } of rows) {
      const tracking = cashTracking.get(p.portfolioId) === true;
      if (p.cashCurrency !== null) {
        const chargesLine: TotalsInput = {
          assetClass: 'currencies',
          currency: p.currency,
          valued: null,
          taxesBase: p.taxesBase,
          feesBase: p.feesBase,
          extraIncomeBase: p.incomeBase,
        };
        const purchased = folded.get(`${p.portfolioId}:${p.cashCurrency}`);
        if (!tracking || (Dec.of(p.quantity).isZero() && purchased === undefined)) {
          push(charges, p.portfolioId, chargesLine);
          continue;
        }
        const valued = valueCash({
          balance: p.quantity,
          costBase: cashCostBase(
            { currency: p.cashCurrency, balance: p.quantity, balanceBase: p.costBase },
            base,
            purchased,
          ),
          realizedBase: purchased?.realizedBase ?? null,
          currency: p.cashCurrency,
          fx,
        });
        push(lines, p.portfolioId, {
          dto: positionDto(p, valued, {
            ticker: p.cashCurrency,
            name: p.cashCurrency,
            kind: 'cash',
            assetClass: 'currencies',
            price: null,
            nominal: null,
            closed: false,
          }),
          totals: {
            assetClass: 'currencies',
            currency: p.currency,
            valued,
            taxesBase: p.taxesBase,
            feesBase: p.feesBase,
            extraIncomeBase: p.incomeBase,
          },
        });
        continue;
      }

      if (instrument !== null && folded.get(`${p.portfolioId}:${instrument.nominalCurrency ?? ''}`) === p)
        continue;
      let price: PriceInput | null = null;
      const quote = instrument === null ? undefined : quotes.prices.get(instrument.uid);
      if (quote !== undefined && instrument !== null) {
        price = {
          price: quote.price,
          percentOfNominal: instrument.kind === 'bond',
          time: quote.time.toISOString(),
          source: quote.fresh ? 'market' : 'stale',
          prevClose: quote.prevClose,
        };
        if (asOf === null || quote.time > asOf) asOf = quote.time;
      } else if (manualAsset?.price != null) {
        price = {
          price: manualAsset.price,
          percentOfNominal: false,
          time: manualAsset.pricedAt?.toISOString() ?? null,
          source: 'manual',
          prevClose: null,
        };
      } else if (p.lastTradePrice !== null) {
        price = {
          price: p.lastTradePrice,
          percentOfNominal: false,
          time: p.lastTradeDate === null ? null : `${p.lastTradeDate}T00:00:00.000Z`,
          source: 'trade',
          prevClose: null,
        };
      }
      const kind = instrument?.kind ?? manualAsset?.kind ?? 'other';
      const nominal = instrument?.kind === 'bond' ? instrument.nominal : null;
      const valued = valuePosition({
        quantity: p.quantity,
        cost: p.cost,
        costBase: p.costBase,
        realizedBase: p.realizedBase,
        incomeBase: p.incomeBase,
        asset: {
          kind,
          currency: p.currency,
          nominal,
          aci: instrument?.kind === 'bond' ? (instrument.aciValue ?? '0') : null,
        },
        price,
        fx,
      });
      const assetClass: AssetClass = assetClassOf(kind);
      push(lines, p.portfolioId, {
        dto: positionDto(p, valued, {
          ticker: instrument?.ticker ?? manualAsset?.ticker ?? '?',
          name: instrument?.name ?? manualAsset?.name ?? '',
          kind,
          assetClass,
          price:
            price === null
              ? null
              : {
                  price: plain(price.price),
                  percentOfNominal: price.percentOfNominal,
                  time: price.time,
                  source: price.source,
                  provider: quote?.source ?? null,
                },
          nominal: nominal === null ? null : plain(nominal),
          closed: Dec.of(p.quantity).isZero(),
        }),
        totals: { assetClass, currency: p.currency, valued, taxesBase: p.taxesBase, feesBase: p.feesBase },
      });
    }
    upkeep(
      ctx,
      open.map((r) => r.instrument!).filter((i) => i.kind === 'bond'),
      held,
    );
    // A quote is current for a minute after it was fetched; stale prices are tried again soon.
    let validUntil = now().getTime() + (quotes.stale ? STALE_RETRY_MS : QUOTE_TTL_SECONDS * 1000);
    for (const uid of held) {
      const quote = quotes.prices.get(uid);
      if (quote?.fresh === true)
        validUntil = Math.min(validUntil, quote.fetchedAt.getTime() + QUOTE_TTL_SECONDS * 1000);
    }
    return {
      marketData: market.status(ctx.access, quotes, asOf),
      missingRates: [...missing].sort(),
      lines,
      charges,
      validUntil,
    };
  }

  /**
   * Spelled out field by field: spreading into an object this size took a slow path (tens of
   * microseconds per position, most of a 300-position page).
   */
  function positionDto(
    p: pq.HeldPosition,
    v: Valued,
    about: Pick<PositionDto, 'ticker' | 'name' | 'kind' | 'assetClass' | 'price' | 'nominal' | 'closed'>,
  ): PositionDto {
    return {
      id: p.id,
      portfolioId: p.portfolioId,
      instrumentUid: p.instrumentUid,
      manualAssetId: p.manualAssetId,
      cashCurrency: p.cashCurrency,
      ticker: about.ticker,
      name: about.name,
      kind: about.kind,
      assetClass: about.assetClass,
      currency: p.currency,
      quantity: plain(p.quantity),
      averagePrice: v.averagePrice,
      price: about.price,
      piecePrice: v.piecePrice,
      aci: v.aci,
      nominal: about.nominal,
      value: v.value,
      valueBase: v.valueBase,
      rate: v.rate,
      costBase: v.costBase,
      unrealizedPnl: v.unrealizedPnl,
      unrealizedPnlPercent: v.unrealizedPnlPercent,
      realizedPnl: v.realizedPnl,
      income: v.incomeBase,
      dayChange: v.dayChange,
      dayChangePercent: v.dayChangePercent,
      closed: about.closed,
      missingRates: p.missingRates,
    };
  }

  const order: Record<AssetClass, number> = { shares: 0, bonds: 1, funds: 2, currencies: 3, other: 4 };
  function valuedPortfolio(row: pq.PortfolioRow, valuation: Valuation) {
    const lines = valuation.lines.get(row.id) ?? [];
    const totals = summarize([...lines.map((l) => l.totals), ...(valuation.charges.get(row.id) ?? [])]);
    // Open before closed, then by class, by value (largest first) and by ticker.
    const keyed = lines.map((l) => ({ dto: l.dto, value: Number(l.dto.valueBase ?? '0') }));
    keyed.sort(
      (a, b) =>
        Number(a.dto.closed) - Number(b.dto.closed) ||
        order[a.dto.assetClass] - order[b.dto.assetClass] ||
        b.value - a.value ||
        a.dto.ticker.localeCompare(b.dto.ticker),
    );
    const positions = keyed.map((k) => k.dto);
    return { ...toPortfolioDto(row), totals, positions };
  }

  function allocation(totals: Totals, lines: Line[]) {
    const total = Dec.of(totals.value);
    const slice = (key: string, label: string, value: Dec) => ({
      key,
      label,
      value: value.toFixed(2),
      percent: percentOf(value, total),
    });
    const byTicker = new Map<string, { label: string; value: Dec }>();
    for (const { dto } of lines) {
      if (dto.valueBase === null) continue;
      const value = Dec.of(dto.valueBase);
      if (value.isZero()) continue;
      const key = dto.instrumentUid ?? dto.manualAssetId ?? `cash:${dto.currency}`;
      const known = byTicker.get(key);
      byTicker.set(key, { label: dto.ticker, value: known === undefined ? value : known.value.plus(value) });
    }
    const nonZero = (entries: [string, string][]) =>
      entries.map(([k, v]) => [k, Dec.of(v)] as const).filter(([, v]) => !v.isZero());
    return {
      byClass: nonZero(Object.entries(totals.byClass)).map(([k, v]) => slice(k, k, v)),
      byTicker: [...byTicker]
        .sort((a, b) => b[1].value.cmp(a[1].value))
        .map(([k, v]) => slice(k, v.label, v.value)),
      byCurrency: nonZero(totals.byCurrency.map((c) => [c.currency, c.value])).map(([k, v]) =>
        slice(k, k, v),
      ),
    };
  }

  async function heldInstruments(userId: string) {
    const rows = await pq.positionsWithAssets(db, userId);
    const held = new Map<
      string,
      { instrument: NonNullable<(typeof rows)[number]['instrument']>; quantity: Big }
    >();
    for (const r of rows) {
      if (r.instrument === null || new Big(r.position.quantity).eq(0)) continue;
      const known = held.get(r.instrument.uid);
      held.set(r.instrument.uid, {
        instrument: r.instrument,
        quantity: (known?.quantity ?? new Big(0)).plus(r.position.quantity),
      });
    }
    return held;
  }

  const service = {
    /** Every new user starts with one empty hand-kept portfolio. */
    async createDefault(tx: Db, userId: string, locale: 'ru' | 'en' = 'ru'): Promise<void> {
      await pq.insertPortfolio(tx, {
        userId,
        name: DEFAULT_PORTFOLIO_NAME[locale],
        kind: 'manual',
        cashTracking: false,
      });
    },

    async list(userId: string) {
      const rows = await pq.listPortfolios(db, userId);
      return rows.map((r) => ({
        ...toPortfolioDto(r),
        positions: r.openPositions,
        operations: r.operationsCount,
      }));
    },

    async create(userId: string, body: { name: string; cashTracking?: boolean }): Promise<PortfolioDto> {
      const name = body.name.trim();
      if (name === '') throw validationFailed('name', 'must not be blank');
      return toPortfolioDto(
        await pq.insertPortfolio(db, {
          userId,
          name,
          kind: 'manual',
          cashTracking: body.cashTracking ?? false,
        }),
      );
    },

    async update(
      userId: string,
      id: string,
      body: { name?: string; cashTracking?: boolean },
    ): Promise<PortfolioDto> {
      const name = body.name?.trim();
      if (name === '') throw validationFailed('name', 'must not be blank');
      const row = await pq.updatePortfolio(db, userId, id, { name, cashTracking: body.cashTracking });
      if (!row) throw notFound('Portfolio');
      return toPortfolioDto(row);
    },

    async remove(userId: string, id: string): Promise<void> {
      if (!(await pq.deletePortfolio(db, userId, id))) throw notFound('Portfolio');
    },

    /** GET /portfolio: all portfolios valued, with totals and allocation over all of them. */
    /**
     * GET /portfolio: all portfolios valued, with totals and allocation over all of them. The
     * result is reused while its inputs are unchanged: the same positions (every change bumps its
     * portfolio's version in the transaction that makes it), base currency and market access, and
     * quotes still current.
     */
    async overview(userId: string) {
      const ctx = await market.context(userId);
      const rows = await pq.userPortfolios(db, userId);
      const fingerprint = JSON.stringify([
        ctx.baseCurrency,
        ctx.access.source,
        rows.map((r) => [r.id, r.positionsVersion, r.updatedAt.getTime(), r.lastSyncedAt?.getTime()]),
      ]);
      const cached = overviews.get(userId);
      if (cached !== undefined && cached.fingerprint === fingerprint && cached.validUntil > now().getTime()) {
        return cached.body;
      }
      const valuation = await valuate(ctx, rows);
      const all = [...valuation.lines.values()].flat();
      const totals = summarize([...all.map((l) => l.totals), ...[...valuation.charges.values()].flat()]);
      const body = {
        baseCurrency: ctx.baseCurrency,
        marketData: valuation.marketData,
        totals,
        allocation: allocation(totals, all),
        missingRates: valuation.missingRates,
        portfolios: rows.map((r) => valuedPortfolio(r, valuation)),
      };
      overviews.delete(userId);
      if (overviews.size >= OVERVIEWS_KEPT) overviews.delete(overviews.keys().next().value!);
      overviews.set(userId, { fingerprint, validUntil: valuation.validUntil, body });
      return body;
    },

    async get(userId: string, id: string) {
      const ctx = await market.context(userId);
      const row = await ownPortfolio(userId, id);
      const valuation = await valuate(ctx, [row], id);
      return {
        baseCurrency: ctx.baseCurrency,
        marketData: valuation.marketData,
        missingRates: valuation.missingRates,
        portfolio: valuedPortfolio(row, valuation),
      };
    },

    /** Asks the provider for every held instrument now, whatever the cache holds. */
    async refreshQuotes(userId: string) {
      const ctx = await market.context(userId);
      const held = await heldInstruments(userId);
      const currencies = new Set(
        [...held.values()].map((h) => h.instrument.currency).filter((c) => c !== '' && c !== 'RUB'),
      );
      if (ctx.baseCurrency !== 'RUB') currencies.add(ctx.baseCurrency);
      const fx = await market.currencyInstruments([...currencies]);
      const uids = [...held.keys(), ...[...fx.values()].map((i) => i.uid)];
      const quotes = await market.quotes(uids, ctx.access, { force: true });
      overviews.delete(userId);
      const fresh = [...quotes.prices.values()].filter((q) => q.fresh);
      const asOf = fresh.reduce<Date | null>((a, q) => (a === null || q.time > a ? q.time : a), null);
      return {
        marketData: market.status(ctx.access, quotes, asOf),
        instruments: uids.length,
        refreshed: fresh.length,
      };
    },

    /** Coupons, dividends and redemptions of what is held now, with the expected amounts. */
    async calendar(userId: string, query: { from?: string; to?: string }) {
      const ctx = await market.context(userId);
      const today = dayInZone(now(), ctx.timeZone);
      const from = query.from ?? addDays(today, -30);
      const to = query.to ?? addDays(today, 365);
      if (from > to) throw validationFailed('from', 'must not be after to');
      const held = [...(await heldInstruments(userId)).values()];
      const events: {
        date: string;
        type: 'coupon' | 'dividend' | 'amortization' | 'maturity';
        instrumentUid: string;
        ticker: string;
        name: string;
        currency: string;
        perPiece: string | null;
        quantity: string;
        expectedAmount: string | null;
        recordDate: string | null;
        status: string;
      }[] = [];
      const day = (d: Date | null) => (d === null ? null : dayInZone(d, 'Europe/Moscow'));
      let failure = null as { code: string; message: string } | null;

      const jobs = held.filter((h) => ['bond', 'share', 'etf'].includes(h.instrument.kind));
      const work = async ({ instrument, quantity }: (typeof held)[number]) => {
        const base = {
          instrumentUid: instrument.uid,
          ticker: instrument.ticker,
          name: instrument.name,
          quantity: quantity.toFixed(),
        };
        const amount = (per: string | null) =>
          per === null ? null : quantity.times(per).round(2, Big.roundHalfUp).toFixed(2);
        if (instrument.kind === 'bond') {
          for (const c of await market.coupons(instrument, ctx.access)) {
            const date = day(c.couponDate);
            if (date === null || date < from || date > to) continue;
            const per = c.amountPerBond?.amount ?? null;
            events.push({
              ...base,
              date,
              type: 'coupon',
              currency: c.amountPerBond?.currency.toUpperCase() ?? instrument.currency,
              perPiece: per,
              expectedAmount: amount(per),
              recordDate: day(c.fixDate),
              status: c.type,
            });
          }
          for (const a of await market.amortizations(instrument, ctx.access)) {
            const date = day(a.date);
            if (date === null || date < from || date > to) continue;
            events.push({
              ...base,
              date,
              type: 'amortization',
              currency: a.amountPerBond.currency.toUpperCase(),
              perPiece: a.amountPerBond.amount,
              expectedAmount: amount(a.amountPerBond.amount),
              recordDate: null,
              status: 'amortization',
            });
          }
        } else {
          for (const d of await market.dividends(instrument, ctx.access)) {
            const date = day(d.paymentDate) ?? day(d.recordDate);
            if (date === null || date < from || date > to) continue;
            const per = d.netPerShare?.amount ?? null;
            events.push({
              ...base,
              date,
              type: 'dividend',
              currency: d.netPerShare?.currency.toUpperCase() ?? instrument.currency,
              perPiece: per,
              expectedAmount: amount(per),
              recordDate: day(d.recordDate),
              status: d.dividendType,
            });
          }
        }
      };
      if (ctx.access.configured) {
        const queue = [...jobs];
        const worker = async () => {
          for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
            try {
              await work(job);
            } catch (err) {
              const e = upstreamError(err, 'market');
              failure = { code: e.code, message: e.message };
            }
          }
        };
        const all = Promise.all(Array.from({ length: CALENDAR_CONCURRENCY }, worker));
        const done = await Promise.race([
          all.then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CALENDAR_WAIT_MS).unref()),
        ]);
        if (!done) {
          queue.length = 0;
          failure ??= { code: 'MARKET_DATA_UNAVAILABLE', message: 'T-Invest did not answer in time' };
        }
      }
      for (const { instrument, quantity } of held) {
        if (instrument.kind !== 'bond' || instrument.maturityDate === null) continue;
        if (instrument.maturityDate < from || instrument.maturityDate > to) continue;
        const nominal = instrument.nominal;
        events.push({
          date: instrument.maturityDate,
          type: 'maturity',
          instrumentUid: instrument.uid,
          ticker: instrument.ticker,
          name: instrument.name,
          currency: instrument.nominalCurrency ?? instrument.currency,
          perPiece: nominal === null ? null : plain(nominal),
          quantity: quantity.toFixed(),
          expectedAmount:
            nominal === null ? null : quantity.times(nominal).round(2, Big.roundHalfUp).toFixed(2),
          recordDate: null,
          status: 'maturity',
        });
      }
      events.sort((a, b) => a.date.localeCompare(b.date) || a.ticker.localeCompare(b.ticker));
      const status = market.status(
        ctx.access,
        failure === null ? undefined : { stale: true, error: failure },
      );
      return { marketData: status, from, to, events };
    },

    /** "Add asset": one buy of an instrument from the catalogue or of an asset described by hand. */
    async addAsset(userId: string, portfolioId: string, body: AddAssetBody) {
      const given = [body.instrumentId, body.manualAssetId, body.manualAsset].filter(
        (x) => x !== undefined,
      ).length;
      if (given !== 1)
        throw validationFailed(
          'instrumentId',
          'give exactly one of instrumentId, manualAssetId, manualAsset',
        );
      const ctx = await market.context(userId);
      const date = body.date ?? dayInZone(now(), ctx.timeZone);
      return operations.create(
        userId,
        portfolioId,
        {
          type: 'buy',
          date,
          instrumentId: body.instrumentId,
          manualAssetId: body.manualAssetId,
          quantity: body.quantity,
          price: body.price,
          commission: body.commission,
          accruedInterest: body.accruedInterest,
          fxRate: body.fxRate,
          note: body.note,
        },
        body.manualAsset,
      );
    },

    async listManualAssets(userId: string): Promise<ManualAssetDto[]> {
      return (await pq.listManualAssets(db, userId)).map(toManualAssetDto);
    },

    async createManualAsset(userId: string, body: CreateManualAssetBody): Promise<ManualAssetDto> {
      const ticker = body.ticker.trim();
      const name = body.name.trim();
      if (ticker === '') throw validationFailed('ticker', 'must not be blank');
      if (name === '') throw validationFailed('name', 'must not be blank');
      const today = dayInZone(now(), (await market.context(userId)).timeZone);
      const row = await db.transaction(async (tx) => {
        const asset = await pq.insertManualAsset(tx, {
          userId,
          ticker,
          name,
          kind: body.kind,
          currency: body.currency,
        });
        if (body.price === undefined) return asset;
        await setManualPrice(tx, userId, asset.id, today, body.price);
        return pq.findManualAsset(tx, userId, asset.id);
      });
      if (!row) throw notFound('Manual asset');
      return toManualAssetDto(row);
    },

    async updateManualAsset(
      userId: string,
      id: string,
      body: UpdateManualAssetBody,
    ): Promise<ManualAssetDto> {
      const ticker = body.ticker?.trim();
      const name = body.name?.trim();
      if (ticker === '') throw validationFailed('ticker', 'must not be blank');
      if (name === '') throw validationFailed('name', 'must not be blank');
      const today = dayInZone(now(), (await market.context(userId)).timeZone);
      const row = await db.transaction(async (tx) => {
        const updated = await pq.updateManualAsset(tx, userId, id, { ticker, name, kind: body.kind });
        if (!updated) return undefined;
        // Its positions show the new name and price: valuations made before are out of date.
        await pq.bumpUserPositionsVersions(tx, userId);
        if (body.price === undefined) return updated;
        // A price given here is today's entry of the history; null clears the history.
        await setManualPrice(tx, userId, id, today, body.price);
        return pq.findManualAsset(tx, userId, id);
      });
      if (!row) throw notFound('Manual asset');
      return toManualAssetDto(row);
    },

    async removeManualAsset(userId: string, id: string): Promise<void> {
      if (await pq.manualAssetInUse(db, userId, id)) {
        throw new AppError(
          409,
          'MANUAL_ASSET_IN_USE',
          'Operations still refer to this asset; delete its position first',
        );
      }
      if (!(await pq.deleteManualAsset(db, userId, id))) throw notFound('Manual asset');
    },
  };
  return service;
}

export type PortfoliosService = ReturnType<typeof createPortfoliosService>;
