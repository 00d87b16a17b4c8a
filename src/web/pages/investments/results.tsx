import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ChartView, PALETTE } from '../../components/chart.js';
import { ErrorState } from '../../components/empty-state.js';
import { KpiTile } from '../../components/kpi-tile.js';
import { Spinner } from '../../components/spinner.js';
import { api, type Answer } from '../../lib/api.js';
import { errorText } from '../../lib/forms.js';
import { formatDate, formatMoney, formatSignedMoney, toChartNumber } from '../../lib/format.js';
import { tn, useI18n } from '../../lib/i18n.js';
import { signedPercent, tone } from './figures.js';
import { ResTable } from './res-table.js';
import './results-messages.js';
import './results.css';

type Results = Answer<'/portfolio/results', 'get'>;
type Figures = NonNullable<Results['returns']>;
type Range = '1M' | '3M' | '6M' | 'ytd' | '1Y' | '3Y' | '5Y' | 'all';

const RANGES: Range[] = ['1M', '3M', '6M', 'ytd', '1Y', '5Y', 'all'];
const signed = (v: string | null) => signedPercent(v) ?? '—';

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
