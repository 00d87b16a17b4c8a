import type { FastifyBaseLogger } from 'fastify';
import type { Cache } from '../../platform/cache.js';
import type { Db } from '../../platform/db.js';
import { requireProvider, type MarketAccess } from './market-access.service.js';
import * as q from './market.queries.js';
import { MOEX_UID_PREFIX, moexUid } from './moex/iss-provider.js';

/** How a catalogue row is known to the providers. */
export type Identity = Pick<q.InstrumentRow, 'uid' | 'ticker' | 'classCode' | 'tinvestUid'>;

/** How an instrument is addressed by the provider of `access`; null when that is not known yet. */
function providerUid(row: Identity, access: MarketAccess): string | null {
  if (access.source === 'moex') return row.classCode !== '' ? moexUid(row.classCode, row.ticker) : null;
  // Any row not described by MOEX first was described by T-Invest: its uid is T-Invest's.
  return row.tinvestUid ?? (row.uid.startsWith(MOEX_UID_PREFIX) ? null : row.uid);
}

/** How long a MOEX instrument T-Invest could not find is not looked up again. */
const LINK_RETRY_SECONDS = 24 * 3600;

export interface ProviderIdsDeps {
  db: Db;
  cache: Cache;
  logger: FastifyBaseLogger;
}

export function createProviderIds({ db, cache, logger }: ProviderIdsDeps) {
  /**
   * Provider ids of catalogue rows. An instrument first described by MOEX ISS gets its T-Invest uid
   * the first time T-Invest is asked about it (FindInstrument by ticker, matched on class code).
   */
  async function providerUids(rows: readonly Identity[], access: MarketAccess): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    const provider = requireProvider(access);
    for (const row of rows) {
      let id = providerUid(row, access);
      if (
        id === null &&
        access.source !== 'moex' &&
        (await cache.get(`tinvest-link:${row.uid}`)) === undefined
      ) {
        try {
          const found = await provider.findInstruments(row.ticker, access.token);
          id = found.find((f) => f.ticker === row.ticker && f.classCode === row.classCode)?.uid ?? null;
          if (id !== null) await q.setTinvestUid(db, row.uid, id);
          else await cache.set(`tinvest-link:${row.uid}`, 'none', LINK_RETRY_SECONDS);
        } catch (err) {
          logger.warn(
            { uid: row.uid, err: err instanceof Error ? err.message : String(err) },
            'instrument lookup by ticker failed',
          );
        }
      }
      if (id !== null) result.set(row.uid, id);
    }
    return result;
  }

  return providerUids;
}

export type ProviderIds = ReturnType<typeof createProviderIds>;
