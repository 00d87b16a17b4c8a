import { dec } from '../../../common/decimal.js';
import { RateNote } from '../../components/rate-note.js';
import type { Answer } from '../../lib/api.js';
import { formatMoney } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';

type NetWorthDto = Answer<'/networth', 'get'>;
type Line = NetWorthDto['accounts']['byCurrency'][number];

/** The assets in the base currency: accounts + portfolios; unknown while either lacks a rate. */
function assetsConverted(lines: (Line | undefined)[]): string | null | undefined {
  const held = lines.filter((l) => l !== undefined);
  if (held.length === 0) return undefined;
  if (held.some((l) => l.converted === null)) return null;
  return held.reduce((sum, l) => sum.plus(l.converted!), dec(0)).toFixed(2);
}

/** Accounts, portfolios and credits per currency; on a phone each currency is a block of labelled amounts. */
export function CurrencyTable({ data }: { data: NetWorthDto }) {
  const { t } = useI18n();
  const base = data.baseCurrency;
  const parts = [data.accounts.byCurrency, data.portfolio.byCurrency, data.credits.byCurrency];
  const currencies = [...new Set(parts.flatMap((lines) => lines.map((l) => l.currency)))];
  return (
    <div class="table-wrap" tabIndex={0} data-testid="by-currency">
      <table class="table table-cards">
        <thead>
          <tr>
            <th>{t('dash.currency')}</th>
            <th class="num">{t('dash.accounts')}</th>
            <th class="num">{t('dash.portfolio')}</th>
            <th class="num">{t('dash.credits')}</th>
            <th class="num">{t('dash.converted')}</th>
          </tr>
        </thead>
        <tbody>
          {currencies.map((c) => {
            const [account, holding, credit] = parts.map((lines) => lines.find((l) => l.currency === c));
            const line = account ?? holding ?? credit;
            const converted = assetsConverted([account, holding]);
            return (
              <tr key={c} data-testid={`currency-${c}`}>
                <td>
                  {c}
                  {c !== base && (
                    <div>
                      <RateNote rate={line?.rate ?? null} base={base} />
                    </div>
                  )}
                </td>
                <td class="num" data-label={t('dash.accounts')}>
                  {formatMoney(account?.amount ?? '0', c)}
                </td>
                <td class="num" data-label={t('dash.portfolio')} data-testid="currency-portfolio">
                  {formatMoney(holding?.amount ?? '0', c)}
                </td>
                <td class="num" data-label={t('dash.credits')}>
                  {formatMoney(credit?.amount ?? '0', c)}
                </td>
                <td class="num" data-label={t('dash.converted')} data-testid="currency-converted">
                  {converted === undefined ? '' : formatMoney(converted, base)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
