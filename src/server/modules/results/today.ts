/**
 * Today's value as the positions table shows it (GET /portfolio): the live quote or hand price,
 * today's rate and НКД, so that the results end where the table does, to the kopeck. Past days
 * stay on daily closes.
 */
import { Decimal } from '../../../common/decimal.js';
import type { PortfolioOverview } from '../investments/portfolio-overview.service.js';

type OverviewBody = Awaited<ReturnType<PortfolioOverview['overview']>>;

export interface LiveToday {
  /** A portfolio's total value. */
  portfolio(id: string): string | undefined;
  /** A position's value in the base currency (null or absent when the table has none). */
  position(portfolioId: string, assetKey: string): string | undefined;
}

export function liveToday(body: OverviewBody): LiveToday {
  const totals = new Map(body.portfolios.map((p) => [p.id, p.totals.value]));
  const lines = new Map<string, string>();
  for (const p of body.portfolios)
    for (const l of p.positions) {
      const key = l.instrumentUid ?? l.manualAssetId;
      if (key !== null && l.valueBase !== null) lines.set(`${p.id}:${key}`, l.valueBase);
    }
  return {
    portfolio: (id) => totals.get(id),
    position: (portfolioId, assetKey) => lines.get(`${portfolioId}:${assetKey}`),
  };
}

/** The rows of a series with the value of `today` (if there) replaced by the portfolios' live total. */
export function withLiveValue<T extends { day: string; value: string }>(
  rows: T[],
  today: string,
  live: LiveToday | null,
  portfolioIds: readonly string[],
): T[] {
  const last = rows.at(-1);
  if (live === null || last?.day !== today) return rows;
  let value = Decimal.ZERO;
  for (const id of portfolioIds) {
    const v = live.portfolio(id);
    if (v === undefined) return rows;
    value = value.plus(Decimal.of(v));
  }
  return [...rows.slice(0, -1), { ...last, value: value.toFixed(2) }];
}
