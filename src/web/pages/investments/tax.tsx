import { useEffect, useState } from 'preact/hooks';
import { ErrorState } from '../../components/empty-state.js';
import { KpiTile } from '../../components/kpi-tile.js';
import { Spinner } from '../../components/spinner.js';
import { api, type Answer } from '../../lib/api.js';
import { errorText, useSubmit } from '../../lib/forms.js';
import { formatDate, formatMoney, formatSignedMoney } from '../../lib/format.js';
import { tn, useI18n } from '../../lib/i18n.js';
import { tone } from './figures.js';
import { ResTable } from './res-table.js';
import './results-messages.js';
import './results.css';

type Tax = Answer<'/portfolio/tax', 'get'>;
type IisType = 'A' | 'B' | 'III';

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

  const { run } = useSubmit();
  const setIis = (portfolioId: string, value: string) =>
    void run({
      send: () =>
        api.put('/portfolios/{id}/iis', {
          path: { id: portfolioId },
          body: { iisType: value === '' ? null : (value as IisType) },
        }),
      success: t('res.iis.saved'),
      done: () => setReload((n) => n + 1),
    });
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
                    onChange={(e) => setIis(a.portfolioId, (e.target as HTMLSelectElement).value)}
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
