import type { FastifyBaseLogger } from 'fastify';
import { dec } from '../../../common/decimal.js';
import { dayInZone } from '../../../common/dates.js';
import type { Cache } from '../../platform/cache.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import {
  requireProvider,
  type MarketAccess,
  type MarketAccessService,
  type UserMarketContext,
} from './market-access.service.js';
import type { InstrumentDto, MarketStatus } from './market.schemas.js';
import * as q from './market.queries.js';
import { MOEX_UID_PREFIX } from './moex/iss-provider.js';
import {
  MarketDataError,
  type Instrument,
  type ListableInstrumentKind,
  type MarketDataProvider,
} from './provider.js';
import type { Identity, ProviderIds } from './provider-ids.js';
import { EXCHANGE_TZ, TIMED_OUT, upstreamError, withTimeout } from './upstream.js';

export interface CatalogueServiceDeps {
  db: Db;
  cache: Cache;
  /** MOEX ISS: describes instruments found by a search made without a token. */
  moex: MarketDataProvider | undefined;
  contexts: Pick<MarketAccessService, 'status' | 'serverAccess'>;
  providerUids: ProviderIds;
  now: () => Date;
  logger: FastifyBaseLogger;
}

const SEARCH_WAIT_MS = 3_000;
const CATALOGUE_MAX_AGE_MS = 24 * 3_600_000;
const CATALOGUE_CHECK_EVERY_MS = 3_600_000;
const CURRENCY_MEMO_MS = 5 * 60_000;

const KINDS: readonly ListableInstrumentKind[] = ['share', 'bond', 'etf', 'currency'];

/** Column text such as "1000.000000000" in its shortest exact form. */
const plainDecimal = (value: string | null) => (value === null ? null : dec(value).toFixed());

const dateOnly = (d: Date | null): string | null => (d === null ? null : d.toISOString().slice(0, 10));

function instrumentValues(i: Instrument, today: string): q.InstrumentValues {
  const bond = i.kind === 'bond';
  return {
    uid: i.uid,
    figi: i.figi,
    ticker: i.ticker,
    classCode: i.classCode,
    isin: i.isin,
    name: i.name || i.ticker,
    kind: i.kind,
    currency: i.currency.toUpperCase(),
    lot: i.lot,
    nominal: i.nominal?.amount ?? null,
    nominalCurrency: i.nominal?.currency ? i.nominal.currency.toUpperCase() : null,
    aciValue: bond ? (i.aciValue?.amount ?? '0') : null,
    aciDate: bond ? today : null,
    minPriceIncrement: i.minPriceIncrement,
    maturityDate: dateOnly(i.maturityDate),
    couponsPerYear: i.couponsPerYear,
    tradable: i.tradable,
    tinvestUid: i.uid.startsWith(MOEX_UID_PREFIX) ? null : i.uid,
  };
}

export function instrumentDto(
  row: q.InstrumentRow,
  lastPrice: { price: string; time: Date } | null = null,
): InstrumentDto {
  return {
    uid: row.uid,
    figi: row.figi,
    ticker: row.ticker,
    classCode: row.classCode,
    isin: row.isin,
    name: row.name,
    kind: row.kind,
    currency: row.currency || null,
    lot: row.lot,
    nominal: row.kind === 'bond' ? plainDecimal(row.nominal) : null,
    aci: row.kind === 'bond' ? plainDecimal(row.aciValue) : null,
    tradable: row.tradable,
    inCatalogue: true,
    lastPrice:
      lastPrice === null
        ? null
        : {
            price: dec(lastPrice.price).toFixed(),
            percentOfNominal: row.kind === 'bond',
            time: lastPrice.time.toISOString(),
          },
  };
}

/** The instrument catalogue: lookups, search, the daily refresh and bonds' НКД. */
export function createCatalogueService({
  db,
  cache,
  moex,
  contexts,
  providerUids,
  now,
  logger,
}: CatalogueServiceDeps) {
  /** Which instrument prices each currency changes only with the catalogue: kept a few minutes. */
  const currencyMemo = new Map<string, { until: number; value: Map<string, q.InstrumentRow> }>();
  let catalogueRefresh: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const today = () => dayInZone(now(), EXCHANGE_TZ);

  async function refreshCatalogueNow(access: MarketAccess): Promise<number> {
    const provider = requireProvider(access);
    const day = today();
    let total = 0;
    for (const kind of KINDS) {
      const list = await provider.listInstruments(kind, access.token);
      await q.upsertInstruments(
        db,
        list.map((i) => instrumentValues(i, day)),
      );
      total += list.length;
    }
    currencyMemo.clear();
    logger.info({ instruments: total }, 'instrument catalogue refreshed');
    return total;
  }

  const service = {
    /** Catalogue row of an instrument; one the catalogue lacks is fetched from the provider and stored. */
    async ensureInstrument(uid: string, access: MarketAccess): Promise<q.InstrumentRow> {
      const known = await q.findInstrument(db, uid);
      if (known) return known;
      // A MOEX id (from a search made without a token) is described by the exchange itself.
      const provider = uid.startsWith(MOEX_UID_PREFIX) && moex !== undefined ? moex : access.provider;
      if (provider === undefined || !access.configured) {
        throw new AppError(404, 'INSTRUMENT_NOT_FOUND', 'Instrument not found in the catalogue');
      }
      let instrument: Instrument;
      try {
        instrument = await provider.getInstrument(uid, provider === moex ? undefined : access.token);
      } catch (err) {
        throw upstreamError(err, 'market');
      }
      const [stored] = await q.upsertInstruments(db, [instrumentValues(instrument, today())]);
      const row = stored === undefined ? undefined : await q.findInstrument(db, stored);
      if (!row) throw new AppError(404, 'INSTRUMENT_NOT_FOUND', 'Instrument not found');
      return row;
    },

    /** Catalogue rows by the app's uid or a T-Invest uid, keyed by the id asked for. */
    async instrumentsByUid(ids: readonly string[]): Promise<Map<string, q.InstrumentRow>> {
      return q.findInstrumentsByAnyId(db, ids);
    },

    /** Catalogue rows by ticker or ISIN (an imported file's symbols), keyed by the symbol in upper case. */
    async instrumentsBySymbol(symbols: readonly string[]): Promise<Map<string, q.InstrumentRow>> {
      return q.findInstrumentsBySymbol(db, symbols);
    },

    async currencyInstruments(isos: readonly string[]): Promise<Map<string, q.InstrumentRow>> {
      const key = [...isos].sort().join(',');
      const memo = currencyMemo.get(key);
      if (memo !== undefined && memo.until > now().getTime()) return memo.value;
      const value = await q.findCurrencyInstruments(db, isos);
      if (currencyMemo.size > 100) currencyMemo.clear();
      currencyMemo.set(key, { until: now().getTime() + CURRENCY_MEMO_MS, value });
      return value;
    },

    /** Search the catalogue; when it has few matches, ask the provider's FindInstrument too. */
    async search(
      ctx: UserMarketContext,
      query: string,
      kind: string | undefined,
      limit: number,
    ): Promise<{ marketData: MarketStatus; items: InstrumentDto[] }> {
      const text = query.trim();
      const rows = await q.searchInstruments(db, text, kind, limit);
      const items = rows.map((r) =>
        instrumentDto(
          r,
          r.lastPrice !== null && r.lastPriceTime !== null
            ? { price: r.lastPrice, time: r.lastPriceTime }
            : null,
        ),
      );
      let status = contexts.status(ctx.access);
      const provider = ctx.access.provider;
      if (provider !== undefined && ctx.access.configured && items.length < limit && text.length >= 2) {
        try {
          const found = await withTimeout(provider.findInstruments(text, ctx.access.token), SEARCH_WAIT_MS);
          if (found === TIMED_OUT)
            throw new MarketDataError('UPSTREAM_UNAVAILABLE', 'instrument search timed out');
          // One instrument across providers: the same ticker on the same board is listed once.
          const seen = new Set(items.flatMap((i) => [i.uid, `${i.ticker}\u0000${i.classCode}`]));
          for (const f of found) {
            if (items.length >= limit) break;
            const pair = `${f.ticker}\u0000${f.classCode}`;
            if (seen.has(f.uid) || seen.has(pair) || (kind !== undefined && f.kind !== kind)) continue;
            seen.add(f.uid);
            seen.add(pair);
            items.push({
              uid: f.uid,
              figi: f.figi,
              ticker: f.ticker,
              classCode: f.classCode,
              isin: f.isin,
              name: f.name,
              kind: f.kind,
              currency: null,
              lot: f.lot,
              nominal: null,
              aci: null,
              tradable: f.tradable,
              inCatalogue: false,
              lastPrice: null,
            });
          }
        } catch (err) {
          const error = upstreamError(err, 'market');
          status = contexts.status(ctx.access, {
            stale: true,
            error: { code: error.code, message: error.message },
          });
        }
      }
      return { marketData: status, items };
    },

    /** Refreshes the catalogue now (joins a refresh already running in this process). */
    async refreshCatalogue(access: MarketAccess): Promise<{ instruments: number; refreshedAt: string }> {
      requireProvider(access);
      catalogueRefresh ??= refreshCatalogueNow(access).finally(() => {
        catalogueRefresh = undefined;
      });
      try {
        await catalogueRefresh;
      } catch (err) {
        throw upstreamError(err, 'market');
      }
      const age = await q.catalogueAge(db);
      return { instruments: age.count, refreshedAt: (age.newest ?? now()).toISOString() };
    },

    /** Starts the daily background refresh; start-up never waits for it. */
    start(): void {
      // The server's own source: its T-Invest token, else MOEX ISS (a user's token is not used here).
      const access = contexts.serverAccess();
      if (!access.configured) return;
      const check = async () => {
        const age = await q.catalogueAge(db);
        if (
          age.count > 0 &&
          age.newest !== null &&
          now().getTime() - age.newest.getTime() < CATALOGUE_MAX_AGE_MS
        )
          return;
        // One instance refreshes at a time across the deployment.
        const lock = await cache.hit('market:catalogue-refresh', 15 * 60_000);
        if (lock.count > 1) return;
        await service.refreshCatalogue(access);
      };
      const run = () => {
        check().catch((err: unknown) =>
          logger.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'background catalogue refresh failed',
          ),
        );
      };
      setImmediate(run);
      timer = setInterval(run, CATALOGUE_CHECK_EVERY_MS);
      timer.unref();
    },

    stop(): void {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },

    /**
     * Keeps held bonds' НКД current: the catalogue copy is from the day of its refresh. Runs in the
     * background; until it finishes the previous value is used.
     */
    async refreshAccruedInterest(
      bonds: readonly (Identity & Pick<q.InstrumentRow, 'kind' | 'aciDate'>)[],
      access: MarketAccess,
    ): Promise<void> {
      if (access.provider === undefined || !access.configured) return;
      const day = today();
      const due = bonds.filter((b) => b.kind === 'bond' && b.aciDate !== day).slice(0, 50);
      const ids = await providerUids(due, access);
      for (const bond of due) {
        const id = ids.get(bond.uid);
        if (id === undefined) continue;
        try {
          const fresh = await access.provider.getInstrument(id, access.token);
          await q.setAccruedInterest(db, bond.uid, fresh.aciValue?.amount ?? '0', day);
        } catch (err) {
          logger.warn(
            { uid: bond.uid, err: err instanceof Error ? err.message : String(err) },
            'НКД refresh failed',
          );
          return;
        }
      }
    },
  };
  return service;
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;
