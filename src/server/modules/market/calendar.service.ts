import type { Cache } from '../../platform/cache.js';
import { requireProvider, sourceOf, type MarketAccess } from './market-access.service.js';
import type { Amortization, Coupon, Dividend } from './provider.js';
import type { Identity, ProviderIds } from './provider-ids.js';

export interface CalendarServiceDeps {
  cache: Cache;
  providerUids: ProviderIds;
}

const CALENDAR_TTL_SECONDS = 12 * 3600;

/** Coupons, amortisations and dividends of an instrument, as the provider publishes them. */
export function createCalendarService({ cache, providerUids }: CalendarServiceDeps) {
  const service = {
    /** Coupon schedule of a bond, cached for half a day. */
    async coupons(instrument: Identity, access: MarketAccess): Promise<Coupon[]> {
      const key = `calendar:coupons:${sourceOf(access)}:${instrument.uid}`;
      const hit = await cache.get(key);
      if (hit !== undefined) return reviveDates(JSON.parse(hit) as Coupon[]);
      const provider = requireProvider(access);
      const id = (await providerUids([instrument], access)).get(instrument.uid);
      const coupons =
        id === undefined ? [] : await provider.getBondCoupons(id, undefined, undefined, access.token);
      await cache.set(key, JSON.stringify(coupons), CALENDAR_TTL_SECONDS);
      return coupons;
    },

    /** Amortisations of a bond where the provider publishes them, cached for half a day. */
    async amortizations(instrument: Identity, access: MarketAccess): Promise<Amortization[]> {
      const provider = requireProvider(access);
      if (provider.getBondAmortizations === undefined) return [];
      const key = `calendar:amortizations:${sourceOf(access)}:${instrument.uid}`;
      const hit = await cache.get(key);
      if (hit !== undefined) return reviveDates(JSON.parse(hit) as Amortization[]);
      const id = (await providerUids([instrument], access)).get(instrument.uid);
      const items = id === undefined ? [] : await provider.getBondAmortizations(id, access.token);
      await cache.set(key, JSON.stringify(items), CALENDAR_TTL_SECONDS);
      return items;
    },

    /** Dividends of a share or fund, cached for half a day. */
    async dividends(instrument: Identity, access: MarketAccess): Promise<Dividend[]> {
      const key = `calendar:dividends:${sourceOf(access)}:${instrument.uid}`;
      const hit = await cache.get(key);
      if (hit !== undefined) return reviveDates(JSON.parse(hit) as Dividend[]);
      const provider = requireProvider(access);
      const id = (await providerUids([instrument], access)).get(instrument.uid);
      const dividends =
        id === undefined ? [] : await provider.getDividends(id, undefined, undefined, access.token);
      await cache.set(key, JSON.stringify(dividends), CALENDAR_TTL_SECONDS);
      return dividends;
    },
  };
  return service;
}

/** JSON turned the Dates of cached provider objects into strings; turn them back. */
function reviveDates<T extends object>(items: T[]): T[] {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
  for (const item of items) {
    for (const [k, v] of Object.entries(item)) {
      if (typeof v === 'string' && iso.test(v)) (item as Record<string, unknown>)[k] = new Date(v);
    }
  }
  return items;
}

export type CalendarService = ReturnType<typeof createCalendarService>;
