import { useState } from 'preact/hooks';
import { ChartView } from '../../components/chart.js';
import { formatMoney, formatMonth, toChartNumber } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import type { Charts } from './types.js';

type Slice = Charts['byGroup']['expense'][number];

/** "янв" / "Jan"; January also shows its year so the 12 months read across a new year. */
function shortMonth(month: string, locale: 'ru' | 'en'): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const name = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-US', {
    month: 'short',
    timeZone: 'UTC',
  })
    .format(new Date(Date.UTC(y, m - 1, 1)))
    .replace('.', '');
  return m === 1 ? `${name} ${String(y).slice(2)}` : name;
}

const narrow = () => window.matchMedia('(max-width: 640px)').matches;

function Doughnut(props: { title: string; slices: Slice[]; currency: string; testId: string }) {
  const { t } = useI18n();
  const name = (s: Slice) => (s.categoryId === null ? t('budget.uncategorised') : s.name);
  return (
    <section class="card" data-testid={props.testId}>
      <h2>{props.title}</h2>
      {props.slices.length === 0 ? (
        <p class="muted">{t('budget.charts.none')}</p>
      ) : (
        <ChartView
          type="doughnut"
          height={narrow() ? 300 : 240}
          label={props.title}
          data={{
            labels: props.slices.map(name),
            datasets: [
              {
                data: props.slices.map((s) => toChartNumber(s.amount)),
                backgroundColor: props.slices.map((s) => s.color),
                borderWidth: 1,
              },
            ],
          }}
          options={{
            cutout: '60%',
            plugins: {
              legend: { position: narrow() ? 'bottom' : 'right', labels: { boxWidth: 12 } },
              tooltip: {
                callbacks: {
                  label: (item) => {
                    const slice = props.slices[item.dataIndex];
                    return slice ? ` ${name(slice)}: ${formatMoney(slice.amount, props.currency)}` : '';
                  },
                },
              },
            },
          }}
        />
      )}
    </section>
  );
}

/** Value of the currency picker meaning "every currency, converted to the base one". */
const ALL = '';

/**
 * Doughnuts by category, expense by day and 12 months of income against expense: of every currency
 * in the base one (when the rates are known), or of one currency picked.
 */
export function BudgetCharts(props: {
  charts: Charts;
  /** undefined: every currency in the base one. */
  picked: string | undefined;
  onCurrency: (currency: string | undefined) => void;
}) {
  const { t, locale } = useI18n();
  const [detailed, setDetailed] = useState(false);
  const all = props.picked === undefined && props.charts.base !== null;
  const charts = all && props.charts.base !== null ? props.charts.base : props.charts;
  const currency = charts.currency;
  const slices = detailed ? charts.byCategory : charts.byGroup;
  const moneyTick = (value: string | number) => formatMoney(String(value), currency, 0);
  const anyExpense = charts.byDay.some((d) => /[1-9]/.test(d.expense));
  const anyMonth = charts.months.some((m) => /[1-9]/.test(m.income) || /[1-9]/.test(m.expense));
  // Whole-unit steps: amounts under one unit would otherwise repeat a rounded label ("1 ₽, 1 ₽, 0 ₽").
  const moneyAxis = { beginAtZero: true, ticks: { callback: moneyTick, precision: 0 } };
  return (
    <div class="stack budget-charts">
      <div class="row budget-chart-controls">
        {props.charts.currencies.length > 1 && (
          <label class="row">
            <span class="muted">{t('budget.charts.currency')}</span>
            <select
              class="input budget-narrow"
              value={all ? ALL : currency}
              data-testid="chart-currency"
              onChange={(e) =>
                props.onCurrency(e.currentTarget.value === ALL ? undefined : e.currentTarget.value)
              }
            >
              {props.charts.base !== null && (
                <option value={ALL}>
                  {t('budget.charts.allIn', { currency: props.charts.base.currency })}
                </option>
              )}
              {props.charts.currencies.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="row">
          <input type="checkbox" checked={detailed} onChange={(e) => setDetailed(e.currentTarget.checked)} />
          <span>{t('budget.charts.detail')}</span>
        </label>
      </div>
      <div class="grid-2">
        <Doughnut
          title={t('budget.charts.expenseByCategory')}
          slices={slices.expense}
          currency={currency}
          testId="chart-expense"
        />
        <Doughnut
          title={t('budget.charts.incomeByCategory')}
          slices={slices.income}
          currency={currency}
          testId="chart-income"
        />
      </div>
      <div class="grid-2">
        <section class="card" data-testid="chart-days">
          <h2>{t('budget.charts.byDay')}</h2>
          {anyExpense ? (
            <ChartView
              type="bar"
              height={220}
              label={t('budget.charts.byDay')}
              data={{
                labels: charts.byDay.map((d) => String(Number(d.date.slice(8)))),
                datasets: [
                  {
                    label: t('budget.tile.expense'),
                    data: charts.byDay.map((d) => toChartNumber(d.expense)),
                    backgroundColor: '#e5534b',
                    borderRadius: 3,
                  },
                ],
              }}
              options={{
                plugins: {
                  legend: { display: false },
                  tooltip: {
                    callbacks: {
                      label: (item) =>
                        ` ${formatMoney(charts.byDay[item.dataIndex]?.expense ?? '0', currency)}`,
                    },
                  },
                },
                scales: {
                  y: moneyAxis,
                  x: { ticks: { autoSkip: true, maxRotation: 0 } },
                },
              }}
            />
          ) : (
            <p class="muted">{t('budget.charts.none')}</p>
          )}
        </section>
        <section class="card" data-testid="chart-months">
          <h2>{t('budget.charts.months')}</h2>
          {anyMonth ? (
            <ChartView
              type="bar"
              height={220}
              label={t('budget.charts.months')}
              data={{
                labels: charts.months.map((m) => shortMonth(m.month, locale)),
                datasets: [
                  {
                    label: t('budget.tile.income'),
                    data: charts.months.map((m) => toChartNumber(m.income)),
                    backgroundColor: '#2da44e',
                    borderRadius: 3,
                  },
                  {
                    label: t('budget.tile.expense'),
                    data: charts.months.map((m) => toChartNumber(m.expense)),
                    backgroundColor: '#e5534b',
                    borderRadius: 3,
                  },
                ],
              }}
              options={{
                plugins: {
                  legend: { position: 'bottom', labels: { boxWidth: 12 } },
                  tooltip: {
                    callbacks: {
                      title: (items) => formatMonth(charts.months[items[0]?.dataIndex ?? 0]?.month ?? ''),
                      label: (item) => {
                        const m = charts.months[item.dataIndex];
                        const amount = m ? (item.datasetIndex === 0 ? m.income : m.expense) : '0';
                        return ` ${item.dataset.label ?? ''}: ${formatMoney(amount, currency)}`;
                      },
                    },
                  },
                },
                scales: { y: moneyAxis, x: { ticks: { maxRotation: 0 } } },
              }}
            />
          ) : (
            <p class="muted">{t('budget.charts.noneYear')}</p>
          )}
        </section>
      </div>
    </div>
  );
}
