import { AppError } from '../../platform/errors.js';
import type { BrokerAccount, MarketDataProvider, Operation, Portfolio } from './provider.js';
import { NOT_CONFIGURED_MESSAGE, upstreamError } from './upstream.js';

export interface BrokerServiceDeps {
  /** T-Invest: broker accounts are read with the user's own token only. */
  market: MarketDataProvider | undefined;
}

/** The user's broker accounts at T-Invest: the accounts, their operations and portfolios. */
export function createBrokerService({ market }: BrokerServiceDeps) {
  const service = {
    // Account-scoped calls: always the user's own token.
    async accounts(userToken: string): Promise<BrokerAccount[]> {
      if (market === undefined) throw new AppError(503, 'MARKET_DATA_NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
      try {
        return await market.getAccounts(userToken);
      } catch (err) {
        throw upstreamError(err, 'account');
      }
    },

    async brokerOperations(userToken: string, accountId: string): Promise<Operation[]> {
      if (market === undefined) throw new AppError(503, 'MARKET_DATA_NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
      try {
        return await market.getOperationsByCursor(userToken, accountId);
      } catch (err) {
        throw upstreamError(err, 'account');
      }
    },

    async brokerPortfolio(userToken: string, accountId: string): Promise<Portfolio> {
      if (market === undefined) throw new AppError(503, 'MARKET_DATA_NOT_CONFIGURED', NOT_CONFIGURED_MESSAGE);
      try {
        return await market.getPortfolio(userToken, accountId);
      } catch (err) {
        throw upstreamError(err, 'account');
      }
    },
  };
  return service;
}

export type BrokerService = ReturnType<typeof createBrokerService>;
