import { useEffect, useState } from 'preact/hooks';
import { ChartView, PALETTE } from '../../components/chart.js';
import { Spinner } from '../../components/spinner.js';
import { api } from '../../lib/api.js';
import {
  currencySymbol,
  formatDateTime,
  formatDate,
  formatMoney,
  formatNumber,
  toChartNumber,
} from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { errorText } from '../../lib/forms.js';
import type { CandlesResponse, Position } from './types.js';

const RANGES = ['day', 'week', 'month', 'year'] as const;
type Range = (typeof RANGES)[number];

/** Closes of the position's candles over a day, week, month or year. */
export function PriceChart({ position }: { position: Position }) {
  const { t } = useI18n();
  const [range, setRange] = useState<Range>('month');
  const [data, setData] = useState<CandlesResponse>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!position.instrumentUid) return;
    let live = true;
    setData(undefined);
    setError(undefined);
    api.get('/market/candles', { query: { instrumentId: position.instrumentUid, range } }).then(
      (r) => live && setData(r),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [position.instrumentUid, range]);

  const label = (iso: string) => (range === 'day' ? formatDateTime(iso) : formatDate(iso.slice(0, 10)));
  const currency = position.currency.toUpperCase();
  const percent = data?.percentOfNominal === true;
  // A bond is quoted in per cent of its face value; anything else in its own currency.
  const unit = percent
    ? t('inv.chart.unitPercent')
    : t('inv.chart.unit', { currency: currencySymbol(currency) });
  const price = (value: string | number, digits?: number) =>
    percent ? `${formatNumber(String(value), digits ?? 2)} %` : formatMoney(String(value), currency, digits);
  return (
    <div class="inv-chart" data-testid="price-chart">
      <div class="tabs" role="tablist">
        {RANGES.map((r) => (
          <button key={r} type="button" role="tab" aria-selected={r === range} onClick={() => setRange(r)}>
            {t(`inv.range.${r}`)}
          </button>
        ))}
      </div>
      {error && <div class="banner error">{error}</div>}
      {!data && !error && <Spinner />}
      {data && data.candles.length === 0 && <p class="muted">{t('inv.chart.empty')}</p>}
      {data && data.candles.length > 0 && (
        <p class="muted small inv-chart-unit" data-testid="price-chart-unit">
          {unit}
        </p>
      )}
      {data && data.candles.length > 0 && (
        <ChartView
          type="line"
          height={220}
          label={`${t('inv.chart.title', { ticker: position.ticker })}, ${unit}`}
          data={{
            labels: data.candles.map((c) => label(c.time)),
            datasets: [
              {
                label: `${position.ticker}, ${percent ? '%' : currency}`,
                data: data.candles.map((c) => toChartNumber(c.close)),
                borderColor: PALETTE[0],
                backgroundColor: PALETTE[0],
                pointRadius: 0,
                borderWidth: 2,
                tension: 0.2,
              },
            ],
          }}
          options={{
            plugins: {
              legend: { display: false },
              tooltip: {
                callbacks: {
                  label: (item) => ` ${price(data.candles[item.dataIndex]?.close ?? '0')}`,
                },
              },
            },
            scales: {
              x: { ticks: { maxTicksLimit: 6 } },
              y: { ticks: { callback: (value) => price(value) } },
            },
          }}
        />
      )}
    </div>
  );
}
