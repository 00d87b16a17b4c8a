import { useEffect, useState } from 'preact/hooks';
import { Modal } from '../../components/modal.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { errorText, Field, formatErrors, toDecimal, useSubmit } from '../../lib/forms.js';
import { addMessages, useI18n } from '../../lib/i18n.js';
import type { OccurrenceDto, ScheduleDto } from '../../../server/modules/schedules/schedules.schemas.js';
import { toInput } from './forms.js';

addMessages({
  ru: {
    'occ.title': 'Даты: {title}',
    'occ.none': 'С месяца назад до трёх месяцев вперёд дат нет.',
    'occ.byRule': 'по правилу {date}',
    'occ.status.expected': 'ожидается',
    'occ.status.overdue': 'просрочена',
    'occ.status.posted': 'проведена',
    'occ.status.matched': 'найдена среди операций',
    'occ.status.skipped': 'пропущена',
    'occ.post': 'Провести сегодня',
    'occ.skip': 'Пропустить',
    'occ.change': 'Изменить',
    'occ.restore': 'Вернуть',
    'occ.date': 'День',
    'occ.amount': 'Сумма',
    'occ.posted': 'Операция проведена',
    'occ.skipped': 'Дата пропущена',
    'occ.changed': 'Дата изменена',
    'occ.restored': 'Дата снова по правилу',
  },
  en: {
    'occ.title': 'Dates: {title}',
    'occ.none': 'No dates from a month ago to three months ahead.',
    'occ.byRule': 'by the rule {date}',
    'occ.status.expected': 'expected',
    'occ.status.overdue': 'overdue',
    'occ.status.posted': 'posted',
    'occ.status.matched': 'found among transactions',
    'occ.status.skipped': 'skipped',
    'occ.post': 'Post today',
    'occ.skip': 'Skip',
    'occ.change': 'Change',
    'occ.restore': 'Restore',
    'occ.date': 'Day',
    'occ.amount': 'Amount',
    'occ.posted': 'Transaction posted',
    'occ.skipped': 'Date skipped',
    'occ.changed': 'Date changed',
    'occ.restored': 'Date follows the rule again',
  },
});

/** One occurrence changed in place: another day or another amount. */
function ChangeRow(props: {
  item: OccurrenceDto;
  schedule: ScheduleDto;
  onDone: (changed: boolean) => void;
}) {
  const { t, locale } = useI18n();
  const [date, setDate] = useState(props.item.date);
  const [amount, setAmount] = useState(toInput(props.item.amount, locale));
  const { busy, errors, run } = useSubmit();
  const id = `occ-${props.item.nominalDate}`;

  function save(e: Event) {
    e.preventDefault();
    const body = { date, amount: toDecimal(amount) };
    void run({
      check: () => formatErrors({ date: ['date', body.date], amount: ['money', body.amount] }),
      send: () =>
        api.patch('/budget/schedules/{id}/occurrences/{nominalDate}', {
          path: { id: props.schedule.id, nominalDate: props.item.nominalDate },
          body,
        }),
      success: t('occ.changed'),
      done: () => props.onDone(true),
    });
  }

  return (
    <form class="occ-change" onSubmit={save} noValidate data-testid="occurrence-change">
      <Field id={`${id}-date`} label={t('occ.date')} error={errors.date}>
        <input type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
      </Field>
      <Field id={`${id}-amount`} label={t('occ.amount')} error={errors.amount}>
        <input inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
      </Field>
      <span class="occ-actions">
        <button class="btn" type="button" onClick={() => props.onDone(false)}>
          {t('action.cancel')}
        </button>
        <button class="btn btn-primary" type="submit" disabled={busy}>
          {t('action.save')}
        </button>
      </span>
    </form>
  );
}

/** The dates of one schedule around today, each of which can be posted (early), skipped, moved or restored. */
export function OccurrencesDialog(props: {
  schedule: ScheduleDto;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const s = props.schedule;
  const [items, setItems] = useState<OccurrenceDto[]>();
  const [changing, setChanging] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    api.get('/budget/schedules/{id}/occurrences', { path: { id: s.id } }).then(
      (list) => live && setItems(list),
      (err: unknown) => live && toast.error(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [s.id, version]);

  const changed = () => {
    setVersion((v) => v + 1);
    props.onChanged();
  };
  const { run } = useSubmit();
  function act(item: OccurrenceDto, action: 'post' | 'skip' | 'restore') {
    const path = { id: s.id, nominalDate: item.nominalDate };
    void run({
      send: () =>
        action === 'restore'
          ? api.del('/budget/schedules/{id}/occurrences/{nominalDate}', { path })
          : api.post(`/budget/schedules/{id}/occurrences/{nominalDate}/${action}`, { path, body: {} }),
      success: t(action === 'post' ? 'occ.posted' : action === 'skip' ? 'occ.skipped' : 'occ.restored'),
      done: changed,
    });
  }

  return (
    <Modal open wide title={t('occ.title', { title: s.title })} onClose={props.onClose}>
      {items?.length === 0 && <p class="muted">{t('occ.none')}</p>}
      {items && items.length > 0 && (
        <ul class="occ-list" data-testid="occurrence-list">
          {items.map((o) => {
            const open = o.status === 'expected' || o.status === 'overdue';
            const edited = o.status === 'skipped' || (open && o.amount !== s.amount);
            return (
              <li key={o.nominalDate} data-testid="occurrence" data-date={o.nominalDate}>
                <span class="occ-date">
                  {formatDate(o.date)}
                  {o.date !== o.nominalDate && (
                    <span class="muted small"> {t('occ.byRule', { date: formatDate(o.nominalDate) })}</span>
                  )}
                </span>
                <span class={`occ-amount ${s.type === 'income' ? 'in' : ''}`}>
                  {s.type === 'income' ? '+' : s.type === 'expense' ? '−' : ''}
                  {formatMoney(o.amount, s.currency)}
                </span>
                <span
                  class={`badge ${o.status === 'overdue' ? 'negative' : o.status === 'posted' || o.status === 'matched' ? 'positive' : ''}`}
                >
                  {t(`occ.status.${o.status}`)}
                </span>
                <span class="occ-actions">
                  {open && (
                    <>
                      <button class="btn btn-sm" type="button" onClick={() => act(o, 'post')}>
                        {t('occ.post')}
                      </button>
                      <button class="btn btn-sm" type="button" onClick={() => setChanging(o.nominalDate)}>
                        {t('occ.change')}
                      </button>
                      <button class="btn btn-sm" type="button" onClick={() => act(o, 'skip')}>
                        {t('occ.skip')}
                      </button>
                    </>
                  )}
                  {edited && (
                    <button class="btn btn-sm" type="button" onClick={() => act(o, 'restore')}>
                      {t('occ.restore')}
                    </button>
                  )}
                </span>
                {changing === o.nominalDate && (
                  <ChangeRow
                    item={o}
                    schedule={s}
                    onDone={(done) => {
                      setChanging(null);
                      if (done) changed();
                    }}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Modal>
  );
}
