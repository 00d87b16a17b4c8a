import { ChartView, PALETTE } from '../../components/chart.js';
import { formatMoney, formatPercent, toChartNumber } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import type { Overview, Slice } from './types.js';

export function AllocationCharts({ overview }: { overview: Overview }) {
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
