import { useEffect, useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { EmptyState } from '../../components/empty-state.js';
import { DialogButtons, Modal } from '../../components/modal.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMonth, formatMoney } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { errorText, fieldErrors, toDecimal } from '../../lib/forms.js';

import { CURRENCIES, type CreateObligationBody, type Obligation, type ObligationMonth } from './types.js';

/** `2026-01` moved by `delta` months. */
export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

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
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    const body: CreateObligationBody = {
      title: form.title,
      dueDate: form.dueDate,
      amount: toDecimal(form.amount),
      currency: form.currency,
      done: form.done,
      ...(form.done && form.paidDate ? { paidDate: form.paidDate } : {}),
    };
    setSaving(true);
    try {
      if (o) await api.patch('/budget/obligations/{id}', { path: { id: o.id }, body });
      else await api.post('/budget/obligations', { body });
      toast.success(t('obl.payments.saved'));
      props.onSaved();
    } catch (err) {
      setErrors(fieldErrors(err));
      toast.error(errorText(err));
    } finally {
      setSaving(false);
    }
  };
  const error = (field: string) => errors[field] && <span class="field-error">{errors[field]}</span>;

  return (
    <Modal
      open
      title={o ? t('obl.payments.edit') : t('obl.payments.add')}
      onClose={props.onClose}
      footer={<DialogButtons formId="obligation-form" onCancel={props.onClose} busy={saving} />}
    >
      <form noValidate id="obligation-form" onSubmit={(e) => void save(e)}>
        <div class="field">
          <label for="obligation-title">{t('obl.payments.title')}</label>
          <input
            id="obligation-title"
            required
            maxLength={200}
            placeholder={t('obl.payments.titlePlaceholder')}
            value={form.title}
            onInput={(e) => setForm({ ...form, title: e.currentTarget.value })}
          />
          {error('title')}
        </div>
        <div class="form-row">
          <div class="field">
            <label for="obligation-amount">{t('obl.payments.amount')}</label>
            <input
              id="obligation-amount"
              required
              inputMode="decimal"
              autoComplete="off"
              value={form.amount}
              onInput={(e) => setForm({ ...form, amount: e.currentTarget.value })}
            />
            {error('amount')}
          </div>
          <div class="field">
            <label for="obligation-currency">{t('obl.editor.currency')}</label>
            <select
              id="obligation-currency"
              value={form.currency}
              onChange={(e) => setForm({ ...form, currency: e.currentTarget.value })}
            >
              {(CURRENCIES as readonly string[])
                .concat(CURRENCIES.includes(form.currency as 'RUB') ? [] : [form.currency])
                .map((c) => (
                  <option key={c}>{c}</option>
                ))}
            </select>
          </div>
        </div>
        <div class="form-row">
          <div class="field">
            <label for="obligation-due">{t('obl.payments.dueDate')}</label>
            <input
              id="obligation-due"
              type="date"
              required
              value={form.dueDate}
              onInput={(e) => setForm({ ...form, dueDate: e.currentTarget.value })}
            />
            {error('dueDate')}
          </div>
          {form.done && (
            <div class="field">
              <label for="obligation-paid">{t('obl.payments.paidDate')}</label>
              <input
                id="obligation-paid"
                type="date"
                value={form.paidDate}
                onInput={(e) => setForm({ ...form, paidDate: e.currentTarget.value })}
              />
              {error('paidDate')}
            </div>
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

  const toggle = async (o: Obligation) => {
    setTicked((current) => ({ ...current, [o.id]: !o.done }));
    try {
      await api.patch('/budget/obligations/{id}', { path: { id: o.id }, body: { done: !o.done } });
      props.onChanged();
    } catch (err) {
      setTicked(({ [o.id]: _undo, ...rest }) => rest);
      toast.error(errorText(err));
    }
  };
  const remove = async (o: Obligation) => {
    try {
      await api.del('/budget/obligations/{id}', { path: { id: o.id } });
      toast.success(t('obl.payments.deleted'));
      props.onChanged();
    } catch (err) {
      toast.error(errorText(err));
    }
  };

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
                  onChange={() => void toggle(o)}
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
        onConfirm={() => deleting && void remove(deleting)}
        onClose={() => setDeleting(null)}
      />
    </section>
  );
}
