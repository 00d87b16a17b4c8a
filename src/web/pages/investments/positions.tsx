import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { api } from '../../lib/api.js';
import { formatAge, formatDateTime, formatMoney, formatNumber, formatSignedMoney } from '../../lib/format.js';
import { useSubmit } from '../../lib/forms.js';
import { useI18n } from '../../lib/i18n.js';
import { signedPercent, tone } from './figures.js';
import { formatQuantity } from './forms.js';
import { ManualPricesDialog } from './manual-prices.js';
import { PriceChart } from './price-chart.js';
import { ASSET_CLASSES, type AssetClass, type Overview, type Position } from './types.js';

/** Kopecks for ordinary prices; up to 4 places for penny shares quoted finer. */
const priceDigits = (price: string) =>
  Math.min(4, Math.max(2, (price.split('.')[1] ?? '').replace(/0+$/, '').length));

function PriceCell({ p }: { p: Position }) {
  const { t } = useI18n();
  if (p.cashCurrency !== null) return <span class="muted">—</span>;
  if (!p.price) return <span class="muted">{t('inv.price.none')}</span>;
  const text = p.price.percentOfNominal
    ? `${formatNumber(p.price.price, 2)} %`
    : formatMoney(p.price.price, p.currency.toUpperCase(), priceDigits(p.price.price));
  return (
    <>
      <span title={p.price.time ? formatDateTime(p.price.time) : undefined}>{text}</span>
      {p.price.source === 'stale' && <span class="badge warning">{t('inv.price.stale')}</span>}
      {p.price.percentOfNominal && p.piecePrice && (
        <div class="muted small">{formatMoney(p.piecePrice, p.currency.toUpperCase())}</div>
      )}
      <PriceSource p={p} class="inv-price-source" />
    </>
  );
}

/** Who priced a position (MOEX ISS, T-Invest, by hand, the trade) and how long ago. */
function PriceSource({ p, class: extra }: { p: Position; class: string }) {
  const { t } = useI18n();
  if (!p.price) return null;
  return (
    <div class={`muted small ${extra}`} data-testid="price-source">
      {t(p.price.provider ? `inv.price.by.${p.price.provider}` : `inv.price.by.${p.price.source}`)}
      {p.price.time && ` · ${formatAge(p.price.time, p.price.provider === null)}`}
    </div>
  );
}

export function PositionsSection(props: { overview: Overview; onChanged: () => void }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<AssetClass | 'all'>('all');
  const [chartFor, setChartFor] = useState<string>();
  const [deleting, setDeleting] = useState<Position>();
  const [pricing, setPricing] = useState<Position>();
  const base = props.overview.baseCurrency;
  // The same security may be held in several portfolios: each row then says which.
  const portfolioNames =
    props.overview.portfolios.length > 1
      ? new Map(props.overview.portfolios.map((pf) => [pf.id, pf.name]))
      : undefined;
  const positions = props.overview.portfolios.flatMap((pf) => pf.positions).filter((p) => !p.closed);
  const needle = search.trim().toLowerCase();
  const shown = positions.filter(
    (p) =>
      (filter === 'all' || p.assetClass === filter) &&
      (needle === '' || p.ticker.toLowerCase().includes(needle) || p.name.toLowerCase().includes(needle)),
  );
  const groups = ASSET_CLASSES.map((c) => ({ c, items: shown.filter((p) => p.assetClass === c) })).filter(
    (g) => g.items.length > 0,
  );

  const { run } = useSubmit();
  const removePosition = (p: Position) =>
    void run({
      send: () =>
        api.del('/portfolios/{id}/positions/{positionId}', { path: { id: p.portfolioId, positionId: p.id } }),
      done: props.onChanged,
    });

  return (
    <section class="card" data-testid="positions">
      <div class="inv-head">
        <h2>{t('inv.positions')}</h2>
        <div class="inv-filters">
          <input
            class="input"
            type="search"
            aria-label={t('inv.search')}
            placeholder={t('inv.search')}
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
          <select
            class="input"
            aria-label={t('inv.class.all')}
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value as AssetClass | 'all')}
          >
            <option value="all">{t('inv.class.all')}</option>
            {ASSET_CLASSES.map((c) => (
              <option key={c} value={c}>
                {t(`inv.class.${c}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {groups.length === 0 && <p class="muted">{t('inv.noMatch')}</p>}
      {groups.map((g) => (
        <div key={g.c} class="inv-group">
          <h3>
            {t(`inv.class.${g.c}`)}{' '}
            <span class="muted num">{formatMoney(props.overview.totals.byClass[g.c], base)}</span>
          </h3>
          <div class="table-wrap" tabIndex={0}>
            <table class="table inv-positions">
              <thead>
                <tr>
                  <th>{t('inv.col.asset')}</th>
                  <th class="num">{t('inv.col.quantity')}</th>
                  <th class="num">{t('inv.col.price')}</th>
                  <th class="num">{t('inv.col.value')}</th>
                  <th class="num">{t('inv.col.pnl')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {g.items.map((p) => (
                  <Fragment key={p.id}>
                    <tr data-testid={`position-${p.ticker}`}>
                      <td>
                        <b>{p.ticker}</b>
                        <div class="muted small">{p.name}</div>
                        {/* The price column is hidden on a phone: its source still shows. */}
                        {p.cashCurrency === null && <PriceSource p={p} class="inv-phone-only" />}
                        {portfolioNames && (
                          <div class="small inv-pf-tag" data-testid="position-portfolio">
                            {portfolioNames.get(p.portfolioId)}
                          </div>
                        )}
                      </td>
                      <td class="num">
                        {/* Cash is money: always to the kopeck, as its value beside it. */}
                        {p.cashCurrency === null ? formatQuantity(p.quantity) : formatNumber(p.quantity, 2)}
                      </td>
                      <td class="num">
                        <PriceCell p={p} />
                      </td>
                      <td class="num">
                        {formatMoney(p.valueBase, base)}
                        {p.currency.toUpperCase() !== base && p.value && (
                          <div class="muted small">{formatMoney(p.value, p.currency.toUpperCase())}</div>
                        )}
                        {p.unrealizedPnl !== null && (
                          <div class={`small inv-phone-only ${tone(p.unrealizedPnl) ?? ''}`}>
                            {formatSignedMoney(p.unrealizedPnl, base)}
                          </div>
                        )}
                      </td>
                      <td class={`num ${tone(p.unrealizedPnl) ?? ''}`}>
                        {p.unrealizedPnl === null ? '—' : formatSignedMoney(p.unrealizedPnl, base)}
                        {p.unrealizedPnlPercent !== null && (
                          <div class="small">{signedPercent(p.unrealizedPnlPercent)}</div>
                        )}
                      </td>
                      <td class="inv-row-actions">
                        {p.instrumentUid && (
                          <button
                            class="btn btn-sm"
                            type="button"
                            aria-expanded={chartFor === p.id}
                            onClick={() => setChartFor(chartFor === p.id ? undefined : p.id)}
                          >
                            {chartFor === p.id ? t('inv.chart.hide') : t('inv.chart.show')}
                          </button>
                        )}
                        {p.manualAssetId && (
                          <button
                            class="btn btn-sm"
                            type="button"
                            aria-label={`${t('inv.prices.open')} ${p.ticker}`}
                            onClick={() => setPricing(p)}
                          >
                            {t('inv.prices.open')}
                          </button>
                        )}
                        {p.cashCurrency === null && (
                          <button
                            class="btn btn-sm"
                            type="button"
                            aria-label={`${t('inv.deletePosition')} ${p.ticker}`}
                            title={t('inv.deletePosition')}
                            onClick={() => setDeleting(p)}
                          >
                            ✕
                          </button>
                        )}
                      </td>
                    </tr>
                    {chartFor === p.id && (
                      <tr>
                        <td colSpan={6}>
                          <PriceChart position={p} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
      <Confirm
        text={
          deleting
            ? t('inv.confirmDeletePosition', {
                ticker: portfolioNames
                  ? `${deleting.ticker} (${portfolioNames.get(deleting.portfolioId) ?? ''})`
                  : deleting.ticker,
              })
            : null
        }
        onConfirm={() => deleting && removePosition(deleting)}
        onClose={() => setDeleting(undefined)}
      />
      {pricing && (
        <ManualPricesDialog
          position={pricing}
          onClose={() => setPricing(undefined)}
          onChanged={props.onChanged}
        />
      )}
    </section>
  );
}
