import { KpiTile } from '../../components/kpi-tile.js';
import { RateNote } from '../../components/rate-note.js';
import { formatDate, formatMoney, formatPercent, moneyLines } from '../../lib/format.js';
import { tn, useI18n } from '../../lib/i18n.js';
import type { MonthSummary } from './types.js';

type Totals = MonthSummary['totals'][number];

export function SummaryTiles({ summary }: { summary: MonthSummary }) {
  const { t } = useI18n();
  const base = summary.baseCurrency;
  // With other currencies and their rates known, each tile shows one total in the base currency.
  const converted = summary.base !== null && summary.base.conversions.length > 0 ? summary.base : null;
  const lines = (field: 'income' | 'expense' | 'net' | 'savingsFlow') =>
    converted !== null
      ? { main: formatMoney(converted[field], base), rest: t('budget.tile.inBase', { currency: base }) }
      : moneyLines(
          summary.totals.map((x: Totals) => ({ currency: x.currency, amount: x[field] })),
          base,
        );
  const main = summary.totals.find((x) => x.currency === base) ?? summary.totals[0];
  const income = lines('income');
  const expense = lines('expense');
  const net = lines('net');
  const savings = lines('savingsFlow');
  const balance = moneyLines(
    summary.balances.map((b) => ({ currency: b.currency, amount: b.total })),
    base,
  );
  const count = summary.totals.reduce((n, x) => n + x.transactionCount, 0);
  const tone = (amount: string | undefined) =>
    amount === undefined || !/[1-9]/.test(amount)
      ? undefined
      : amount.startsWith('-')
        ? 'negative'
        : 'positive';
  return (
    <div class="tiles budget-tiles" data-testid="budget-tiles">
      <KpiTile label={t('budget.tile.income')} value={income.main} hint={income.rest} testId="tile-income" />
      <KpiTile
        label={t('budget.tile.expense')}
        value={expense.main}
        hint={expense.rest}
        testId="tile-expense"
      />
      <KpiTile
        label={t('budget.tile.net')}
        value={net.main}
        hint={net.rest ?? tn('budget.tile.count', count)}
        tone={tone(converted?.net ?? main?.net)}
        testId="tile-net"
      />
      <KpiTile
        label={t('budget.tile.savings')}
        value={savings.main}
        hint={
          savings.rest ??
          (main?.savingsRate != null
            ? t('budget.tile.savingsRate', { rate: formatPercent(main.savingsRate, 1) })
            : t('budget.tile.savingsHint'))
        }
        testId="tile-savings"
      />
      <KpiTile
        label={t('budget.tile.balance')}
        value={balance.main}
        hint={balance.rest ?? t('budget.tile.balanceHint')}
        testId="tile-balance"
      />
    </div>
  );
}

/** Per currency: its own totals, what they came to in the base currency and the rate's day and source. */
export function Conversions({ summary }: { summary: MonthSummary }) {
  const { t } = useI18n();
  const base = summary.baseCurrency;
  if (summary.base === null || summary.base.conversions.length === 0) return null;
  const own = (currency: string) => summary.totals.find((x) => x.currency === currency);
  return (
    <details class="card budget-conversions" data-testid="conversions">
      <summary>{t('budget.conv.title')}</summary>
      <div class="table-wrap" tabIndex={0}>
        <table class="table">
          <thead>
            <tr>
              <th>{t('budget.conv.currency')}</th>
              <th class="num">{t('budget.conv.income')}</th>
              <th class="num">{t('budget.conv.expense')}</th>
              <th class="num">{t('budget.conv.inBase', { currency: base })}</th>
            </tr>
          </thead>
          <tbody>
            {own(base) && (
              <tr>
                <td>{base}</td>
                <td class="num">{formatMoney(own(base)?.income, base)}</td>
                <td class="num">{formatMoney(own(base)?.expense, base)}</td>
                <td class="num">{formatMoney(own(base)?.expense, base)}</td>
              </tr>
            )}
            {summary.base.conversions.map((c) => (
              <tr key={c.currency} data-testid={`conversion-${c.currency}`}>
                <td>
                  {c.currency}
                  <div>
                    <RateNote rate={c.rate} base={base} />
                  </div>
                </td>
                <td class="num">{formatMoney(own(c.currency)?.income, c.currency)}</td>
                <td class="num">{formatMoney(own(c.currency)?.expense, c.currency)}</td>
                <td class="num">{formatMoney(c.expense, base)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted budget-sub">{t('budget.conv.rule')}</p>
    </details>
  );
}

export function AccountBalances({ summary }: { summary: MonthSummary }) {
  const { t } = useI18n();
  return (
    <section class="card" data-testid="account-balances">
      <h2>
        {t('budget.balances')}{' '}
        <span class="muted budget-sub">
          {t('budget.balances.end', { date: formatDate(summary.period.dateTo) })}
        </span>
      </h2>
      <ul class="budget-list">
        {summary.accounts.map((a) => (
          <li key={a.id} data-testid="balance-row">
            <span class="budget-list-name">
              {a.name}
              <span class="muted budget-sub"> · {t(`budget.kind.${a.kind}`)}</span>
            </span>
            <span class={`num ${a.balance.startsWith('-') ? 'negative' : ''}`}>
              {formatMoney(a.balance, a.currency)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Limits({ summary }: { summary: MonthSummary }) {
  const { t } = useI18n();
  const base = summary.baseCurrency;
  return (
    <section class="card" data-testid="limits">
      <h2>{t('budget.limits')}</h2>
      {summary.limits.length === 0 ? (
        <p class="muted">{t('budget.limits.none')}</p>
      ) : (
        <ul class="budget-limits">
          {summary.limits.map((l) => {
            const width = Math.min(100, Math.max(0, Number(l.percent)));
            const over = l.remaining.replace(/^-/, '');
            return (
              <li key={l.categoryId} data-testid="limit-row">
                <div class="budget-limit-head">
                  <span class="budget-dot" style={{ background: l.color }} />
                  <span class="budget-list-name">{l.name}</span>
                  <span class="num">
                    {t('budget.limits.of', {
                      spent: formatMoney(l.spent, base),
                      limit: formatMoney(l.limit, base),
                    })}
                  </span>
                </div>
                <div
                  class={`progress ${l.over ? 'over' : ''}`}
                  role="progressbar"
                  aria-valuenow={width}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-label={l.name}
                >
                  <div style={{ width: `${width}%` }} />
                </div>
                <div class={`budget-sub ${l.over ? 'negative' : 'muted'}`}>
                  {formatPercent(l.percent, 1)} ·{' '}
                  {l.over
                    ? t('budget.limits.over', { amount: formatMoney(over, base) })
                    : t('budget.limits.left', { amount: formatMoney(l.remaining, base) })}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
