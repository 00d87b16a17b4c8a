import { Fragment } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ChartView, PALETTE } from '../../components/chart.js';
import { Confirm } from '../../components/confirm.js';
import { EmptyState, ErrorState } from '../../components/empty-state.js';
import { KpiTile } from '../../components/kpi-tile.js';
import { Layout, useCurrentUser } from '../../components/layout.js';
import { Spinner } from '../../components/spinner.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import {
  formatAge,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  formatSignedMoney,
  toChartNumber,
} from '../../lib/format.js';
import { tn, useI18n } from '../../lib/i18n.js';
import { startPage } from '../../lib/page.js';
import { useShortcut } from '../../lib/shortcuts.js';
import { AddAssetDialog, OperationDialog } from './add-asset.js';
import { ImportActivitiesDialog } from './import-activities.js';
import { errorText } from '../../lib/forms.js';
import { formatQuantity } from './forms.js';
import { ManualPricesDialog } from './manual-prices.js';
import './investments.css';
import './messages.js';
import { NewOperationDialog } from './operation-form.js';
import { PortfoliosSection } from './portfolios.js';
import { PriceChart } from './price-chart.js';
import { IncomeSection, ResultsSection, TaxSection } from './results.js';
import { TinvestPanel } from './tinvest.js';
import {
  ASSET_CLASSES,
  type AssetClass,
  type CalendarEvent,
  type MarketStatus,
  type Operation,
  type Overview,
  type Position,
  type Slice,
  type Totals,
} from './types.js';

const tone = (amount: string | null | undefined) =>
  amount === null || amount === undefined || !/[1-9]/.test(amount)
    ? undefined
    : amount.startsWith('-')
      ? 'negative'
      : 'positive';

const signedPercent = (value: string | null) =>
  value === null
    ? undefined
    : `${value.startsWith('-') || !/[1-9]/.test(value) ? '' : '+'}${formatPercent(value)}`;

function SummaryTiles({ totals, base }: { totals: Totals; base: string }) {
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
const reasonKey = (code: string) => (REASONS.has(code) ? `inv.market.reason.${code}` : undefined);

/** Says plainly when prices are not live: no source configured, or the last fetch failed. */
function MarketBanner({ overview, status: m }: { overview: Overview; status: MarketStatus }) {
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

function AllocationCharts({ overview }: { overview: Overview }) {
  const { t } = useI18n();
  const { byClass, byTicker, byCurrency } = overview.allocation;
  const bars = (slices: Slice[], label: string) => (
    <ChartView
      type="bar"
      height={Math.max(160, slices.length * 28)}
      label={label}
      data={{
        labels: slices.map((s) => s.label),
        datasets: [
          {
            label,
            data: slices.map((s) => toChartNumber(s.value)),
            backgroundColor: slices.map((_, i) => PALETTE[i % PALETTE.length]!),
          },
        ],
      }}
      options={{
        indexAxis: 'y',
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (ctx) => {
                const s = slices[ctx.dataIndex]!;
                return `${formatMoney(s.value, overview.baseCurrency)} · ${formatPercent(s.percent)}`;
              },
            },
          },
        },
      }}
    />
  );
  const classes = byClass.filter((s) => /[1-9]/.test(s.value));
  return (
    <div class="grid grid-2">
      <section class="card">
        <h2>{t('inv.chart.byClass')}</h2>
        <ChartView
          type="doughnut"
          height={240}
          label={t('inv.chart.byClass')}
          data={{
            labels: classes.map((s) => `${t(`inv.class.${s.key}`)} · ${formatPercent(s.percent)}`),
            datasets: [
              {
                data: classes.map((s) => toChartNumber(s.value)),
                backgroundColor: classes.map((_, i) => PALETTE[i % PALETTE.length]!),
              },
            ],
          }}
          options={{ plugins: { legend: { position: 'bottom' } } }}
        />
      </section>
      <section class="card">
        <h2>{t('inv.chart.byTicker')}</h2>
        {bars(byTicker.slice(0, 12), t('inv.chart.byTicker'))}
        {byCurrency.length > 1 && (
          <>
            <h3>{t('inv.chart.byCurrency')}</h3>
            {bars(byCurrency, t('inv.chart.byCurrency'))}
          </>
        )}
      </section>
    </div>
  );
}

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

function PositionsSection(props: { overview: Overview; onChanged: () => void }) {
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

  const removePosition = async (p: Position) => {
    try {
      await api.del('/portfolios/{id}/positions/{positionId}', {
        path: { id: p.portfolioId, positionId: p.id },
      });
      props.onChanged();
    } catch (err) {
      toast.error(errorText(err));
    }
  };

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
        onConfirm={() => deleting && void removePosition(deleting)}
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

function OperationsSection(props: { overview: Overview; onChanged: () => void }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Operation[]>();
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<Operation>();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Operation>();
  const portfolios = props.overview.portfolios;
  const names = new Map(portfolios.map((p) => [p.id, p.name]));

  // Reloaded with each new overview: its list of portfolios is the one to read (one may be gone).
  useEffect(() => {
    let live = true;
    setError(undefined);
    Promise.all(
      portfolios.map((p) =>
        api.get('/portfolios/{id}/operations', { path: { id: p.id }, query: { limit: 200 } }),
      ),
    ).then(
      (pages) => {
        if (!live) return;
        const all = pages.flatMap((p) => p.items);
        all.sort((a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt));
        setItems(all);
      },
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [props.overview]);

  const remove = async (op: Operation) => {
    try {
      await api.del('/operations/{id}', { path: { id: op.id } });
      toast.success(t('inv.op.deleted'));
      props.onChanged();
    } catch (err) {
      toast.error(errorText(err));
    }
  };

  return (
    <section class="card" data-testid="operations">
      <div class="inv-head">
        <h2>{t('inv.operations')}</h2>
        {portfolios.length > 0 && (
          <button class="btn btn-sm" type="button" onClick={() => setAdding(true)}>
            {t('inv.op.new')}
          </button>
        )}
      </div>
      {error && <ErrorState message={error} />}
      {!items && !error && <Spinner />}
      {items && items.length === 0 && <p class="muted">{t('inv.operations.empty')}</p>}
      {items && items.length > 0 && (
        <div class="table-wrap inv-scroll">
          <table class="table">
            <thead>
              <tr>
                <th>{t('inv.col.date')}</th>
                <th>{t('inv.col.type')}</th>
                <th>{t('inv.col.asset')}</th>
                <th class="num">{t('inv.col.quantity')}</th>
                <th class="num">{t('inv.col.amount')}</th>
                {portfolios.length > 1 && <th>{t('inv.col.portfolio')}</th>}
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((op) => (
                <tr key={op.id}>
                  <td>{formatDate(op.date)}</td>
                  <td>{t(`inv.op.${op.type}`)}</td>
                  <td>{op.ticker ?? '—'}</td>
                  <td class="num">
                    {op.type === 'buy' || op.type === 'sell' ? formatQuantity(op.quantity) : ''}
                  </td>
                  <td class="num">{formatMoney(op.amount, op.currency.toUpperCase())}</td>
                  {portfolios.length > 1 && <td class="muted">{names.get(op.portfolioId)}</td>}
                  <td class="inv-row-actions">
                    <button
                      class="btn btn-sm"
                      type="button"
                      aria-label={t('action.edit')}
                      title={t('action.edit')}
                      onClick={() => setEditing(op)}
                    >
                      ✎
                    </button>
                    <button
                      class="btn btn-sm"
                      type="button"
                      aria-label={t('action.delete')}
                      title={t('action.delete')}
                      onClick={() => setDeleting(op)}
                    >
                      ✕
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <OperationDialog
          operation={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            props.onChanged();
          }}
        />
      )}
      {adding && (
        <NewOperationDialog
          portfolios={portfolios}
          baseCurrency={props.overview.baseCurrency}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            props.onChanged();
          }}
        />
      )}
      <Confirm
        text={
          deleting
            ? t('inv.op.confirmDelete', {
                date: formatDate(deleting.date),
                what: [
                  t(`inv.op.${deleting.type}`),
                  deleting.ticker,
                  formatMoney(deleting.amount, deleting.currency.toUpperCase()),
                ]
                  .filter(Boolean)
                  .join(' '),
              })
            : null
        }
        onConfirm={() => deleting && void remove(deleting)}
        onClose={() => setDeleting(undefined)}
      />
    </section>
  );
}

function CalendarSection({ version }: { version: number }) {
  const { t } = useI18n();
  const [events, setEvents] = useState<CalendarEvent[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    api.get('/portfolio/calendar').then(
      (r) => live && setEvents(r.events),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [version]);

  return (
    <section class="card" data-testid="calendar">
      <h2>{t('inv.calendar')}</h2>
      {error && <ErrorState message={error} />}
      {!events && !error && <Spinner />}
      {events && events.length === 0 && <p class="muted">{t('inv.calendar.empty')}</p>}
      {events && events.length > 0 && (
        <ul class="inv-calendar">
          {events.map((e) => (
            <li key={`${e.instrumentUid}-${e.type}-${e.date}`}>
              <span class="inv-cal-date">{formatDate(e.date)}</span>
              <span>
                <span class="badge">{t(`inv.calendar.${e.type}`)}</span> <b>{e.ticker}</b>{' '}
                <span class="muted small">{e.name}</span>
              </span>
              <span class="num">
                {e.expectedAmount === null
                  ? t('inv.calendar.notAnnounced')
                  : formatMoney(e.expectedAmount, e.currency.toUpperCase())}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function App() {
  const { t } = useI18n();
  const user = useCurrentUser();
  const [overview, setOverview] = useState<Overview>();
  const [error, setError] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [refreshing, setRefreshing] = useState(false);
  const [refreshStatus, setRefreshStatus] = useState<MarketStatus>();
  const [version, setVersion] = useState(0);

  const load = useCallback(() => {
    setError(undefined);
    api.get('/portfolio').then(setOverview, (err: unknown) => setError(errorText(err)));
  }, []);
  useEffect(load, [version]);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  useShortcut('n', () => setAdding(true));

  const refresh = async () => {
    setRefreshing(true);
    try {
      const r = await api.post('/portfolio/quotes/refresh');
      // A failed refresh keeps the cached prices; the banner says so until a refresh succeeds.
      setRefreshStatus(r.marketData.stale || !r.marketData.configured ? r.marketData : undefined);
      // No source: nothing was refreshed, and that is said, not reported as a success.
      if (!r.marketData.configured) toast.info(t('inv.refresh.noSource'));
      else if (r.marketData.stale) {
        const reason = r.marketData.error ? reasonKey(r.marketData.error.code) : undefined;
        toast.error(`${t('inv.market.stale')}${reason ? ` ${t(reason)}` : ''}`);
      } else toast.success(tn('inv.refreshed', r.refreshed));
      changed();
    } catch (err) {
      toast.error(errorText(err));
    } finally {
      setRefreshing(false);
    }
  };

  const open = useMemo(
    () => overview?.portfolios.some((p) => p.positions.some((pos) => !pos.closed)) ?? false,
    [overview],
  );

  return (
    <Layout
      page="investments"
      title={t('nav.investments')}
      actions={
        <>
          {open && (
            <button class="btn btn-sm" type="button" onClick={() => void refresh()} disabled={refreshing}>
              {t('inv.refresh')}
            </button>
          )}
          {overview && overview.portfolios.length > 0 && (
            <button
              class="btn btn-sm"
              type="button"
              onClick={() => setImporting(true)}
              data-testid="activity-import-open"
            >
              {t('act.open')}
            </button>
          )}
          <button class="btn btn-primary btn-sm" type="button" onClick={() => setAdding(true)}>
            {t('inv.add')}
          </button>
        </>
      }
    >
      {error && <ErrorState message={error} onRetry={load} />}
      {!overview && !error && <Spinner />}
      {overview && (
        <div class="inv-page">
          <MarketBanner overview={overview} status={refreshStatus ?? overview.marketData} />
          <SummaryTiles totals={overview.totals} base={overview.baseCurrency} />
          {open ? (
            <>
              <AllocationCharts overview={overview} />
              <PositionsSection overview={overview} onChanged={changed} />
            </>
          ) : (
            <div class="card">
              <EmptyState
                title={t('inv.empty.title')}
                text={t('inv.empty.text')}
                action={
                  <button class="btn btn-primary" type="button" onClick={() => setAdding(true)}>
                    {t('inv.add')}
                  </button>
                }
              />
            </div>
          )}
          <ResultsSection version={version} />
          <PortfoliosSection overview={overview} onChanged={changed} />
          <div class="grid grid-2">
            <CalendarSection version={version} />
            {user && <TinvestPanel hasToken={user.hasTinvestToken} onChanged={changed} />}
          </div>
          <OperationsSection overview={overview} onChanged={changed} />
          <IncomeSection version={version} />
          <TaxSection version={version} />
        </div>
      )}
      {adding && overview && (
        <AddAssetDialog
          portfolios={overview.portfolios}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            changed();
          }}
        />
      )}
      {importing && overview && (
        <ImportActivitiesDialog
          portfolios={overview.portfolios}
          onClose={() => setImporting(false)}
          onChanged={changed}
        />
      )}
    </Layout>
  );
}

startPage(<App />);
