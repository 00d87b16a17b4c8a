import { dec, Decimal } from '../../../common/decimal.js';
import { addDays, dayInZone } from '../../../common/dates.js';
import type { Db } from '../../platform/db.js';
import { rateOn } from '../fx/fx-core.js';
import type { FxService } from '../fx/fx.service.js';
import { marketRates } from '../market/fx.js';
import type { MarketStatus } from '../market/market.schemas.js';
import type { Market } from '../market/market.js';
import type { UserMarketContext } from '../market/market-access.service.js';
import { QUOTE_TTL_SECONDS, type QuoteSet } from '../market/quotes.service.js';
import { plain } from './operations.service.js';
import * as pq from './portfolios.queries.js';
import type { PositionDto } from './portfolios.schemas.js';
import { toPortfolioDto } from './portfolios.service.js';
import type { PositionsService } from './positions.service.js';
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

export interface PortfolioValuationDeps {
  db: Db;
  market: Pick<Market, 'access' | 'prices' | 'catalogue'>;
  fx: FxService;
  positions: Pick<PositionsService, 'rebaseLater'>;
  now: () => Date;
}

/** How soon a valuation made with stale prices tries the provider again. */
const STALE_RETRY_MS = 10_000;

interface Line {
  dto: PositionDto;
  totals: TotalsInput;
}

export interface Valuation {
  marketData: MarketStatus;
  missingRates: string[];
  lines: Map<string, Line[]>;
  /** Charges and income on cash balances that are not shown as holdings. */
  charges: Map<string, TotalsInput[]>;
  /** Until when the same inputs give the same result: the quotes used stay current until then. */
  validUntil: number;
  /** What the background upkeep refreshes: held bonds (НКД) and held instruments (previous closes). */
  bonds: Parameters<Market['catalogue']['refreshAccruedInterest']>[0];
  held: string[];
}

const percentOf = (part: Decimal, whole: Decimal) =>
  whole.isZero() ? '0.00' : part.times(Decimal.int(100)).div(whole, 2).toFixed(2);

/**
 * The input of every portfolio page: stored positions with today's prices and rates, valued;
 * totals, allocation and what is held. Reads only.
 */
export function createPortfolioValuation({
  db,
  market,
  fx: fxService,
  positions,
  now,
}: PortfolioValuationDeps) {
  /** Values every position of the user (or of one portfolio) with one batched quote request. */
  async function valuate(
    ctx: UserMarketContext,
    portfolios: pq.PortfolioRow[],
    portfolioId?: string,
  ): Promise<Valuation> {
    const base = ctx.baseCurrency;
    const rows = await pq.positionsWithAssets(db, ctx.userId, portfolioId);
    // Positions derived in another base currency (by an older version, or by an operation that
    // raced the change) are derived again in the background; this answer is not kept.
    const outdated = rows.some((r) => r.position.baseCurrency !== base);
    if (outdated) positions.rebaseLater(ctx.userId, base);
    const cashTracking = new Map(portfolios.map((p) => [p.id, p.cashTracking]));

    const open = rows.filter((r) => r.instrument !== null && !Decimal.of(r.position.quantity).isZero());
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
    const rates = new Map<string, Decimal | null>();
    const memo = (currency: string, previous: boolean) => {
      const key = `${previous ? 'prev' : 'now'}:${currency}`;
      let rate = rates.get(key);
      if (rate === undefined) {
        const found = rateOn(tables, currency, base, previous ? yesterday : today);
        if (found === null && !previous) missing.add(currency);
        rate = found === null ? null : Decimal.of(found.rate);
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
        if (!tracking || (Decimal.of(p.quantity).isZero() && purchased === undefined)) {
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
          closed: Decimal.of(p.quantity).isZero(),
        }),
        totals: { assetClass, currency: p.currency, valued, taxesBase: p.taxesBase, feesBase: p.feesBase },
      });
    }
    // A quote is current for a minute after it was fetched; stale prices are tried again soon.
    let validUntil = now().getTime() + (quotes.stale ? STALE_RETRY_MS : QUOTE_TTL_SECONDS * 1000);
    for (const uid of held) {
      const quote = quotes.prices.get(uid);
      if (quote?.fresh === true)
        validUntil = Math.min(validUntil, quote.fetchedAt.getTime() + QUOTE_TTL_SECONDS * 1000);
    }
    if (outdated) validUntil = 0;
    return {
      marketData: market.access.status(ctx.access, quotes, asOf),
      missingRates: [...missing].sort(),
      lines,
      charges,
      validUntil,
      bonds: open.map((r) => r.instrument!).filter((i) => i.kind === 'bond'),
      held,
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
    const total = Decimal.of(totals.value);
    const slice = (key: string, label: string, value: Decimal) => ({
      key,
      label,
      value: value.toFixed(2),
      percent: percentOf(value, total),
    });
    const byTicker = new Map<string, { label: string; value: Decimal }>();
    for (const { dto } of lines) {
      if (dto.valueBase === null) continue;
      const value = Decimal.of(dto.valueBase);
      if (value.isZero()) continue;
      const key = dto.instrumentUid ?? dto.manualAssetId ?? `cash:${dto.currency}`;
      const known = byTicker.get(key);
      byTicker.set(key, { label: dto.ticker, value: known === undefined ? value : known.value.plus(value) });
    }
    const nonZero = (entries: [string, string][]) =>
      entries.map(([k, v]) => [k, Decimal.of(v)] as const).filter(([, v]) => !v.isZero());
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
      { instrument: NonNullable<(typeof rows)[number]['instrument']>; quantity: Decimal }
    >();
    for (const r of rows) {
      if (r.instrument === null || dec(r.position.quantity).eq(0)) continue;
      const known = held.get(r.instrument.uid);
      held.set(r.instrument.uid, {
        instrument: r.instrument,
        quantity: (known?.quantity ?? dec(0)).plus(r.position.quantity),
      });
    }
    return held;
  }

  return { valuate, valuedPortfolio, allocation, heldInstruments };
}

export type PortfolioValuation = ReturnType<typeof createPortfolioValuation>;
