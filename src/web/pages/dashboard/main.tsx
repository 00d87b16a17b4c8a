import { useEffect, useMemo, useState } from 'preact/hooks';
import { ChartView, PALETTE } from '../../components/chart.js';
import { EmptyState, ErrorState } from '../../components/empty-state.js';
import { KpiTile } from '../../components/kpi-tile.js';
import { ForecastPanel, UpcomingPanel } from '../../components/outlook.js';
import { CurrencyTable } from './currencies.js';
import { InvestmentsLine } from './investments-line.js';
import { Layout } from '../../components/layout.js';
import { Spinner } from '../../components/spinner.js';
import { api, type Answer } from '../../lib/api.js';
import { formatDate, formatMoney, toChartNumber } from '../../lib/format.js';
import { errorText } from '../../lib/forms.js';
import { addMessages, useI18n } from '../../lib/i18n.js';
import { startPage } from '../../lib/page.js';

type NetWorthDto = Answer<'/networth', 'get'>;
type HistoryDto = Answer<'/networth/history', 'get'>;
type HistoryRange = HistoryDto['range'];

addMessages({
  ru: {
    'dash.title': 'Обзор',
    'dash.netWorth': 'Чистый капитал',
    'dash.assets': 'Активы',
    'dash.liabilities': 'Долги',
    'dash.accounts': 'Счета',
    'dash.portfolio': 'Портфель',
    'dash.credits': 'Кредиты',
    'dash.history': 'Динамика капитала',
    'dash.historyEmpty': 'Добавьте операции прошлых дней — здесь появится линия капитала.',
    'dash.historyMissing': 'Нет курса {currencies} на некоторые дни: в эти дни капитал не посчитан.',
    'dash.range': 'Период',
    'dash.range.1M': '1М',
    'dash.range.6M': '6М',
    'dash.range.1Y': '1Г',
    'dash.range.5Y': '5Л',
    'dash.range.ALL': 'Всё',
    'dash.composition': 'Из чего складывается',
    'dash.byCurrency': 'По валютам',
    'dash.missingRates':
      'Нет курса для {currencies}: итоги в базовой валюте не посчитаны, суммы показаны в исходных валютах.',
    'dash.empty.title': 'Начните с бюджета',
    'dash.empty.text': 'Добавьте счета, активы в портфель и кредиты — здесь появится чистый капитал.',
    'dash.goBudget': 'Открыть бюджет',
    'dash.currency': 'Валюта',
    'dash.amount': 'Сумма',
    'dash.converted': 'Активы в базовой валюте',
  },
  en: {
    'dash.title': 'Overview',
    'dash.netWorth': 'Net worth',
    'dash.assets': 'Assets',
    'dash.liabilities': 'Debts',
    'dash.accounts': 'Accounts',
    'dash.portfolio': 'Portfolio',
    'dash.credits': 'Credits',
    'dash.history': 'Net worth over time',
    'dash.historyEmpty': 'Enter transactions of earlier days and the net-worth line appears here.',
    'dash.historyMissing': 'No {currencies} rate on some days: net worth is not computed for them.',
    'dash.range': 'Period',
    'dash.range.1M': '1M',
    'dash.range.6M': '6M',
    'dash.range.1Y': '1Y',
    'dash.range.5Y': '5Y',
    'dash.range.ALL': 'All',
    'dash.composition': 'What it is made of',
    'dash.byCurrency': 'By currency',
    'dash.missingRates':
      'No rate for {currencies}: base-currency totals are not computed; amounts are shown in their own currencies.',
    'dash.empty.title': 'Start with the budget',
    'dash.empty.text': 'Add accounts, portfolio assets and credits, and your net worth appears here.',
    'dash.goBudget': 'Open the budget',
    'dash.currency': 'Currency',
    'dash.amount': 'Amount',
    'dash.converted': 'Assets in base currency',
  },
});

const RANGES: HistoryRange[] = ['1M', '6M', '1Y', '5Y', 'ALL'];

function History({ version }: { version: string }) {
  const { t } = useI18n();
  const [range, setRange] = useState<HistoryRange>('1Y');
  const [data, setData] = useState<HistoryDto>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    api.get('/networth/history', { query: { range } }).then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(undefined);
      },
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [range, version]);
  const chart = useMemo(
    () =>
      data && {
        labels: data.points.map((h) => formatDate(h.day)),
        datasets: [
          {
            label: t('dash.netWorth'),
            data: data.points.map((h) => (h.netWorth === null ? null : toChartNumber(h.netWorth))),
            borderColor: PALETTE[0],
            backgroundColor: `${PALETTE[0]}22`,
            fill: true,
            tension: 0.25,
            pointRadius: data.points.length > 40 ? 0 : 3,
          },
        ],
      },
    [data, t],
  );
  return (
    <>
      <div class="segmented" role="group" aria-label={t('dash.range')} data-testid="history-ranges">
        {RANGES.map((r) => (
          <button
            key={r}
            type="button"
            class={range === r ? 'active' : ''}
            aria-pressed={range === r}
            onClick={() => setRange(r)}
          >
            {t(`dash.range.${r}`)}
          </button>
        ))}
      </div>
      {error && <p class="field-error">{error}</p>}
      {!data && !error && <Spinner />}
      {data && data.missingRates.length > 0 && (
        <p class="muted" data-testid="history-missing">
          {t('dash.historyMissing', { currencies: data.missingRates.join(', ') })}
        </p>
      )}
      {data && chart && data.points.length < 2 && <p class="muted">{t('dash.historyEmpty')}</p>}
      {data && chart && data.points.length >= 2 && (
        <div data-testid="history-chart" data-points={data.points.length} data-from={data.from}>
          <ChartView
            type="line"
            data={chart}
            options={{ plugins: { legend: { display: false } } }}
            label={t('dash.history')}
          />
        </div>
      )}
    </>
  );
}

function Composition({ data }: { data: NetWorthDto }) {
  const { t } = useI18n();
  const parts = [
    { label: t('dash.accounts'), value: data.accounts.total },
    { label: t('dash.portfolio'), value: data.portfolio.total },
    { label: t('dash.credits'), value: data.credits.total === null ? null : `-${data.credits.total}` },
  ];
  const chart = useMemo(
    () => ({
      labels: parts.map((p) => p.label),
      datasets: [
        {
          data: parts.map((p) => (p.value === null ? 0 : toChartNumber(p.value))),
          backgroundColor: [PALETTE[0], PALETTE[1], PALETTE[3]],
        },
      ],
    }),
    [data, t],
  );
  return (
    <ChartView
      type="bar"
      data={chart}
      height={220}
      options={{ plugins: { legend: { display: false } }, indexAxis: 'y' }}
      label={t('dash.composition')}
    />
  );
}

function DashboardPage() {
  const { t } = useI18n();
  const [data, setData] = useState<NetWorthDto>();
  const [error, setError] = useState<string>();
  const load = () =>
    api.get('/networth').then(
      (d) => {
        setData(d);
        setError(undefined);
      },
      (err: unknown) => setError(errorText(err)),
    );
  useEffect(() => void load(), []);

  const base = data?.baseCurrency ?? 'RUB';
  const empty =
    data !== undefined &&
    data.accounts.byCurrency.length === 0 &&
    data.credits.byCurrency.length === 0 &&
    data.portfolio.total === '0.00';

  return (
    <Layout page="dashboard" title={t('dash.title')}>
      {error && <ErrorState message={error} onRetry={() => void load()} />}
      {!data && !error && <Spinner />}
      {data && (
        <>
          {data.missingRates.length > 0 && (
            <div class="banner warning" role="status">
              {t('dash.missingRates', { currencies: data.missingRates.join(', ') })}
            </div>
          )}
          <div class="tiles">
            <KpiTile
              testId="tile-networth"
              label={t('dash.netWorth')}
              value={formatMoney(data.netWorth, base)}
              tone={data.netWorth?.startsWith('-') ? 'negative' : undefined}
            />
            <KpiTile testId="tile-assets" label={t('dash.assets')} value={formatMoney(data.assets, base)} />
            <KpiTile
              testId="tile-liabilities"
              label={t('dash.liabilities')}
              value={formatMoney(data.liabilities, base)}
            />
            <KpiTile
              testId="tile-portfolio"
              label={t('dash.portfolio')}
              value={formatMoney(data.portfolio.total, base)}
            />
          </div>
          <InvestmentsLine />
          {empty ? (
            <div class="card">
              <EmptyState
                title={t('dash.empty.title')}
                text={t('dash.empty.text')}
                action={
                  <a class="btn btn-primary" href="/budget.html">
                    {t('dash.goBudget')}
                  </a>
                }
              />
            </div>
          ) : (
            <div class="grid-2">
              <div class="card">
                <h2>{t('dash.history')}</h2>
                <History version={data.day} />
              </div>
              <div class="card">
                <h2>{t('dash.composition')}</h2>
                <Composition data={data} />
              </div>
              <div class="card">
                <h2>{t('dash.byCurrency')}</h2>
                <CurrencyTable data={data} />
              </div>
              <UpcomingPanel />
              <ForecastPanel />
            </div>
          )}
        </>
      )}
    </Layout>
  );
}

startPage(<DashboardPage />);
