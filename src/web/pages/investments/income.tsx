import { useEffect, useState } from 'preact/hooks';
import { ChartView, PALETTE } from '../../components/chart.js';
import { ErrorState } from '../../components/empty-state.js';
import { KpiTile } from '../../components/kpi-tile.js';
import { Spinner } from '../../components/spinner.js';
import { api, type Answer } from '../../lib/api.js';
import { errorText } from '../../lib/forms.js';
import { formatMoney, formatMonth, formatPercent, toChartNumber } from '../../lib/format.js';
import { tn, useI18n } from '../../lib/i18n.js';
import { ResTable } from './res-table.js';
import './results-messages.js';
import './results.css';

type Income = Answer<'/portfolio/income', 'get'>;

/** Dividends and coupons per month and year, yield on cost and what the calendar expects. */
export function IncomeSection({ version }: { version: number }) {
  const { t } = useI18n();
  const [data, setData] = useState<Income>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    api.get('/portfolio/income').then(
      (r) => live && setData(r),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [version]);
  const money = (v: string) => formatMoney(v, data?.baseCurrency ?? 'RUB');
  const months = data?.months.slice(-24) ?? [];
  return (
    <section class="card" data-testid="income">
      <h2>{t('res.income')}</h2>
      {error && <ErrorState message={error} />}
      {!data && !error && <Spinner />}
      {data && (
        <>
          <div class="tiles">
            <KpiTile label={t('res.income.last12')} value={money(data.last12Months)} testId="income-12m" />
            <KpiTile
              label={t('res.income.yield')}
              value={data.yieldOnCost === null ? '—' : formatPercent(data.yieldOnCost)}
              hint={money(data.cost)}
              testId="income-yield"
            />
            {data.expected && (
              <KpiTile
                label={t('res.income.expected')}
                value={money(data.expected.total)}
                hint={
                  data.expected.unknown > 0
                    ? tn('res.income.expectedUnknown', data.expected.unknown)
                    : undefined
                }
                testId="income-expected"
              />
            )}
          </div>
          {data.years.length === 0 && <p class="muted">{t('res.income.none')}</p>}
          {months.length > 0 && (
            <ChartView
              type="bar"
              height={200}
              label={t('res.income.byMonth')}
              data={{
                labels: months.map((m) => formatMonth(m.period)),
                datasets: [
                  {
                    label: t('res.income.net'),
                    data: months.map((m) => toChartNumber(m.net)),
                    backgroundColor: PALETTE[1],
                    stack: 'a',
                  },
                  {
                    label: t('res.income.tax'),
                    data: months.map((m) => toChartNumber(m.tax)),
                    backgroundColor: PALETTE[3],
                    stack: 'a',
                  },
                ],
              }}
              options={{
                plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
                scales: { x: { stacked: true }, y: { stacked: true } },
              }}
            />
          )}
          {data.years.length > 0 && (
            <ResTable
              testId="income-years"
              columns={[
                [t('res.income.year')],
                [t('res.income.dividends'), 'num res-wide'],
                [t('res.income.coupons'), 'num res-wide'],
                [t('res.income.gross'), 'num'],
                [t('res.income.tax'), 'num'],
                [t('res.income.net'), 'num'],
              ]}
            >
              {[...data.years].reverse().map((y) => (
                <tr key={y.period}>
                  <td>{y.period}</td>
                  <td class="num res-wide">{money(y.dividends)}</td>
                  <td class="num res-wide">{money(y.coupons)}</td>
                  <td class="num">{money(y.gross)}</td>
                  <td class="num">{money(y.tax)}</td>
                  <td class="num">{money(y.net)}</td>
                </tr>
              ))}
            </ResTable>
          )}
        </>
      )}
    </section>
  );
}
