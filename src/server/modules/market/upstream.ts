import { MarketDataError } from './provider.js';
import { AppError } from '../../platform/errors.js';

/** What every market service shares: the provider's failures as ours, time limits, the exchange's day. */

/** Moscow: the exchange's day decides "today" for НКД and previous closes. */
export const EXCHANGE_TZ = 'Europe/Moscow';

export const NOT_CONFIGURED_MESSAGE =
  'No market data source is configured: prices are entered by hand. Set TINKOFF_API_TOKEN on the server, add your T-Invest token in the settings, or let the server reach MOEX ISS.';

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
export const TIMED_OUT = Symbol('timed out');

/**
 * Upstream failures as our errors. `scope` says whose token was used: a rejected user token is the
 * user's to fix (409), a rejected server token is an outage of ours (502).
 */
export function upstreamError(err: unknown, scope: 'market' | 'account'): AppError {
  if (!(err instanceof MarketDataError)) throw err;
  switch (err.code) {
    case 'TOKEN_MISSING':
      return scope === 'account'
        ? new AppError(409, 'TINVEST_TOKEN_MISSING', 'Add your T-Invest token in the settings first')
        : new AppError(503, 'MARKET_DATA_NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
    case 'TOKEN_INVALID':
      return scope === 'account'
        ? new AppError(
            409,
            'TINVEST_TOKEN_INVALID',
            'T-Invest rejected your token: issue a new one in T-Bank Invest',
          )
        : new AppError(502, 'MARKET_DATA_TOKEN_INVALID', 'T-Invest rejected the market data token');
    case 'NO_PERMISSION':
      return scope === 'account'
        ? new AppError(409, 'TINVEST_NO_PERMISSION', 'Your T-Invest token has no access to this account')
        : new AppError(502, 'MARKET_DATA_NO_PERMISSION', 'The market data token lacks rights for this');
    case 'NOT_FOUND':
      return new AppError(
        404,
        'INSTRUMENT_NOT_FOUND',
        'The market data provider does not know this instrument',
      );
    case 'RATE_LIMITED':
      return new AppError(
        503,
        'MARKET_DATA_RATE_LIMITED',
        'The market data source asks to slow down; try again in a minute',
      );
    case 'UPSTREAM_UNAVAILABLE':
      return new AppError(
        503,
        'MARKET_DATA_UNAVAILABLE',
        'The market data source does not answer right now; try again later',
      );
    case 'INVALID_REQUEST':
      return new AppError(502, 'MARKET_DATA_REJECTED', 'The market data source refused the request');
    case 'UPSTREAM_BAD_RESPONSE':
      return new AppError(
        502,
        'MARKET_DATA_BAD_RESPONSE',
        'The market data source answered something unexpected',
      );
  }
}
