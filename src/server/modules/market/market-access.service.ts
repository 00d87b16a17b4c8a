import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import { AppError } from '../../platform/errors.js';
import type { AuthService } from '../auth/auth.service.js';
import type { MarketStatus } from './market.schemas.js';
import type { MarketDataProvider } from './provider.js';
import { NOT_CONFIGURED_MESSAGE } from './upstream.js';

export interface MarketAccessDeps {
  config: Config;
  /** T-Invest: market data with a server or user token, and everything about broker accounts. */
  market: MarketDataProvider | undefined;
  /** MOEX ISS: market data for whoever has no T-Invest token. */
  moex: MarketDataProvider | undefined;
  /** The user's base currency, time zone and T-Invest token come from the auth module. */
  auth: Pick<AuthService, 'marketSettings'>;
  logger: FastifyBaseLogger;
}

/** Where market data comes from: T-Invest with the server's or the user's token, or MOEX ISS. */
export interface MarketAccess {
  configured: boolean;
  source: 'server' | 'user' | 'moex' | 'none';
  /** Passed to the provider; undefined means the provider's own (server) token. */
  token: string | undefined;
  provider: MarketDataProvider | undefined;
}

/** The provider a price came from, as stored with it. */
export type PriceSource = 'tinvest' | 'moex';

export interface UserMarketContext {
  userId: string;
  baseCurrency: string;
  timeZone: string;
  /** The user's own T-Invest token, decrypted; only ever sent to T-Invest. */
  userToken: string | undefined;
  access: MarketAccess;
}

export const sourceOf = (access: MarketAccess): PriceSource =>
  access.source === 'moex' ? 'moex' : 'tinvest';

/** The provider that serves `access`; 503 when there is none (prices are entered by hand). */
export function requireProvider(access: MarketAccess): MarketDataProvider {
  if (access.provider === undefined || !access.configured) {
    throw new AppError(503, 'MARKET_DATA_NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
  }
  return access.provider;
}

/** Whether the last prices asked of a source are stale, and why. */
export interface QuoteState {
  stale: boolean;
  error: { code: string; message: string } | null;
}

/** Which source serves a user's market data, and how the state of that source is told to the pages. */
export function createMarketAccess({ config, market, moex, auth, logger }: MarketAccessDeps) {
  const serverToken = config.tinvest.serverToken;

  /** T-Invest with a token (the server's first), else MOEX ISS, else prices by hand. */
  function accessFor(userToken: string | undefined): MarketAccess {
    if (market !== undefined && serverToken !== undefined)
      return { configured: true, source: 'server', token: undefined, provider: market };
    if (market !== undefined && userToken !== undefined)
      return { configured: true, source: 'user', token: userToken, provider: market };
    if (moex !== undefined) return { configured: true, source: 'moex', token: undefined, provider: moex };
    return { configured: false, source: 'none', token: undefined, provider: undefined };
  }

  const service = {
    /** The user's base currency, time zone, own token and the market access that follows. */
    async context(userId: string): Promise<UserMarketContext> {
      const settings = await auth.marketSettings(userId);
      const userToken = settings.tinvestToken;
      if (settings.tinvestTokenError !== undefined) {
        // A key removed from the ring: the token is unreadable; the user has to enter it again.
        logger.warn({ err: settings.tinvestTokenError }, 'stored T-Invest token unreadable');
      }
      return {
        userId,
        baseCurrency: settings.baseCurrency,
        timeZone: settings.timeZone,
        userToken,
        access: accessFor(userToken),
      };
    },

    /** The server's own source: its T-Invest token, else MOEX ISS (a user's token is not used). */
    serverAccess(): MarketAccess {
      return accessFor(undefined);
    },

    status(access: MarketAccess, quotes?: QuoteState, asOf: Date | null = null): MarketStatus {
      const stale = quotes?.stale ?? false;
      const error = quotes?.error ?? null;
      let message =
        access.source === 'moex' ? 'Prices from MOEX ISS, delayed by 15 minutes.' : 'Prices are current.';
      if (!access.configured) message = NOT_CONFIGURED_MESSAGE;
      else if (stale)
        message = `Prices could not be refreshed (${error?.message ?? 'the provider did not answer'}); the last known prices are shown with their time.`;
      return {
        configured: access.configured,
        source: access.source,
        stale,
        asOf: asOf === null ? null : asOf.toISOString(),
        error,
        message,
      };
    },
  };
  return service;
}

export type MarketAccessService = ReturnType<typeof createMarketAccess>;
