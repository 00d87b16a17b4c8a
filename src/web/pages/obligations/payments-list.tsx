import { useEffect, useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { EmptyState } from '../../components/empty-state.js';
import { DialogButtons, Modal } from '../../components/modal.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMonth, formatMoney } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { shiftMonth } from '../../../common/dates.js';
import { errorText, Field, formatErrors, toDecimal, useSubmit } from '../../lib/forms.js';

import { CURRENCIES, type CreateObligationBody, type Obligation, type ObligationMonth } from './types.js';

const STATUS_TONE = { planned: '', overdue: 'negative', paid: 'positive' } as const;

export function ObligationEditor(props: {
  obligation?: Obligation;
  defaultDate: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const o = props.obligation;
  const [form, setForm] = useState({
    title: o?.title ?? '',
    dueDate: o?.dueDate ?? props.defaultDate,
    amount: o?.amount ?? '',
    currency: o?.currency ?? 'RUB',
    done: o?.done ?? false,
    paidDate: o?.paidDate ?? '',
  });
  const { busy, errors, run } = useSubmit();

  const save = (e: Event) => {
    e.preventDefault();
    const body: CreateObligationBody = {
      title: form.title,
      dueDate: form.dueDate,
      amount: toDecimal(form.amount),
      currency: form.currency,
      done: form.done,
      ...(form.done && form.paidDate ? { paidDate: form.paidDate } : {}),
    };
    void run({
      check: () =>
        formatErrors({
          amount: ['money', toDecimal(form.amount)],
          dueDate: ['date', form.dueDate],
          currency: ['currency', form.currency],
          ...(form.done && form.paidDate ? { paidDate: ['date', form.paidDate] as ['date', string] } : {}),
        }),
      send: () =>
        o
          ? api.patch('/budget/obligations/{id}', { path: { id: o.id }, body })
          : api.post('/budget/obligations', { body }),
      success: t('obl.payments.saved'),
      done: props.onSaved,
    });
  };

  return (
    <Modal
      open
      title={o ? t('obl.payments.edit') : t('obl.payments.add')}
      onClose={props.onClose}
      footer={<DialogButtons formId="obligation-form" onCancel={props.onClose} busy={busy} />}
    >
      <form noValidate id="obligation-form" onSubmit={save}>
        <Field id="obligation-title" label={t('obl.payments.title')} error={errors.title}>
          <input
            required
            maxLength={200}
            placeholder={t('obl.payments.titlePlaceholder')}
            value={form.title}
            onInput={(e) => setForm({ ...form, title: e.currentTarget.value })}
          />
        </Field>
        <div class="form-row">
          <Field id="obligation-amount" label={t('obl.payments.amount')} error={errors.amount}>
            <input
              required
              inputMode="decimal"
              autoComplete="off"
              value={form.amount}
              onInput={(e) => setForm({ ...form, amount: e.currentTarget.value })}
            />
          </Field>
          <Field id="obligation-currency" label={t('obl.editor.currency')}>
            <select
              value={form.currency}
              onChange={(e) => setForm({ ...form, currency: e.currentTarget.value })}
            >
              {(CURRENCIES as readonly string[])
                .concat(CURRENCIES.includes(form.currency as 'RUB') ? [] : [form.currency])
                .map((c) => (
                  <option key={c}>{c}</option>
                ))}
            </select>
          </Field>
        </div>
        <div class="form-row">
          <Field id="obligation-due" label={t('obl.payments.dueDate')} error={errors.dueDate}>
            <input
              type="date"
              required
              value={form.dueDate}
              onInput={(e) => setForm({ ...form, dueDate: e.currentTarget.value })}
            />
          </Field>
          {form.done && (
            <Field id="obligation-paid" label={t('obl.payments.paidDate')} error={errors.paidDate}>
              <input
                type="date"
                value={form.paidDate}
                onInput={(e) => setForm({ ...form, paidDate: e.currentTarget.value })}
              />
            </Field>
          )}
        </div>
        <label class="obl-check">
          <input
            type="checkbox"
            checked={form.done}
            onChange={(e) => setForm({ ...form, done: e.currentTarget.checked })}
          />
          {t('obl.payments.done')}
        </label>
      </form>
    </Modal>
  );
}

/** The month's mandatory payments: tick to mark paid, totals per currency, month navigation. */
export function PaymentsList(props: {
  view: ObligationMonth | undefined;
  onMonth: (month: string) => void;
  onEdit: (o: Obligation) => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const { view } = props;
  // The tick shows at once; the next view from the server confirms it.
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const [deleting, setDeleting] = useState<Obligation | null>(null);
  useEffect(() => setTicked({}), [view]);

  const { run } = useSubmit();
  const toggle = (o: Obligation) => {
    setTicked((current) => ({ ...current, [o.id]: !o.done }));
    void run({
      send: () => api.patch('/budget/obligations/{id}', { path: { id: o.id }, body: { done: !o.done } }),
      done: props.onChanged,
      explain: (err) => {
        setTicked(({ [o.id]: _undo, ...rest }) => rest);
        return errorText(err);
      },
    });
  };
  const remove = (o: Obligation) =>
    void run({
      send: () => api.del('/budget/obligations/{id}', { path: { id: o.id } }),
      success: t('obl.payments.deleted'),
      done: props.onChanged,
    });

  return (
    <section class="card" data-testid="payments-card">
      <div class="obl-section-head">
        <h2>{t('obl.payments')}</h2>
        {view && (
          <div class="obl-month-nav">
            <button
              class="icon-btn"
              type="button"
              aria-label={t('obl.payments.prev')}
              onClick={() => props.onMonth(shiftMonth(view.month, -1))}
            >
              ‹
            </button>
            <span data-testid="payments-month">{formatMonth(view.month)}</span>
            <button
              class="icon-btn"
              type="button"
              aria-label={t('obl.payments.next')}
              onClick={() => props.onMonth(shiftMonth(view.month, 1))}
            >
              ›
            </button>
          </div>
        )}
      </div>
      {view && view.items.length === 0 && <EmptyState title={t('obl.payments.empty')} />}
      {view && view.items.length > 0 && (
        <>
          <ul class="obl-list">
            {view.items.map((o) => (
              <li key={o.id} class={o.done ? 'obl-done' : ''}>
                <input
                  type="checkbox"
                  checked={ticked[o.id] ?? o.done}
                  disabled={ticked[o.id] !== undefined}
                  aria-label={`${t('obl.payments.done')}: ${o.title}`}
                  onChange={() => toggle(o)}
                />
                <div class="obl-list-main">
                  <span class="obl-list-title">{o.title}</span>
                  <span class="muted">
                    {formatDate(o.dueDate)}{' '}
                    <span class={`badge ${STATUS_TONE[o.status]}`}>{t(`obl.status.${o.status}`)}</span>
                  </span>
                </div>
                <span class="num obl-list-amount">{formatMoney(o.amount, o.currency)}</span>
                <span class="obl-list-actions">
                  <button
                    class="icon-btn"
                    type="button"
                    title={t('action.edit')}
                    aria-label={t('action.edit')}
                    onClick={() => props.onEdit(o)}
                  >
                    ✎
                  </button>
                  <button
                    class="icon-btn"
                    type="button"
                    title={t('action.delete')}
                    aria-label={t('action.delete')}
                    onClick={() => setDeleting(o)}
                  >
                    ✕
                  </button>
                </span>
              </li>
            ))}
          </ul>
          <dl class="obl-totals">
            {view.totals.map((total) => (
              <div key={total.currency}>
                <dt>
                  {t('obl.payments.total')} {total.currency}
                </dt>
                <dd>
                  {formatMoney(total.total, total.currency)}
                  <span class="muted">
                    {' '}
                    · {t('obl.payments.unpaid')} {formatMoney(total.unpaid, total.currency)}
                  </span>
                </dd>
              </div>
            ))}
          </dl>
        </>
      )}
      <Confirm
        text={deleting ? t('obl.payments.deleteConfirm', { title: deleting.title }) : null}
        onConfirm={() => deleting && remove(deleting)}
        onClose={() => setDeleting(null)}
      />
    </section>
  );
}
