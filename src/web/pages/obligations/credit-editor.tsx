import { useEffect, useMemo, useState } from 'preact/hooks';
import { DialogButtons, Modal } from '../../components/modal.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { useToday } from '../../components/layout.js';
import { Field, fieldErrors, formatErrors, toDecimal, useDebounced, useSubmit } from '../../lib/forms.js';

import {
  CREDIT_KINDS,
  CURRENCIES,
  type CreateBlockBody,
  type CreditBlock,
  type CreditKind,
  PAYMENT_SHIFTS,
  type PaymentShift,
  type PreviewBody,
  type Schedule,
} from './types.js';

interface CreditForm {
  kind: CreditKind;
  title: string;
  principal: string;
  rate: string;
  termBy: 'months' | 'date';
  termMonths: string;
  closeDate: string;
  issueDate: string;
  paymentDay: string;
  paymentType: 'annuity' | 'differentiated';
  interestMethod: 'days' | 'monthly';
  paymentShift: PaymentShift;
  penaltyRate: string;
  currency: string;
  status: 'active' | 'closed';
  notes: string;
}

function formOf(block: CreditBlock | undefined, today: string): CreditForm {
  if (!block) {
    return {
      kind: 'consumer',
      title: '',
      principal: '',
      rate: '',
      termBy: 'months',
      termMonths: '',
      closeDate: '',
      issueDate: today,
      paymentDay: '',
      paymentType: 'annuity',
      interestMethod: 'days',
      paymentShift: 'next',
      penaltyRate: '',
      currency: 'RUB',
      status: 'active',
      notes: '',
    };
  }
  return {
    kind: block.kind,
    title: block.title,
    principal: block.principal,
    rate: block.annualRatePercent,
    termBy: block.closeDate ? 'date' : 'months',
    termMonths: String(block.termMonths),
    closeDate: block.closeDate ?? '',
    issueDate: block.issueDate,
    paymentDay: String(block.paymentDay),
    paymentType: block.paymentType,
    interestMethod: block.interestMethod,
    paymentShift: block.paymentShift,
    penaltyRate: block.penaltyRatePercent ?? '',
    currency: block.currency,
    status: block.status,
    notes: block.notes,
  };
}

/** The terms the API computes a schedule from, or undefined while the form is incomplete. */
function termsOf(form: CreditForm): PreviewBody | undefined {
  const term = form.termBy === 'months' ? form.termMonths.trim() : form.closeDate;
  if (!form.principal.trim() || !form.rate.trim() || !form.issueDate || !term) return undefined;
  return {
    principal: toDecimal(form.principal),
    annualRatePercent: toDecimal(form.rate),
    ...(form.termBy === 'months' ? { termMonths: Number(term) } : { closeDate: term }),
    issueDate: form.issueDate,
    ...(form.paymentDay.trim() ? { paymentDay: Number(form.paymentDay) } : {}),
    paymentType: form.paymentType,
    interestMethod: form.interestMethod,
    paymentShift: form.paymentShift,
    penaltyRatePercent: form.penaltyRate.trim() ? toDecimal(form.penaltyRate) : null,
  };
}

function PreviewPanel(props: { schedule?: Schedule; currency: string; pending: boolean }) {
  const { t } = useI18n();
  const { schedule, currency } = props;
  if (!schedule) return <p class="muted">{t('obl.preview.hint')}</p>;
  const scheduled = schedule.rows.filter((r) => r.kind === 'scheduled');
  const first = scheduled[0]?.payment ?? '0.00';
  const last = scheduled.at(-1)?.payment ?? '0.00';
  const fixed = scheduled.slice(0, -1).every((r) => r.payment === first);
  return (
    <dl class={`obl-figures ${props.pending ? 'obl-pending' : ''}`} data-testid="credit-preview">
      <div class="obl-figure-main">
        <dt>{t('obl.preview.payment')}</dt>
        <dd data-testid="preview-payment">
          {fixed
            ? formatMoney(first, currency)
            : t('obl.preview.paymentRange', {
                first: formatMoney(first, currency),
                last: formatMoney(last, currency),
              })}
        </dd>
      </div>
      <div>
        <dt>{t('obl.preview.count')}</dt>
        <dd>{schedule.totals.paymentCount}</dd>
      </div>
      <div>
        <dt>{t('obl.preview.interest')}</dt>
        <dd data-testid="preview-interest">{formatMoney(schedule.totals.totalInterest, currency)}</dd>
      </div>
      <div>
        <dt>{t('obl.preview.total')}</dt>
        <dd>{formatMoney(schedule.totals.totalPaid, currency)}</dd>
      </div>
      <div>
        <dt>{t('obl.preview.payoff')}</dt>
        <dd>{formatDate(schedule.totals.payoffDate)}</dd>
      </div>
    </dl>
  );
}

/** Add or edit a credit; the figures on the right follow the form as it is typed. */
export function CreditEditor(props: { block?: CreditBlock; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const today = useToday();
  const [form, setForm] = useState(() => formOf(props.block, today));
  const { busy, errors, setErrors, run } = useSubmit();
  const [schedule, setSchedule] = useState<Schedule>();
  const terms = useMemo(() => termsOf(form), [form]);
  const settled = useDebounced(terms, 350);
  const set = <K extends keyof CreditForm>(key: K, value: CreditForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  useEffect(() => {
    if (!settled) {
      setSchedule(undefined);
      return;
    }
    let current = true;
    api.post('/budget/obligation-blocks/preview', { body: settled }).then(
      (result) => {
        if (!current) return;
        setSchedule(result);
        setErrors({});
      },
      (err: unknown) => {
        if (!current) return;
        setSchedule(undefined);
        setErrors(fieldErrors(err));
      },
    );
    return () => {
      current = false;
    };
  }, [settled]);

  const save = (e: Event) => {
    e.preventDefault();
    const body: CreateBlockBody | undefined = terms && {
      ...terms,
      kind: form.kind,
      title: form.title,
      currency: form.currency,
      status: form.status,
      notes: form.notes,
    };
    if (!body) return;
    void run({
      check: () =>
        formatErrors({
          issueDate: ['date', form.issueDate],
          ...(form.termBy === 'date' ? { closeDate: ['date', form.closeDate] as ['date', string] } : {}),
        }),
      send: () =>
        props.block
          ? api.put('/budget/obligation-blocks/{id}', { path: { id: props.block.id }, body })
          : api.post('/budget/obligation-blocks', { body }),
      success: t('obl.editor.saved'),
      done: props.onSaved,
    });
  };

  const id = (field: string) => `credit-${field}`;

  return (
    <Modal
      open
      wide
      title={props.block ? t('obl.editor.edit') : t('obl.editor.add')}
      onClose={props.onClose}
      footer={<DialogButtons formId="credit-form" onCancel={props.onClose} busy={busy || !terms} />}
    >
      <form noValidate id="credit-form" class="obl-editor" onSubmit={save}>
        <div>
          <div class="form-row obl-choices">
            <Field id={id('kind')} label={t('obl.editor.kind')}>
              <select value={form.kind} onChange={(e) => set('kind', e.currentTarget.value as CreditKind)}>
                {CREDIT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`obl.kind.${k}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id={id('currency')} label={t('obl.editor.currency')}>
              <select value={form.currency} onChange={(e) => set('currency', e.currentTarget.value)}>
                {(CURRENCIES as readonly string[])
                  .concat(CURRENCIES.includes(form.currency as 'RUB') ? [] : [form.currency])
                  .map((c) => (
                    <option key={c}>{c}</option>
                  ))}
              </select>
            </Field>
          </div>
          <Field id={id('title')} label={t('obl.editor.title')} error={errors.title}>
            <input
              required
              maxLength={200}
              placeholder={t('obl.editor.titlePlaceholder')}
              value={form.title}
              onInput={(e) => set('title', e.currentTarget.value)}
            />
          </Field>
          <div class="form-row">
            <Field id={id('principal')} label={t('obl.editor.principal')} error={errors.principal}>
              <input
                inputMode="decimal"
                autoComplete="off"
                value={form.principal}
                onInput={(e) => set('principal', e.currentTarget.value)}
              />
            </Field>
            <Field id={id('rate')} label={t('obl.editor.rate')} error={errors.annualRatePercent}>
              <input
                inputMode="decimal"
                autoComplete="off"
                value={form.rate}
                onInput={(e) => set('rate', e.currentTarget.value)}
              />
            </Field>
          </div>
          <div class="form-row">
            <Field id={id('issueDate')} label={t('obl.editor.issueDate')} error={errors.issueDate}>
              <input
                type="date"
                value={form.issueDate}
                onInput={(e) => set('issueDate', e.currentTarget.value)}
              />
            </Field>
            <Field id={id('paymentDay')} label={t('obl.editor.paymentDay')} error={errors.paymentDay}>
              <input
                type="number"
                min={1}
                max={31}
                placeholder={form.issueDate ? String(Number(form.issueDate.slice(8, 10))) : ''}
                value={form.paymentDay}
                onInput={(e) => set('paymentDay', e.currentTarget.value)}
              />
            </Field>
          </div>
          <div class="field">
            <span>{t('obl.editor.termBy')}</span>
            <div class="obl-segmented" role="radiogroup" aria-label={t('obl.editor.termBy')}>
              {(['months', 'date'] as const).map((by) => (
                <label key={by}>
                  <input
                    type="radio"
                    name="termBy"
                    checked={form.termBy === by}
                    onChange={() => set('termBy', by)}
                  />
                  {by === 'months' ? t('obl.editor.termMonths') : t('obl.editor.closeDate')}
                </label>
              ))}
            </div>
          </div>
          {form.termBy === 'months' ? (
            <Field id={id('termMonths')} label={t('obl.editor.months')} error={errors.termMonths}>
              <input
                type="number"
                min={1}
                max={600}
                value={form.termMonths}
                onInput={(e) => set('termMonths', e.currentTarget.value)}
              />
            </Field>
          ) : (
            <Field id={id('closeDate')} label={t('obl.editor.close')} error={errors.closeDate}>
              <input
                type="date"
                value={form.closeDate}
                onInput={(e) => set('closeDate', e.currentTarget.value)}
              />
            </Field>
          )}
          <div class="form-row obl-choices">
            <Field id={id('paymentType')} label={t('obl.editor.paymentType')}>
              <select
                value={form.paymentType}
                onChange={(e) =>
                  set(
                    'paymentType',
                    e.currentTarget.value === 'differentiated' ? 'differentiated' : 'annuity',
                  )
                }
              >
                <option value="annuity">{t('obl.editor.annuity')}</option>
                <option value="differentiated">{t('obl.editor.differentiated')}</option>
              </select>
            </Field>
            <Field id={id('interestMethod')} label={t('obl.editor.method')}>
              <select
                value={form.interestMethod}
                onChange={(e) =>
                  set('interestMethod', e.currentTarget.value === 'monthly' ? 'monthly' : 'days')
                }
              >
                <option value="days">{t('obl.editor.days')}</option>
                <option value="monthly">{t('obl.editor.monthly')}</option>
              </select>
            </Field>
          </div>
          <Field
            id={id('paymentShift')}
            label={t('obl.editor.shift')}
            error={errors.paymentShift}
            after={
              <span class="muted obl-small" id={id('shiftHint')}>
                {t('obl.editor.shiftHint')}
              </span>
            }
          >
            <select
              aria-describedby={id('shiftHint')}
              value={form.paymentShift}
              onChange={(e) =>
                set('paymentShift', PAYMENT_SHIFTS.find((s) => s === e.currentTarget.value) ?? 'next')
              }
            >
              {PAYMENT_SHIFTS.map((shift) => (
                <option key={shift} value={shift}>
                  {t(`obl.editor.shift.${shift}`)}
                </option>
              ))}
            </select>
          </Field>
          <div class="form-row">
            <Field
              id={id('penaltyRate')}
              label={t('obl.editor.penalty')}
              error={errors.penaltyRatePercent}
              after={
                <span class="muted obl-small" id={id('penaltyHint')}>
                  {t('obl.editor.penaltyHint')}
                </span>
              }
            >
              <input
                inputMode="decimal"
                autoComplete="off"
                aria-describedby={id('penaltyHint')}
                value={form.penaltyRate}
                onInput={(e) => set('penaltyRate', e.currentTarget.value)}
              />
            </Field>
            {props.block && (
              <Field id={id('status')} label={t('obl.editor.status')}>
                <select
                  value={form.status}
                  onChange={(e) => set('status', e.currentTarget.value === 'closed' ? 'closed' : 'active')}
                >
                  <option value="active">{t('obl.editor.active')}</option>
                  <option value="closed">{t('obl.editor.closed')}</option>
                </select>
              </Field>
            )}
          </div>
          <Field id={id('notes')} label={t('obl.editor.notes')} error={errors.notes}>
            <textarea
              rows={2}
              maxLength={2000}
              value={form.notes}
              onInput={(e) => set('notes', e.currentTarget.value)}
            />
          </Field>
        </div>
        <aside class="obl-preview">
          <h3>{t('obl.preview.title')}</h3>
          <PreviewPanel schedule={schedule} currency={form.currency} pending={terms !== settled} />
          {Object.entries(errors)
            .filter(([field]) => field.includes('[') || field === 'body')
            .map(([field, message]) => (
              <p key={field} class="field-error">
                {message}
              </p>
            ))}
        </aside>
      </form>
    </Modal>
  );
}
