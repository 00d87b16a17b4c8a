import { useEffect, useState } from 'preact/hooks';
import { ChartView } from './chart.js';
import { RateNote } from './rate-note.js';
import { api } from '../lib/api.js';
import { formatDate, formatMoney, toChartNumber } from '../lib/format.js';
import { errorText, useSubmit } from '../lib/forms.js';
import { addMessages, tn, useI18n } from '../lib/i18n.js';
import type { ForecastDto, UpcomingDto } from '../../server/modules/schedules/schedules.schemas.js';
import './outlook.css';

addMessages({
  ru: {
    'outlook.upcoming': 'Ближайшие платежи и поступления',
    'outlook.days': '{n} дней',
    'outlook.list': 'Список',
    'outlook.calendar': 'Календарь',
    'outlook.none': 'В эти дни ничего не ожидается',
    'outlook.overdue.one': '{n} просрочен',
    'outlook.overdue.few': '{n} просрочено',
    'outlook.overdue.many': '{n} просрочено',
    'outlook.overdue.other': '{n} просрочено',
    'outlook.overdueMark': 'просрочен',
    'outlook.confirm': 'Подтвердить',
    'outlook.skip': 'Пропустить',
    'outlook.confirmed': 'Операция проведена',
    'outlook.skipped': 'Пропущено',
    'outlook.kind.schedule': 'план',
    'outlook.kind.obligation': 'обязательный платёж',
    'outlook.kind.credit': 'кредит',
    'outlook.kind.coupon': 'купон',
    'outlook.kind.dividend': 'дивиденд',
    'outlook.kind.maturity': 'погашение',
    'outlook.kind.amortization': 'амортизация',
    'outlook.noInvestments': 'Купоны и дивиденды не показаны: нет доступа к рыночным данным.',
    'outlook.forecast': 'Прогноз остатков на 12 месяцев',
    'outlook.total': 'Всего, {currency}',
    'outlook.lowest': 'Минимум {amount} — {date}',
    'outlook.free': 'Свободно до следующего дохода ({date}): {amount}',
    'outlook.freeNoIncome': 'Свободно (доходов не ожидается): {amount}',
    'outlook.leftOut': 'Не учтены счета и платежи в {currencies}: курсов нет.',
    'outlook.rates': 'В итоге по сегодняшнему курсу:',
  },
  en: {
    'outlook.upcoming': 'Upcoming payments and income',
    'outlook.days': '{n} days',
    'outlook.list': 'List',
    'outlook.calendar': 'Calendar',
    'outlook.none': 'Nothing expected in these days',
    'outlook.overdue.one': '{n} overdue',
    'outlook.overdue.other': '{n} overdue',
    'outlook.overdueMark': 'overdue',
    'outlook.confirm': 'Confirm',
    'outlook.skip': 'Skip',
    'outlook.confirmed': 'Transaction posted',
    'outlook.skipped': 'Skipped',
    'outlook.kind.schedule': 'scheduled',
    'outlook.kind.obligation': 'mandatory payment',
    'outlook.kind.credit': 'loan',
    'outlook.kind.coupon': 'coupon',
    'outlook.kind.dividend': 'dividend',
    'outlook.kind.maturity': 'redemption',
    'outlook.kind.amortization': 'amortisation',
    'outlook.noInvestments': 'Coupons and dividends are not shown: no market data access.',
    'outlook.forecast': 'Balance forecast, 12 months',
    'outlook.total': 'Total, {currency}',
    'outlook.lowest': 'Lowest {amount} on {date}',
    'outlook.free': 'Free until the next income ({date}): {amount}',
    'outlook.freeNoIncome': 'Free (no income expected): {amount}',
    'outlook.leftOut': 'Accounts and payments in {currencies} are left out: no rates.',
    'outlook.rates': "In the total at today's rate:",
  },
});

type Item = UpcomingDto['items'][number];

function signed(item: Item): string {
  if (item.amount === null) return '—';
  const text = formatMoney(item.amount, item.currency);
  return item.direction === 'in' ? `+${text}` : item.direction === 'out' ? `−${text}` : text;
}

/** Days of the month of `from` and the next, Monday first, with the items of each day. */
function CalendarView(props: { items: Item[]; today: string; to: string }) {
  const { locale } = useI18n();
  const byDay = new Map<string, Item[]>();
  for (const i of props.items) byDay.set(i.date, [...(byDay.get(i.date) ?? []), i]);
  const start = new Date(`${props.today.slice(0, 8)}01T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const cells: string[] = [];
  for (
    let d = new Date(start);
    d.toISOString().slice(0, 10) <= props.to || cells.length % 7 !== 0;
    d.setUTCDate(d.getUTCDate() + 1)
  )
    cells.push(d.toISOString().slice(0, 10));
  const weekday = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-US', {
    weekday: 'short',
    timeZone: 'UTC',
  });
  return (
    <div class="outlook-calendar" data-testid="upcoming-calendar">
      {cells.slice(0, 7).map((d) => (
        <div class="outlook-weekday" key={`h${d}`}>
          {weekday.format(new Date(`${d}T00:00:00Z`))}
        </div>
      ))}
      {cells.map((d) => {
        const items = byDay.get(d) ?? [];
        const cls = ['outlook-day', d === props.today ? 'today' : '', d < props.today ? 'past' : ''].join(
          ' ',
        );
        return (
          <div class={cls} key={d} title={items.map((i) => `${i.title} ${signed(i)}`).join('\n')}>
            <span class="outlook-daynum">{Number(d.slice(8))}</span>
            {items.map((i, n) => (
              <span key={n} class={`outlook-dot ${i.overdue ? 'overdue' : i.direction}`} />
            ))}
          </div>
        );
      })}
    </div>
  );
}

/** Everything expected in the next 30 or 90 days; confirmation-waiting occurrences can be confirmed or skipped here. */
export function UpcomingPanel(props: { version?: number; onChanged?: () => void }) {
  const { t } = useI18n();
  const [days, setDays] = useState<30 | 90>(30);
  const [view, setView] = useState<'list' | 'calendar'>('list');
  const [data, setData] = useState<UpcomingDto>();
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    api.get('/budget/upcoming', { query: { days } }).then(
      (d) => live && (setData(d), setError(undefined)),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [days, version, props.version]);

  const { run } = useSubmit();
  const act = (item: Item, action: 'post' | 'skip') =>
    void run({
      send: () =>
        api.post(`/budget/schedules/{id}/occurrences/{nominalDate}/${action}`, {
          path: { id: item.ref.id, nominalDate: item.ref.nominalDate! },
          body: {},
        }),
      success: t(action === 'post' ? 'outlook.confirmed' : 'outlook.skipped'),
      done: () => {
        setVersion((v) => v + 1);
        props.onChanged?.();
      },
    });

  return (
    <section class="card outlook" data-testid="upcoming">
      <div class="outlook-head">
        <h2>{t('outlook.upcoming')}</h2>
        {data && data.overdue > 0 && (
          <span class="badge negative" data-testid="upcoming-overdue">
            {tn('outlook.overdue', data.overdue)}
          </span>
        )}
        <div class="segmented" role="group">
          {([30, 90] as const).map((d) => (
            <button
              key={d}
              type="button"
              class={days === d ? 'active' : ''}
              aria-pressed={days === d}
              onClick={() => setDays(d)}
            >
              {t('outlook.days', { n: d })}
            </button>
          ))}
        </div>
        <div class="segmented" role="group">
          {(['list', 'calendar'] as const).map((v) => (
            <button
              key={v}
              type="button"
              class={view === v ? 'active' : ''}
              aria-pressed={view === v}
              onClick={() => setView(v)}
            >
              {t(`outlook.${v}`)}
            </button>
          ))}
        </div>
      </div>
      {error && <p class="field-error">{error}</p>}
      {data && data.items.length === 0 && <p class="muted">{t('outlook.none')}</p>}
      {data && data.items.length > 0 && view === 'calendar' && (
        <CalendarView items={data.items} today={data.today} to={data.to} />
      )}
      {data && data.items.length > 0 && view === 'list' && (
        <ul class="outlook-list" data-testid="upcoming-list">
          {data.items.map((i) => (
            <li
              key={`${i.kind}${i.ref.id}${i.ref.nominalDate ?? ''}${i.ref.number ?? ''}${i.date}`}
              class={i.overdue ? 'overdue' : ''}
            >
              <span class="outlook-date">{formatDate(i.date)}</span>
              <span class="outlook-title">
                {i.title}
                <span class="muted"> · {t(`outlook.kind.${i.kind}`)}</span>
                {i.overdue && <span class="badge negative">{t('outlook.overdueMark')}</span>}
              </span>
              <span class={`outlook-amount ${i.direction}`}>{signed(i)}</span>
              {i.kind === 'schedule' && i.needsConfirmation && i.date <= data.today && (
                <span class="outlook-actions">
                  <button class="btn btn-small btn-primary" type="button" onClick={() => act(i, 'post')}>
                    {t('outlook.confirm')}
                  </button>
                  <button class="btn btn-small" type="button" onClick={() => act(i, 'skip')}>
                    {t('outlook.skip')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {data?.investments === 'unavailable' && <p class="muted small">{t('outlook.noInvestments')}</p>}
    </section>
  );
}

/** The total in the base currency (other currencies at today's rate), day by day for twelve months, with its lowest point and what is free until the next income. */
export function ForecastPanel(props: { version?: number }) {
  const { t } = useI18n();
  const [data, setData] = useState<ForecastDto>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    api.get('/budget/forecast').then(
      (d) => live && (setData(d), setError(undefined)),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [props.version]);

  return (
    <section class="card outlook" data-testid="forecast">
      <h2>{t('outlook.forecast')}</h2>
      {error && <p class="field-error">{error}</p>}
      {data && (
        <>
          <p class="outlook-facts">
            <span data-testid="forecast-lowest" class={data.lowest.total.startsWith('-') ? 'negative' : ''}>
              {t('outlook.lowest', {
                amount: formatMoney(data.lowest.total, data.baseCurrency),
                date: formatDate(data.lowest.date),
              })}
            </span>
            <span data-testid="forecast-free">
              {data.nextIncome === null
                ? t('outlook.freeNoIncome', {
                    amount: formatMoney(data.freeUntilNextIncome, data.baseCurrency),
                  })
                : t('outlook.free', {
                    amount: formatMoney(data.freeUntilNextIncome, data.baseCurrency),
                    date: formatDate(data.nextIncome),
                  })}
            </span>
          </p>
          <ChartView
            type="line"
            height={240}
            label={t('outlook.forecast')}
            data={{
              labels: data.dates.map((d) => formatDate(d)),
              datasets: [
                {
                  label: t('outlook.total', { currency: data.baseCurrency }),
                  data: data.total.map(toChartNumber),
                  borderColor: '#2f6feb',
                  backgroundColor: 'rgba(47,111,235,0.12)',
                  fill: true,
                  pointRadius: 0,
                  stepped: true,
                },
              ],
            }}
            options={{
              plugins: {
                legend: { display: false },
                tooltip: {
                  callbacks: {
                    label: (item) => ` ${formatMoney(data.total[item.dataIndex] ?? '0', data.baseCurrency)}`,
                  },
                },
              },
              scales: {
                x: {
                  ticks: {
                    autoSkip: true,
                    maxTicksLimit: window.matchMedia('(max-width: 640px)').matches ? 3 : 6,
                    maxRotation: 0,
                  },
                },
              },
            }}
          />
          {Object.keys(data.rates).length > 0 && (
            <p class="muted small" data-testid="forecast-rates">
              {t('outlook.rates')}{' '}
              {Object.entries(data.rates).map(([currency, rate], i) => (
                <span key={currency}>
                  {i > 0 && '; '}1 {currency} = <RateNote rate={rate} base={data.baseCurrency} />
                </span>
              ))}
            </p>
          )}
          {data.leftOut.length > 0 && (
            <p class="muted small">{t('outlook.leftOut', { currencies: data.leftOut.join(', ') })}</p>
          )}
        </>
      )}
    </section>
  );
}
