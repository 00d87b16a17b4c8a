import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ChartView, PALETTE } from '../../components/chart.js';
import { ErrorState } from '../../components/empty-state.js';
import { KpiTile } from '../../components/kpi-tile.js';
import { Spinner } from '../../components/spinner.js';
import { toast } from '../../components/toast.js';
import { api, type Answer } from '../../lib/api.js';
import { errorText } from '../../lib/forms.js';
import {
  formatDate,
  formatMoney,
  formatMonth,
  formatPercent,
  formatSignedMoney,
  toChartNumber,
} from '../../lib/format.js';
import { tn, useI18n } from '../../lib/i18n.js';
import './results-messages.js';
import './results.css';

type Results = Answer<'/portfolio/results', 'get'>;
type Income = Answer<'/portfolio/income', 'get'>;
type Tax = Answer<'/portfolio/tax', 'get'>;
type Figures = NonNullable<Results['returns']>;
type Range = '1M' | '3M' | '6M' | 'ytd' | '1Y' | '3Y' | '5Y' | 'all';
type IisType = 'A' | 'B' | 'III';

const RANGES: Range[] = ['1M', '3M', '6M', 'ytd', '1Y', '5Y', 'all'];

const tone = (v: string | null | undefined) =>
  v === null || v === undefined || !/[1-9]/.test(v) ? undefined : v.startsWith('-') ? 'negative' : 'positive';
const signed = (v: string | null) =>
  v === null ? '—' : `${v.startsWith('-') || !/[1-9]/.test(v) ? '' : '+'}${formatPercent(v)}`;

/** Investment results: value over time with IMOEX, returns, income and the tax estimate. */
export function ResultsSection({ version }: { version: number }) {
  const { t } = useI18n();
  const [portfolioId, setPortfolioId] = useState<string>('');
  const [range, setRange] = useState<Range>('1Y');
  const [data, setData] = useState<Results>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    setError(undefined);
    api.get('/portfolio/results', { query: { range, ...(portfolioId ? { portfolioId } : {}) } }).then(
      (r) => live && setData(r),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [portfolioId, range, version]);
  // The overview links here (/#results); the section appears only after the page's data.
  useEffect(() => {
    if (location.hash === '#results') document.getElementById('results')?.scrollIntoView();
  }, []);

  return (
    <section class="card res-section" id="results" data-testid="results">
      <div class="inv-head">
        <h2>{t('res.title')}</h2>
        {data && data.portfolios.length > 1 && (
          <select
            class="input"
            aria-label={t('res.portfolio')}
            value={portfolioId}
            onChange={(e) => setPortfolioId((e.target as HTMLSelectElement).value)}
          >
            <option value="">{t('res.all')}</option>
            {data.portfolios.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        )}
      </div>
      <div class="tabs" role="tablist">
        {RANGES.map((r) => (
          <button key={r} type="button" role="tab" aria-selected={r === range} onClick={() => setRange(r)}>
            {t(`res.range.${r}`)}
          </button>
        ))}
      </div>
      {error && <ErrorState message={error} />}
      {!data && !error && <Spinner />}
      {data && data.from === null && <p class="muted">{t('res.empty')}</p>}
      {data && data.from !== null && <ResultsBody data={data} />}
    </section>
  );
}

function xirrText(f: Figures, t: (k: string) => string) {
  return f.xirr !== null ? signed(f.xirr) : f.xirrProblem ? `— (${t(`res.xirr.${f.xirrProblem}`)})` : '—';
}

/** A results table under an optional heading: its column heads (`num` aligns a figure, `res-wide` hides on a phone) and rows. */
function ResTable(props: {
  title?: string;
  columns: [string, string?][];
  testId?: string;
  children: ComponentChildren;
}) {
  const table = (
    <div class="table-wrap">
      <table class="table res-table" data-testid={props.testId}>
        <thead>
          <tr>
            {props.columns.map(([label, cls]) => (
              <th key={label} class={cls}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
  if (props.title === undefined) return table;
  return (
    <>
      <h3>{props.title}</h3>
      {table}
    </>
  );
}

/** Value and returns per portfolio or per position (with the gain); nothing when there are no rows. */
function ReturnsTable(props: {
  of: 'portfolios' | 'positions';
  base: string;
  rows: { key: string; label: ComponentChildren; value: string; gain?: string; returns: Figures }[];
}) {
  const { t } = useI18n();
  const withGain = props.of === 'positions';
  if (props.rows.length === 0) return null;
  return (
    <ResTable
      title={t(props.of === 'portfolios' ? 'res.byPortfolio' : 'res.positions')}
      testId={`results-${props.of}`}
      columns={[
        [t(props.of === 'portfolios' ? 'res.col.portfolio' : 'res.col.asset')],
        [t('res.col.value'), 'num'],
        ...(withGain ? [[t('res.col.gain'), 'num'] as [string, string]] : []),
        [t('res.col.xirr'), 'num'],
        [t('res.col.twr'), 'num'],
      ]}
    >
      {props.rows.map((r) => (
        <tr key={r.key}>
          <td>{r.label}</td>
          <td class="num">{formatMoney(r.value, props.base)}</td>
          {r.gain !== undefined && (
            <td class={`num ${tone(r.gain) ?? ''}`}>{formatSignedMoney(r.gain, props.base)}</td>
          )}
          <td class={`num ${tone(r.returns.xirr) ?? ''}`}>{xirrText(r.returns, t)}</td>
          <td class={`num ${tone(r.returns.twr) ?? ''}`}>{signed(r.returns.twr)}</td>
        </tr>
      ))}
    </ResTable>
  );
}

function ResultsBody({ data }: { data: Results }) {
  const { t } = useI18n();
  const base = data.baseCurrency;
  const r = data.returns!;
  const totals = data.totals!;
  const money = (v: string) => formatMoney(v, base);
  return (
    <>
      <p class="muted small" data-testid="results-period">
        {t('res.period', { from: formatDate(data.from!), to: formatDate(data.to!) })} ·{' '}
        {tn('res.days', r.days)}
      </p>
      <div class="tiles" data-testid="results-tiles">
        <KpiTile
          label={t('res.tile.value')}
          value={money(totals.endValue)}
          hint={totals.missing > 0 ? tn('res.tile.missing', totals.missing) : undefined}
          testId="res-value"
        />
        <KpiTile
          label={t('res.tile.gain')}
          value={formatSignedMoney(totals.gain, base)}
          hint={t('res.tile.gainHint', { flows: money(totals.flows) })}
          tone={tone(totals.gain)}
          testId="res-gain"
        />
        <KpiTile
          label={t('res.tile.xirr')}
          value={xirrText(r, t)}
          hint={
            r.xirrCumulative !== null
              ? t('res.tile.xirrHint', { value: signed(r.xirrCumulative) })
              : undefined
          }
          tone={tone(r.xirr)}
          testId="res-xirr"
        />
        <KpiTile
          label={t('res.tile.twr')}
          value={signed(r.twr)}
          hint={
            r.twrAnnualised !== null
              ? t('res.tile.twrHint', { value: signed(r.twrAnnualised) })
              : t('res.tile.twrShort')
          }
          tone={tone(r.twr)}
          testId="res-twr"
        />
        {data.benchmark && (
          <KpiTile
            label={t('res.tile.index')}
            value={signed(data.benchmark.change)}
            hint={t('res.tile.indexHint', { value: money(data.benchmark.value) })}
            tone={tone(data.benchmark.change)}
            testId="res-index"
          />
        )}
      </div>
      <ChartView
        type="line"
        height={260}
        label={t('res.chart.label')}
        data={{
          labels: data.points.map((p) => formatDate(p.day)),
          datasets: [
            {
              label: t('res.chart.value'),
              data: data.points.map((p) => toChartNumber(p.value)),
              borderColor: PALETTE[0],
              backgroundColor: PALETTE[0],
              pointRadius: 0,
              borderWidth: 2,
              tension: 0.1,
            },
            {
              label: t('res.chart.invested'),
              data: data.points.map((p) => toChartNumber(p.netInvested)),
              borderColor: PALETTE[8],
              backgroundColor: PALETTE[8],
              pointRadius: 0,
              borderWidth: 1.5,
              borderDash: [5, 4],
              stepped: true,
            },
            ...(data.benchmark
              ? [
                  {
                    label: t('res.chart.index'),
                    data: data.points.map((p) => (p.benchmark === null ? null : toChartNumber(p.benchmark))),
                    borderColor: PALETTE[2],
                    backgroundColor: PALETTE[2],
                    pointRadius: 0,
                    borderWidth: 1.5,
                    tension: 0.1,
                  },
                ]
              : []),
          ],
        }}
        options={{
          plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
          scales: { x: { ticks: { maxTicksLimit: 6 } } },
          interaction: { mode: 'index', intersect: false },
        }}
      />
      <ReturnsTable
        of="portfolios"
        base={base}
        rows={data.byPortfolio.map((p) => ({ ...p, key: p.portfolioId, label: p.name }))}
      />
      <ReturnsTable
        of="positions"
        base={base}
        rows={data.positions.map((p) => ({
          key: `${p.portfolioId}-${p.key}`,
          label: (
            <>
              <b>{p.ticker}</b> <span class="muted small res-name">{p.name}</span>
            </>
          ),
          value: p.value,
          gain: p.gain,
          returns: p.returns,
        }))}
      />
    </>
  );
}

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

/** The НДФЛ estimate per year, with the ИИС mark of each account. */
export function TaxSection({ version }: { version: number }) {
  const { t } = useI18n();
  const [data, setData] = useState<Tax>();
  const [error, setError] = useState<string>();
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    api.get('/portfolio/tax').then(
      (r) => live && setData(r),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [version, reload]);

  const setIis = async (portfolioId: string, value: string) => {
    try {
      await api.put('/portfolios/{id}/iis', {
        path: { id: portfolioId },
        body: { iisType: value === '' ? null : (value as IisType) },
      });
      toast.success(t('res.iis.saved'));
      setReload((n) => n + 1);
    } catch (err) {
      toast.error(errorText(err));
    }
  };
  const rub = (v: string) => formatMoney(v, 'RUB');

  return (
    <section class="card" data-testid="tax">
      <h2>{t('res.tax')}</h2>
      <p class="muted small">{t('res.tax.note')}</p>
      {error && <ErrorState message={error} />}
      {!data && !error && <Spinner />}
      {data && data.years.length === 0 && <p class="muted">{t('res.tax.none')}</p>}
      {data?.issues.map((i) => (
        <div class="banner warning" key={i.operationId}>
          {t(`res.tax.issue.${i.code}`, {
            ticker: i.ticker,
            date: formatDate(i.date),
            quantity: i.quantity ?? '',
          })}
        </div>
      ))}
      {data?.years.map((y) => (
        <div class="res-year" key={y.year} data-testid={`tax-${y.year}`}>
          <h3>{t('res.tax.year', { year: y.year })}</h3>
          <div class="tiles">
            <KpiTile
              label={t('res.tax.base')}
              value={rub(y.base)}
              hint={
                y.threshold === null
                  ? t('res.tax.flat')
                  : t('res.tax.threshold', { amount: rub(y.threshold) })
              }
            />
            <KpiTile
              label={t('res.tax.amount')}
              value={formatMoney(y.tax, 'RUB', 0)}
              hint={/[1-9]/.test(y.above) ? t('res.tax.above', { amount: rub(y.above) }) : undefined}
              testId={`tax-amount-${y.year}`}
            />
          </div>
          {/[1-9]/.test(y.ldvResult) && <p class="small">{t('res.tax.ldv', { amount: rub(y.ldvResult) })}</p>}
          <ResTable
            columns={[
              [t('res.tax.account')],
              [t('res.tax.proceeds'), 'num res-wide'],
              [t('res.tax.cost'), 'num res-wide'],
              [t('res.tax.result'), 'num'],
              [t('res.tax.iis')],
            ]}
          >
            {y.accounts.map((a) => (
              <tr key={a.portfolioId}>
                <td>
                  {a.name}
                  {a.iisType !== null && <div class="muted small">{t('res.tax.iisExcluded')}</div>}
                </td>
                <td class="num res-wide">{rub(a.proceeds)}</td>
                <td class="num res-wide">{rub(a.cost)}</td>
                <td class={`num ${tone(a.result) ?? ''}`}>{formatSignedMoney(a.result, 'RUB')}</td>
                <td>
                  <select
                    class="input"
                    aria-label={t('res.tax.iis')}
                    value={a.iisType ?? ''}
                    onChange={(e) => void setIis(a.portfolioId, (e.target as HTMLSelectElement).value)}
                  >
                    <option value="">{t('res.tax.iis.none')}</option>
                    <option value="A">{t('res.tax.iis.A')}</option>
                    <option value="B">{t('res.tax.iis.B')}</option>
                    <option value="III">{t('res.tax.iis.III')}</option>
                  </select>
                </td>
              </tr>
            ))}
          </ResTable>
          {y.slices.length > 0 && (
            <details>
              <summary>{tn('res.tax.lots', y.slices.length)}</summary>
              <ResTable
                columns={[
                  [t('res.col.asset')],
                  [t('res.tax.bought'), 'res-wide'],
                  [t('res.tax.sold')],
                  [t('res.tax.qty'), 'num'],
                  [t('res.tax.result'), 'num'],
                ]}
              >
                {y.slices.slice(0, 200).map((s, i) => (
                  <tr key={i}>
                    <td>
                      {s.ticker} {s.ldv && <span class="badge">{t('res.tax.ldvMark')}</span>}
                    </td>
                    <td class="res-wide">{formatDate(s.buyDate)}</td>
                    <td>{formatDate(s.sellDate)}</td>
                    <td class="num">{s.quantity}</td>
                    <td class={`num ${tone(s.result) ?? ''}`}>{formatSignedMoney(s.result, 'RUB')}</td>
                  </tr>
                ))}
              </ResTable>
            </details>
          )}
        </div>
      ))}
    </section>
  );
}
