import { KpiTile } from '../../components/kpi-tile.js';
import { formatDateTime, formatMoney, formatSignedMoney } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { signedPercent, tone } from './figures.js';
import type { MarketStatus, Overview, Totals } from './types.js';

export function SummaryTiles({ totals, base }: { totals: Totals; base: string }) {
  const { t } = useI18n();
  const money = (v: string) => formatMoney(v, base);
  return (
    <div class="tiles" data-testid="summary-tiles">
      <KpiTile
        label={t('inv.tile.total')}
        value={money(totals.value)}
        hint={
          totals.incomplete > 0
            ? t('inv.tile.incomplete', { count: totals.incomplete })
            : t('inv.tile.cost', { cost: money(totals.cost) })
        }
        testId="tile-total"
      />
      <KpiTile label={t('inv.tile.shares')} value={money(totals.byClass.shares)} testId="tile-shares" />
      <KpiTile label={t('inv.tile.bonds')} value={money(totals.byClass.bonds)} testId="tile-bonds" />
      <KpiTile label={t('inv.tile.funds')} value={money(totals.byClass.funds)} testId="tile-funds" />
      <KpiTile
        label={t('inv.tile.currencies')}
        value={money(totals.byClass.currencies)}
        testId="tile-currencies"
      />
      <KpiTile
        label={t('inv.tile.pnl')}
        value={formatSignedMoney(totals.unrealizedPnl, base)}
        hint={signedPercent(totals.unrealizedPnlPercent)}
        tone={tone(totals.unrealizedPnl)}
        testId="tile-pnl"
      />
      <KpiTile
        label={t('inv.tile.day')}
        value={formatSignedMoney(totals.dayChange, base)}
        hint={signedPercent(totals.dayChangePercent)}
        tone={tone(totals.dayChange)}
        testId="tile-day"
      />
    </div>
  );
}

const REASONS = new Set([
  'MARKET_DATA_TOKEN_INVALID',
  'MARKET_DATA_NO_PERMISSION',
  'MARKET_DATA_RATE_LIMITED',
  'MARKET_DATA_UNAVAILABLE',
  'MARKET_DATA_REJECTED',
  'MARKET_DATA_BAD_RESPONSE',
]);
/** The message key of why prices are stale, for the codes the page knows. */
export const reasonKey = (code: string) => (REASONS.has(code) ? `inv.market.reason.${code}` : undefined);

/** Says plainly when prices are not live: no source configured, or the last fetch failed. */
export function MarketBanner({ overview, status: m }: { overview: Overview; status: MarketStatus }) {
  const { t } = useI18n();
  const time = m.asOf ?? overview.marketData.asOf;
  const asOf = time ? ` ${t('inv.market.asOf', { time: formatDateTime(time) })}` : '';
  const reason = m.error ? reasonKey(m.error.code) : undefined;
  return (
    <>
      {(!m.configured || m.stale) && (
        <div class={`banner ${m.configured ? 'warning' : 'info'}`} role="status" data-testid="market-banner">
          <b>{m.configured ? t('inv.market.stale') : t('inv.market.none')}</b>
          {reason !== undefined && ` ${t(reason)}`}
          {asOf}
        </div>
      )}
      {m.configured && !m.stale && m.source === 'moex' && (
        <p class="muted small" data-testid="market-source">
          {t('inv.market.moex')}
        </p>
      )}
      {overview.missingRates.length > 0 && (
        <div class="banner warning" role="status">
          {t('inv.market.missingRates', { list: overview.missingRates.join(', ') })}
        </div>
      )}
    </>
  );
}
