import type { Decimal } from '../../../common/decimal.js';
import { dec } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import type { Budget } from '../budget/budget.js';
import type { PortfolioOverview } from '../investments/portfolio-overview.service.js';
import type { PositionDto } from '../investments/portfolios.schemas.js';
import { rateOn, type FxTables, type Rate } from '../fx/fx-core.js';
import type { FxService } from '../fx/fx.service.js';
import { marketRates } from '../market/fx.js';
import type { Market } from '../market/market.js';
import type { ObligationsService } from '../obligations/obligations.service.js';
import type { NetWorthDto } from './networth.schemas.js';

const UPCOMING_SHOWN = 10;

export interface NetWorthServiceDeps {
  accounts: Budget['accounts'];
  obligations: ObligationsService;
  portfolios: Pick<PortfolioOverview, 'overview'>;
  market: Market;
  fx: FxService;
}

/** Amounts per currency: summed exactly, converted at today's rate, rounded half-up per line. */
function convert(totals: Map<string, Decimal>, rate: (currency: string) => Rate | null) {
  const byCurrency = [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, amount]) => {
      const r = rate(currency);
      return {
        currency,
        amount: toFixed(amount),
        rate: r,
        converted: r === null ? null : toFixed(amount.times(r.rate)),
      };
    });
  const total = byCurrency.every((l) => l.converted !== null)
    ? toFixed(byCurrency.reduce((s, l) => s.plus(l.converted ?? '0'), dec(0)))
    : null;
  return { total, byCurrency };
}

function add(map: Map<string, Decimal>, currency: string, amount: string): void {
  map.set(currency, (map.get(currency) ?? dec(0)).plus(amount));
}

type Holding = Pick<PositionDto, 'currency' | 'value' | 'valueBase' | 'closed'>;

/**
 * The portfolios' holdings per currency: their values in the currency itself, and in the base
 * currency as the portfolio values them (each position at today's rate, to the kopeck), so the
 * lines add up to the portfolio's total. A position without a price counts in neither, as in the
 * portfolio's total; one without a rate leaves its line unconverted.
 */
function holdingsByCurrency(positions: Holding[], rate: (currency: string) => Rate | null) {
  const lines = new Map<string, { amount: Decimal; converted: Decimal | null }>();
  for (const p of positions) {
    if (p.closed || p.value === null) continue;
    const currency = p.currency.toUpperCase();
    const line = lines.get(currency) ?? { amount: dec(0), converted: dec(0) };
    line.amount = line.amount.plus(p.value);
    line.converted = p.valueBase === null ? null : (line.converted?.plus(p.valueBase) ?? null);
    lines.set(currency, line);
  }
  return [...lines.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, line]) => ({
      currency,
      amount: toFixed(line.amount),
      rate: rate(currency),
      converted: line.converted === null ? null : toFixed(line.converted),
    }));
}

export function createNetWorthService({
  accounts,
  obligations,
  portfolios,
  market,
  fx,
}: NetWorthServiceDeps) {
  return {
    /** Assets (account balances + portfolios) minus liabilities (credit principal), in the base currency. */
    async overview(userId: string): Promise<NetWorthDto> {
      const [ctx, accountList, debts, portfolio] = await Promise.all([
        market.access.context(userId),
        accounts.list(userId, true),
        obligations.summary(userId),
        portfolios.overview(userId),
      ]);
      const base = ctx.baseCurrency;
      const balances = new Map<string, Decimal>();
      for (const a of accountList) add(balances, a.currency, a.balance);
      const principal = new Map<string, Decimal>();
      for (const c of debts.credits.byCurrency) add(principal, c.currency, c.debt);

      const positions = portfolio.portfolios.flatMap((p) => p.positions);

      const day = debts.today;
      const currencies = [
        ...new Set([
          ...balances.keys(),
          ...principal.keys(),
          ...positions.map((p) => p.currency.toUpperCase()),
          base,
        ]),
      ];
      const fromMarket = await marketRates(market, currencies, ctx.access, day);
      const tables: FxTables = await fx.tables(userId, currencies, day, day, fromMarket.rates);
      const missing = new Set<string>(portfolio.missingRates);
      const rate = (currency: string) => {
        const r = rateOn(tables, currency, base, day);
        if (r === null) missing.add(currency);
        return r;
      };
      const accountsPart = convert(balances, rate);
      const creditsPart = convert(principal, rate);
      const holdings = holdingsByCurrency(positions, rate);
      const missingRates = [...missing].sort();

      const assets =
        accountsPart.total === null ? null : toFixed(dec(accountsPart.total).plus(portfolio.totals.value));
      const liabilities = creditsPart.total;
      const netWorth =
        assets === null || liabilities === null ? null : toFixed(dec(assets).minus(liabilities));

      return {
        baseCurrency: base,
        day,
        netWorth,
        assets,
        liabilities,
        accounts: accountsPart,
        portfolio: { total: portfolio.totals.value, byCurrency: holdings },
        credits: creditsPart,
        missingRates,
        marketData: portfolio.marketData,
        upcoming: debts.upcoming.slice(0, UPCOMING_SHOWN),
      };
    },
  };
}

export type NetWorthService = ReturnType<typeof createNetWorthService>;
