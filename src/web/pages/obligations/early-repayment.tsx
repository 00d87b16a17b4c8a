import { useEffect, useMemo, useState } from 'preact/hooks';
import { DialogButtons, Modal } from '../../components/modal.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { plural, useI18n } from '../../lib/i18n.js';
import {
  errorText,
  fieldErrors,
  formatErrors,
  localToday,
  toDecimal,
  useDebounced,
} from '../../lib/forms.js';
import { exceededDebt } from './forms.js';
import type { CreditBlock, EarlyRepaymentBody, EarlyRepaymentPreview } from './types.js';

/** Records an early repayment after showing what it changes: the new term or payment and the interest saved. */
export function EarlyRepaymentDialog(props: {
  block: CreditBlock;
  today: string | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const { block } = props;
  const [date, setDate] = useState(props.today ?? localToday());
  const [amount, setAmount] = useState('');
  const [mode, setMode] = useState<EarlyRepaymentBody['mode']>('reduce_term');
  const [effect, setEffect] = useState<EarlyRepaymentPreview>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  // What is owed on the chosen day when the amount typed is more than that.
  const [debt, setDebt] = useState<string>();
  const [saving, setSaving] = useState(false);

  const body = useMemo<EarlyRepaymentBody | undefined>(
    () => (date && amount.trim() ? { date, amount: toDecimal(amount), mode } : undefined),
    [date, amount, mode],
  );
  const settled = useDebounced(body, 300);
  const base = '/budget/obligation-blocks/{id}/early-repayments';
  const path = { id: block.id };

  useEffect(() => {
    if (!settled) {
      setEffect(undefined);
      return;
    }
    let current = true;
    api.post(`${base}/preview`, { path, body: settled }).then(
      (result) => {
        if (!current) return;
        setEffect(result);
        setErrors({});
        setDebt(undefined);
      },
      (err: unknown) => {
        if (!current) return;
        setEffect(undefined);
        setDebt(exceededDebt(err));
        const fields = fieldErrors(err);
        setErrors(Object.keys(fields).length > 0 ? fields : { body: errorText(err) });
      },
    );
    return () => {
      current = false;
    };
  }, [settled, block.id]);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!body) return;
    const local = formatErrors({ date: ['date', date] });
    if (Object.keys(local).length > 0) return setErrors(local);
    setSaving(true);
    try {
      await api.post(base, { path, body });
      toast.success(t('obl.early.saved'));
      props.onSaved();
    } catch (err) {
      const owed = exceededDebt(err);
      setErrors(fieldErrors(err));
      setDebt(owed);
      toast.error(
        owed ? t('obl.early.exceeds', { debt: formatMoney(owed, block.currency) }) : errorText(err),
      );
    } finally {
      setSaving(false);
    }
  };

  const money = (value: string | null) => formatMoney(value, block.currency);
  const changed = (a: string, b: string) => (a === b ? undefined : 'obl-changed');

  return (
    <Modal
      open
      title={t('obl.early.title', { title: block.title })}
      onClose={props.onClose}
      footer={
        <DialogButtons
          formId="early-form"
          onCancel={props.onClose}
          busy={saving || !effect}
          submitLabel={t('obl.early.save')}
        />
      }
    >
      <form noValidate id="early-form" onSubmit={(e) => void save(e)}>
        <div class="form-row">
          <div class="field">
            <label for="early-date">{t('obl.early.date')}</label>
            <input id="early-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
            {errors.date && <span class="field-error">{errors.date}</span>}
          </div>
          <div class="field">
            <label for="early-amount">{t('obl.early.amount')}</label>
            <input
              id="early-amount"
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
            {debt ? (
              <span class="field-error" data-testid="early-exceeds">
                {t('obl.early.exceeds', { debt: formatMoney(debt, block.currency) })}{' '}
                <button class="btn-link" type="button" onClick={() => setAmount(debt)}>
                  {t('obl.early.payAll', { debt: formatMoney(debt, block.currency) })}
                </button>
              </span>
            ) : (
              errors.amount && <span class="field-error">{errors.amount}</span>
            )}
          </div>
        </div>
        <div class="field">
          <span>{t('obl.early.mode')}</span>
          <div class="obl-segmented" role="radiogroup" aria-label={t('obl.early.mode')}>
            {(['reduce_term', 'reduce_payment'] as const).map((m) => (
              <label key={m}>
                <input type="radio" name="mode" checked={mode === m} onChange={() => setMode(m)} />
                {m === 'reduce_term' ? t('obl.early.reduceTerm') : t('obl.early.reducePayment')}
              </label>
            ))}
          </div>
        </div>
        {errors.body && <p class="field-error">{errors.body}</p>}
      </form>

      {effect && (
        <div class={`obl-effect ${body !== settled ? 'obl-pending' : ''}`} data-testid="early-effect">
          <h3>{t('obl.early.effect')}</h3>
          <table class="table">
            <thead>
              <tr>
                <th />
                <th class="num">{t('obl.early.now')}</th>
                <th class="num">{t('obl.early.after')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>{t('obl.early.payment')}</td>
                <td class="num">{money(effect.current.payment)}</td>
                <td
                  class={`num ${changed(effect.current.payment ?? '', effect.withRepayment.payment ?? '') ?? ''}`}
                >
                  {money(effect.withRepayment.payment)}
                </td>
              </tr>
              <tr>
                <td>{t('obl.early.count')}</td>
                <td class="num">{effect.current.paymentCount}</td>
                <td
                  class={`num ${changed(String(effect.current.paymentCount), String(effect.withRepayment.paymentCount)) ?? ''}`}
                >
                  {effect.withRepayment.paymentCount}
                </td>
              </tr>
              <tr>
                <td>{t('obl.early.payoff')}</td>
                <td class="num">{formatDate(effect.current.payoffDate)}</td>
                <td
                  class={`num ${changed(effect.current.payoffDate, effect.withRepayment.payoffDate) ?? ''}`}
                >
                  {formatDate(effect.withRepayment.payoffDate)}
                </td>
              </tr>
              <tr>
                <td>{t('obl.early.interest')}</td>
                <td class="num">{money(effect.current.totalInterest)}</td>
                <td class="num obl-changed">{money(effect.withRepayment.totalInterest)}</td>
              </tr>
            </tbody>
          </table>
          <p class="obl-saving">
            {t('obl.early.saving')}: <strong data-testid="early-saving">{money(effect.interestSaved)}</strong>
            {effect.paymentsFewer > 0 && (
              <span class="muted">
                {' '}
                · {t('obl.early.fewer', { count: plural('obl.count.payments', effect.paymentsFewer) })}
              </span>
            )}
          </p>
        </div>
      )}

      {block.earlyRepayments.length > 0 && (
        <div class="obl-early-list">
          <h3>{t('obl.early.list')}</h3>
          <ul>
            {block.earlyRepayments.map((e) => (
              <li key={e.id}>
                {formatDate(e.date)} — {money(e.amount)} ·{' '}
                {e.mode === 'reduce_term' ? t('obl.early.reduceTerm') : t('obl.early.reducePayment')}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Modal>
  );
}
