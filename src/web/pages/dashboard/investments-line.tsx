import { useEffect, useState } from 'preact/hooks';
import { api, type Answer } from '../../lib/api.js';
import { formatMoney, formatPercent } from '../../lib/format.js';
import { addMessages, useI18n } from '../../lib/i18n.js';
import './investments-line.css';

addMessages({
  ru: {
    'invline.title': 'Инвестиции',
    'invline.ytd': 'С начала года',
    'invline.all': 'За всё время',
    'invline.twrHint': 'Доходность, взвешенная по времени (TWR)',
    'invline.xirr': 'XIRR, годовых',
    'invline.income': 'Доход за 12 мес.',
    'invline.incomeHint': 'Дивиденды и купоны до вычета налога',
    'invline.more': 'Результаты',
  },
  en: {
    'invline.title': 'Investments',
    'invline.ytd': 'This year',
    'invline.all': 'All time',
    'invline.twrHint': 'Time-weighted return (TWR)',
    'invline.xirr': 'XIRR, per year',
    'invline.income': 'Income, 12 months',
    'invline.incomeHint': 'Dividends and coupons before tax',
    'invline.more': 'Results',
  },
});

type Results = Answer<'/portfolio/results', 'get'>;
type Income = Answer<'/portfolio/income', 'get'>;

const tone = (v: string | null) =>
  v === null || !/[1-9]/.test(v) ? '' : v.startsWith('-') ? 'negative' : 'positive';
const signed = (v: string | null) =>
  v === null ? '—' : `${v.startsWith('-') || !/[1-9]/.test(v) ? '' : '+'}${formatPercent(v)}`;

/** One line of the investments' result on the overview, linking to the results section. */
export function InvestmentsLine() {
  const { t } = useI18n();
  const [data, setData] = useState<{ ytd: Results; all: Results; income: Income }>();

  useEffect(() => {
    const results = (range: 'ytd' | 'all') =>
      api.get('/portfolio/results', { query: { range, detail: false } });
    // The line is a summary: without it the overview is still whole, so a failure hides it.
    Promise.all([results('ytd'), results('all'), api.get('/portfolio/income')]).then(
      ([ytd, all, income]) => setData({ ytd, all, income }),
      () => setData(undefined),
    );
  }, []);

  if (data === undefined || data.all.returns === null) return null;
  const figure = (testId: string, label: string, value: string | null, hint?: string) => (
    <span class="invline-item" data-testid={testId} title={hint}>
      <span class="muted">{label}</span> <b class={tone(value)}>{signed(value)}</b>
    </span>
  );
  return (
    <div class="card invline" data-testid="investments-line">
      <strong>{t('invline.title')}</strong>
      {figure('invline-ytd', t('invline.ytd'), data.ytd.returns?.twr ?? null, t('invline.twrHint'))}
      {figure('invline-all', t('invline.all'), data.all.returns.twr, t('invline.twrHint'))}
      {figure('invline-xirr', t('invline.xirr'), data.all.returns.xirr)}
      <span class="invline-item" data-testid="invline-income" title={t('invline.incomeHint')}>
        <span class="muted">{t('invline.income')}</span>{' '}
        <b>{formatMoney(data.income.last12Months, data.income.baseCurrency)}</b>
      </span>
      <a class="invline-more" href="/#results">
        {t('invline.more')} →
      </a>
    </div>
  );
}
