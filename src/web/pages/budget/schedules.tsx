import type { VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { DialogButtons, Modal } from '../../components/modal.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { errorText, Field, formatErrors, toDecimal, useSubmit } from '../../lib/forms.js';
import { addMessages, tn, useI18n } from '../../lib/i18n.js';
import type { CreateScheduleBody, ScheduleDto } from '../../../server/modules/schedules/schedules.schemas.js';
import { toInput } from './forms.js';
import { OccurrencesDialog } from './schedule-occurrences.js';
import type { Account, Category } from './types.js';

addMessages({
  ru: {
    'sched.title': 'Регулярные операции',
    'sched.add': '+ Регулярная операция',
    'sched.none':
      'Зарплата, аренда, подписки: добавьте их один раз — они появятся в ближайших платежах и в прогнозе.',
    'sched.next': 'следующая {date}',
    'sched.ended': 'завершена',
    'sched.auto': 'проводится сама',
    'sched.confirm': 'ждёт подтверждения',
    'sched.each.day': 'каждый день',
    'sched.each.week': 'каждую неделю',
    'sched.each.month': 'каждый месяц',
    'sched.each.year': 'каждый год',
    'sched.every.day.one': 'каждый {n} день',
    'sched.every.day.few': 'каждые {n} дня',
    'sched.every.day.many': 'каждые {n} дней',
    'sched.every.day.other': 'каждые {n} дня',
    'sched.every.week.one': 'каждую {n} неделю',
    'sched.every.week.few': 'каждые {n} недели',
    'sched.every.week.many': 'каждые {n} недель',
    'sched.every.week.other': 'каждые {n} недели',
    'sched.every.month.one': 'каждый {n} месяц',
    'sched.every.month.few': 'каждые {n} месяца',
    'sched.every.month.many': 'каждые {n} месяцев',
    'sched.every.month.other': 'каждые {n} месяца',
    'sched.every.year.one': 'каждый {n} год',
    'sched.every.year.few': 'каждые {n} года',
    'sched.every.year.many': 'каждые {n} лет',
    'sched.every.year.other': 'каждые {n} года',
    'sched.form.title': 'Новая регулярная операция',
    'sched.f.type': 'Тип',
    'sched.f.name': 'Название',
    'sched.f.account': 'Счёт',
    'sched.f.toAccount': 'На счёт',
    'sched.f.category': 'Категория',
    'sched.f.noCategory': 'Без категории',
    'sched.f.amount': 'Сумма',
    'sched.f.tolerance': 'Точность, ± %',
    'sched.f.every': 'Каждые',
    'sched.f.unit': 'Период',
    'sched.unit.day': 'дней',
    'sched.unit.week': 'недель',
    'sched.unit.month': 'месяцев',
    'sched.unit.year': 'лет',
    'sched.f.monthDay': 'Число месяца (31 — последний день)',
    'sched.f.weekday': 'День недели',
    'sched.f.shift': 'Если выходной',
    'sched.shift.none': 'не переносить',
    'sched.shift.before': 'на рабочий день раньше',
    'sched.shift.after': 'на рабочий день позже',
    'sched.f.start': 'Начало',
    'sched.f.end': 'Окончание (день)',
    'sched.f.count': 'или число раз',
    'sched.f.mode': 'Проведение',
    'sched.mode.auto': 'автоматически в этот день',
    'sched.mode.confirm': 'после подтверждения',
    'sched.saved': 'Регулярная операция сохранена',
    'sched.deleted': 'Регулярная операция удалена',
    'sched.deleteConfirm': 'Удалить «{title}»? Проведённые операции останутся.',
    'sched.form.edit': 'Изменить: {title}',
    'sched.f.from': 'Изменения действуют с',
    'sched.f.fromHint': 'Даты до этого дня остаются по прежнему правилу.',
    'sched.dates': 'Даты',
  },
  en: {
    'sched.title': 'Recurring transactions',
    'sched.add': '+ Recurring',
    'sched.none': 'Salary, rent, subscriptions: add them once and they show in upcoming and in the forecast.',
    'sched.next': 'next {date}',
    'sched.ended': 'ended',
    'sched.auto': 'posted automatically',
    'sched.confirm': 'waits for confirmation',
    'sched.each.day': 'every day',
    'sched.each.week': 'every week',
    'sched.each.month': 'every month',
    'sched.each.year': 'every year',
    'sched.every.day.one': 'every {n} day',
    'sched.every.day.other': 'every {n} days',
    'sched.every.week.one': 'every {n} week',
    'sched.every.week.other': 'every {n} weeks',
    'sched.every.month.one': 'every {n} month',
    'sched.every.month.other': 'every {n} months',
    'sched.every.year.one': 'every {n} year',
    'sched.every.year.other': 'every {n} years',
    'sched.form.title': 'New recurring transaction',
    'sched.f.type': 'Type',
    'sched.f.name': 'Name',
    'sched.f.account': 'Account',
    'sched.f.toAccount': 'To account',
    'sched.f.category': 'Category',
    'sched.f.noCategory': 'No category',
    'sched.f.amount': 'Amount',
    'sched.f.tolerance': 'Accuracy, ± %',
    'sched.f.every': 'Every',
    'sched.f.unit': 'Period',
    'sched.unit.day': 'days',
    'sched.unit.week': 'weeks',
    'sched.unit.month': 'months',
    'sched.unit.year': 'years',
    'sched.f.monthDay': 'Day of month (31 = last day)',
    'sched.f.weekday': 'Weekday',
    'sched.f.shift': 'On a day off',
    'sched.shift.none': 'keep the day',
    'sched.shift.before': 'working day before',
    'sched.shift.after': 'working day after',
    'sched.f.start': 'Start',
    'sched.f.end': 'End (day)',
    'sched.f.count': 'or number of times',
    'sched.f.mode': 'Posting',
    'sched.mode.auto': 'automatically on the day',
    'sched.mode.confirm': 'after confirmation',
    'sched.saved': 'Recurring transaction saved',
    'sched.deleted': 'Recurring transaction deleted',
    'sched.deleteConfirm': 'Delete “{title}”? Posted transactions stay.',
    'sched.form.edit': 'Change: {title}',
    'sched.f.from': 'The change applies from',
    'sched.f.fromHint': 'Dates before this day keep the previous rule.',
    'sched.dates': 'Dates',
  },
});

type Unit = CreateScheduleBody['unit'];
const UNITS: Unit[] = ['month', 'week', 'day', 'year'];

/** A new schedule, or (with `editing`) a change of one from a day on. */
function ScheduleForm(props: {
  accounts: Account[];
  categories: Category[];
  today: string;
  editing?: ScheduleDto;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, locale } = useI18n();
  const was = props.editing;
  const active = props.accounts.filter((a) => !a.archived);
  const [type, setType] = useState<CreateScheduleBody['type']>(was?.type ?? 'expense');
  const [title, setTitle] = useState(was?.title ?? '');
  const [accountId, setAccountId] = useState(was?.accountId ?? active[0]?.id ?? '');
  const [toAccountId, setToAccountId] = useState(was?.toAccountId ?? active[1]?.id ?? '');
  const [categoryId, setCategoryId] = useState(was?.categoryId ?? '');
  const [amount, setAmount] = useState(was ? toInput(was.amount, locale) : '');
  const [tolerance, setTolerance] = useState(String(was?.tolerancePercent ?? 0));
  const [every, setEvery] = useState(String(was?.every ?? 1));
  const [unit, setUnit] = useState<Unit>((was?.unit as Unit | undefined) ?? 'month');
  const [monthDay, setMonthDay] = useState(String(was?.monthDay ?? Number(props.today.slice(8))));
  const [weekday, setWeekday] = useState(String(was?.weekday ?? 1));
  const [shift, setShift] = useState((was?.shift as 'none' | 'before' | 'after' | undefined) ?? 'none');
  const [startDate, setStartDate] = useState(props.today);
  const [endDate, setEndDate] = useState(was?.endDate ?? '');
  const [count, setCount] = useState(was?.count == null ? '' : String(was.count));
  const [mode, setMode] = useState<'auto' | 'confirm'>(was?.mode ?? 'confirm');
  const { busy, errors, run } = useSubmit();
  const categories = props.categories.filter((c) => !c.deleted && c.kind === type);
  const weekdays = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-US', {
    weekday: 'long',
    timeZone: 'UTC',
  });

  function save(e: Event) {
    e.preventDefault();
    const byMonth = unit === 'month' || unit === 'year';
    const body = {
      type,
      title,
      accountId,
      toAccountId: type === 'transfer' ? toAccountId : null,
      categoryId: type !== 'transfer' && categoryId ? categoryId : null,
      amount: toDecimal(amount),
      tolerancePercent: Number(tolerance) || 0,
      every: Number(every),
      unit,
      monthDay: byMonth ? Number(monthDay) : null,
      weekday: unit === 'week' ? Number(weekday) : null,
      shift,
      endDate: endDate || null,
      count: count ? Number(count) : null,
      mode,
    };
    const start = was ? 'from' : 'startDate';
    void run({
      check: () =>
        formatErrors({
          amount: ['money', body.amount],
          [start]: ['date', startDate],
          ...(body.endDate === null ? {} : { endDate: ['date', body.endDate] as ['date', string] }),
        }),
      send: () =>
        was
          ? api.post('/budget/schedules/{id}/edit-from', {
              path: { id: was.id },
              body: { ...body, from: startDate },
            })
          : api.post('/budget/schedules', { body: { ...body, startDate } }),
      success: t('sched.saved'),
      done: props.onSaved,
    });
  }

  const field = (name: string, label: string, input: VNode<Record<string, unknown>>) => (
    <Field id={`sched-${name}`} label={label} error={errors[name]} errorTestId={`sched-error-${name}`}>
      {input}
    </Field>
  );

  return (
    <Modal
      open
      wide
      title={was ? t('sched.form.edit', { title: was.title }) : t('sched.form.title')}
      onClose={props.onClose}
      footer={
        <DialogButtons
          formId="schedule-form"
          onCancel={props.onClose}
          busy={busy}
          submitTestId="schedule-save"
        />
      }
    >
      <form noValidate id="schedule-form" class="budget-form" onSubmit={save} data-testid="schedule-form">
        <div class="form-row">
          {field(
            'type',
            t('sched.f.type'),
            <select value={type} onChange={(e) => setType(e.currentTarget.value as typeof type)}>
              {(['expense', 'income', 'transfer'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`budget.type.${k}`)}
                </option>
              ))}
            </select>,
          )}
          {field(
            'title',
            t('sched.f.name'),
            <input maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />,
          )}
        </div>
        <div class="form-row">
          {field(
            'accountId',
            t('sched.f.account'),
            <select value={accountId} onChange={(e) => setAccountId(e.currentTarget.value)}>
              {active.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} · {a.currency}
                </option>
              ))}
            </select>,
          )}
          {type === 'transfer'
            ? field(
                'toAccountId',
                t('sched.f.toAccount'),
                <select value={toAccountId} onChange={(e) => setToAccountId(e.currentTarget.value)}>
                  {active.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name} · {a.currency}
                    </option>
                  ))}
                </select>,
              )
            : field(
                'categoryId',
                t('sched.f.category'),
                <select value={categoryId} onChange={(e) => setCategoryId(e.currentTarget.value)}>
                  <option value="">{t('sched.f.noCategory')}</option>
                  {categories.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>,
              )}
        </div>
        <div class="form-row">
          {field(
            'amount',
            t('sched.f.amount'),
            <input inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />,
          )}
          {field(
            'tolerancePercent',
            t('sched.f.tolerance'),
            <input
              type="number"
              min={0}
              max={100}
              value={tolerance}
              onInput={(e) => setTolerance(e.currentTarget.value)}
            />,
          )}
        </div>
        <div class="form-row">
          {field(
            'every',
            t('sched.f.every'),
            <input type="number" min={1} value={every} onInput={(e) => setEvery(e.currentTarget.value)} />,
          )}
          {field(
            'unit',
            t('sched.f.unit'),
            <select value={unit} onChange={(e) => setUnit(e.currentTarget.value as Unit)}>
              {UNITS.map((u) => (
                <option key={u} value={u}>
                  {t(`sched.unit.${u}`)}
                </option>
              ))}
            </select>,
          )}
          {(unit === 'month' || unit === 'year') &&
            field(
              'monthDay',
              t('sched.f.monthDay'),
              <input
                type="number"
                min={1}
                max={31}
                value={monthDay}
                onInput={(e) => setMonthDay(e.currentTarget.value)}
              />,
            )}
          {unit === 'week' &&
            field(
              'weekday',
              t('sched.f.weekday'),
              <select value={weekday} onChange={(e) => setWeekday(e.currentTarget.value)}>
                {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                  <option key={d} value={d}>
                    {weekdays.format(new Date(Date.UTC(2024, 0, d)))}
                  </option>
                ))}
              </select>,
            )}
        </div>
        <div class="form-row">
          {field(
            'shift',
            t('sched.f.shift'),
            <select value={shift} onChange={(e) => setShift(e.currentTarget.value as typeof shift)}>
              {(['none', 'before', 'after'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`sched.shift.${s}`)}
                </option>
              ))}
            </select>,
          )}
          {field(
            'mode',
            t('sched.f.mode'),
            <select value={mode} onChange={(e) => setMode(e.currentTarget.value as typeof mode)}>
              {(['confirm', 'auto'] as const).map((m) => (
                <option key={m} value={m}>
                  {t(`sched.mode.${m}`)}
                </option>
              ))}
            </select>,
          )}
        </div>
        <div class="form-row">
          {field(
            was ? 'from' : 'startDate',
            t(was ? 'sched.f.from' : 'sched.f.start'),
            <input type="date" value={startDate} onInput={(e) => setStartDate(e.currentTarget.value)} />,
          )}
          {field(
            'endDate',
            t('sched.f.end'),
            <input type="date" value={endDate} onInput={(e) => setEndDate(e.currentTarget.value)} />,
          )}
          {field(
            'count',
            t('sched.f.count'),
            <input type="number" min={1} value={count} onInput={(e) => setCount(e.currentTarget.value)} />,
          )}
        </div>
        {was && <p class="muted small">{t('sched.f.fromHint')}</p>}
      </form>
    </Modal>
  );
}

/** The user's schedules with their rule and next day; adding, changing from a day on, their dates, deleting. */
export function SchedulesSection(props: {
  accounts: Account[];
  categories: Category[];
  today: string;
  version: number;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [items, setItems] = useState<ScheduleDto[]>();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<ScheduleDto | null>(null);
  const [editing, setEditing] = useState<ScheduleDto | null>(null);
  const [dates, setDates] = useState<ScheduleDto | null>(null);
  useEffect(() => {
    let live = true;
    api.get('/budget/schedules').then(
      (s) => live && setItems(s),
      (err: unknown) => live && toast.error(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [props.version]);

  const { run } = useSubmit();
  const remove = (s: ScheduleDto) => {
    setDeleting(null);
    void run({
      send: () => api.del('/budget/schedules/{id}', { path: { id: s.id } }),
      success: t('sched.deleted'),
      done: props.onChanged,
    });
  };

  return (
    <section class="card outlook" data-testid="schedules">
      <div class="outlook-head">
        <h2>{t('sched.title')}</h2>
        <button class="btn" type="button" onClick={() => setAdding(true)} data-testid="add-schedule">
          {t('sched.add')}
        </button>
      </div>
      {items?.length === 0 && <p class="muted">{t('sched.none')}</p>}
      {items && items.length > 0 && (
        <ul class="outlook-list schedule-list" data-testid="schedule-list">
          {items.map((s) => (
            <li key={s.id}>
              <span class="outlook-date">
                {s.next === null ? t('sched.ended') : t('sched.next', { date: formatDate(s.next) })}
              </span>
              <span class="outlook-title">
                {s.title}
                <span class="muted">
                  {' · '}
                  {s.every === 1 ? t(`sched.each.${s.unit}`) : tn(`sched.every.${s.unit}`, s.every)} ·{' '}
                  {t(s.mode === 'auto' ? 'sched.auto' : 'sched.confirm')}
                </span>
              </span>
              <span class={`outlook-amount ${s.type === 'income' ? 'in' : ''}`}>
                {s.type === 'income' ? '+' : s.type === 'expense' ? '−' : ''}
                {formatMoney(s.amount, s.currency)}
                {s.tolerancePercent > 0 && <span class="muted"> ±{s.tolerancePercent}%</span>}
                <button
                  class="icon-btn"
                  type="button"
                  aria-label={t('action.delete')}
                  title={t('action.delete')}
                  onClick={() => setDeleting(s)}
                >
                  ×
                </button>
              </span>
              <span class="outlook-actions">
                <button
                  class="btn btn-sm"
                  type="button"
                  onClick={() => setDates(s)}
                  data-testid="schedule-dates"
                >
                  {t('sched.dates')}
                </button>
                <button
                  class="btn btn-sm"
                  type="button"
                  onClick={() => setEditing(s)}
                  data-testid="schedule-edit"
                >
                  {t('action.edit')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {adding && (
        <ScheduleForm
          accounts={props.accounts}
          categories={props.categories}
          today={props.today}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            props.onChanged();
          }}
        />
      )}
      {editing && (
        <ScheduleForm
          accounts={props.accounts}
          categories={props.categories}
          today={props.today}
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            props.onChanged();
          }}
        />
      )}
      {dates && (
        <OccurrencesDialog schedule={dates} onClose={() => setDates(null)} onChanged={props.onChanged} />
      )}
      <Confirm
        text={deleting && t('sched.deleteConfirm', { title: deleting.title })}
        onConfirm={() => deleting && remove(deleting)}
        onClose={() => setDeleting(null)}
      />
    </section>
  );
}
