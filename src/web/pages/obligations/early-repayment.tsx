import { useEffect, useMemo, useState } from 'preact/hooks';
import { DialogButtons, Modal } from '../../components/modal.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { plural, useI18n } from '../../lib/i18n.js';
import { useToday } from '../../components/layout.js';
import {
  errorText,
  Field,
  fieldErrors,
  formatErrors,
  toDecimal,
  useDebounced,
  useSubmit,
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
  const today = useToday();
  const [date, setDate] = useState(props.today ?? today);
  const [amount, setAmount] = useState('');
  const [mode, setMode] = useState<EarlyRepaymentBody['mode']>('reduce_term');
  const [effect, setEffect] = useState<EarlyRepaymentPreview>();
  const { busy, errors, setErrors, run } = useSubmit();
  // What is owed on the chosen day when the amount typed is more than that.
  const [debt, setDebt] = useState<string>();

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

  const save = (e: Event) => {
    e.preventDefault();
    if (!body) return;
    void run({
      check: () => formatErrors({ date: ['date', date], amount: ['money', body.amount] }),
      send: () =>
        api.post(base, { path, body }).catch((err: unknown) => {
          setDebt(exceededDebt(err));
          throw err;
        }),
      success: t('obl.early.saved'),
      done: props.onSaved,
    });
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
          busy={busy || !effect}
          submitLabel={t('obl.early.save')}
        />
      }
    >
      <form noValidate id="early-form" onSubmit={save}>
        <div class="form-row">
          <Field id="early-date" label={t('obl.early.date')} error={errors.date}>
            <input type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          </Field>
          <Field
            id="early-amount"
            label={t('obl.early.amount')}
            error={
              debt ? (
                <>
                  {t('obl.early.exceeds', { debt: formatMoney(debt, block.currency) })}{' '}
                  <button class="btn-link" type="button" onClick={() => setAmount(debt)}>
                    {t('obl.early.payAll', { debt: formatMoney(debt, block.currency) })}
                  </button>
                </>
              ) : (
                errors.amount
              )
            }
            errorTestId={debt ? 'early-exceeds' : undefined}
          >
            <input
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </Field>
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
