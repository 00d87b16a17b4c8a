import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { DialogButtons, Modal } from '../../components/modal.js';
import { Spinner } from '../../components/spinner.js';
import { ErrorState } from '../../components/empty-state.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { plural, useI18n } from '../../lib/i18n.js';
import { errorText, Field, formatErrors, toDecimal, useSubmit } from '../../lib/forms.js';

import type { CreditBlock, Schedule } from './types.js';

type Row = Schedule['rows'][number];

/** Asks when and how much was really paid for one scheduled payment; both start as scheduled. */
function MarkPaidDialog(props: {
  row: Row;
  currency: string;
  onClose: () => void;
  send: (date: string, amount: string) => Promise<unknown>;
  success: string;
  onPaid: () => void;
}) {
  const { t } = useI18n();
  const { row } = props;
  const [date, setDate] = useState(row.date);
  const [amount, setAmount] = useState(row.payment);
  const { busy, errors, run } = useSubmit();
  const lateDays = Math.round((Date.parse(date) - Date.parse(row.date)) / 86_400_000);

  const save = (e: Event) => {
    e.preventDefault();
    const paid = toDecimal(amount);
    void run({
      check: () => formatErrors({ date: ['date', date], amount: ['money', paid] }),
      send: () => props.send(date, paid),
      success: props.success,
      done: props.onPaid,
    });
  };

  return (
    <Modal
      open
      title={t('obl.pay.title', { n: row.number ?? '' })}
      onClose={props.onClose}
      footer={
        <DialogButtons
          formId="pay-form"
          onCancel={props.onClose}
          busy={busy || !date || !amount.trim()}
          submitLabel={t('obl.schedule.markPaid')}
          submitTestId="pay-save"
        />
      }
    >
      <form noValidate id="pay-form" onSubmit={save}>
        <p class="muted" style="margin-top:0">
          {t('obl.pay.due', { amount: formatMoney(row.payment, props.currency), date: formatDate(row.date) })}
        </p>
        <div class="form-row">
          <Field id="pay-date" label={t('obl.pay.date')} error={errors.date}>
            <input type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          </Field>
          <Field id="pay-amount" label={t('obl.pay.amount')} error={errors.amount}>
            <input
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </Field>
        </div>
        {lateDays > 0 && (
          <p class="muted obl-small" data-testid="pay-late">
            {t('obl.pay.late', { days: plural('obl.count.days', lateDays) })}
          </p>
        )}
      </form>
    </Modal>
  );
}

/** The full schedule of a credit; scheduled payments are marked paid (or unmarked) from the table. */
export function ScheduleView(props: { block: CreditBlock; onClose: () => void; onChanged: () => void }) {
  const { t } = useI18n();
  const { block } = props;
  const [schedule, setSchedule] = useState<Schedule>();
  const [failed, setFailed] = useState<string>();
  const [version, setVersion] = useState(0);
  const [paying, setPaying] = useState<Row>();
  const [askThrough, setAskThrough] = useState(false);

  useEffect(() => {
    api
      .get('/budget/obligation-blocks/{id}/schedule', { path: { id: block.id } })
      .then(setSchedule, (err: unknown) => setFailed(errorText(err)));
  }, [block.id, version]);

  const changed = () => {
    setVersion((v) => v + 1);
    props.onChanged();
  };
  const { busy, run } = useSubmit();
  const act = (send: () => Promise<unknown>, success: string) => void run({ send, success, done: changed });

  const base = '/budget/obligation-blocks/{id}';
  const path = { id: block.id };
  const paymentIds = new Map(block.payments.map((p) => [p.number, p.id]));
  // Early rows come in the same order as the recorded repayments (by date, then as entered).
  const earlyIds = block.earlyRepayments.map((e) => e.id);
  let earlyIndex = 0;
  const money = (amount: string) => formatMoney(amount, block.currency);
  const withPenalty = block.penaltyRatePercent !== null;
  const dueThroughToday = schedule?.rows.filter(
    (r) => r.number !== null && !r.paid && r.date <= schedule.today,
  );
  const lastDue = dueThroughToday?.at(-1);
  const dueCount = plural('obl.count.payments', dueThroughToday?.length ?? 0);
  // While a question is open on top, Escape answers only it: the same key press reaches this
  // dialog too, before the question's closing has re-rendered anything.
  const asking = useRef(false);
  asking.current = paying !== undefined || askThrough;
  const { onClose } = props;
  const close = useCallback(() => {
    if (!asking.current) onClose();
  }, [onClose]);

  return (
    <Modal open wide title={t('obl.schedule.title', { title: block.title })} onClose={close}>
      {failed && <ErrorState message={failed} />}
      {!schedule && !failed && <Spinner />}
      {schedule && (
        <>
          <dl class="obl-figures obl-schedule-totals">
            <div>
              <dt>{t('obl.preview.total')}</dt>
              <dd>{money(schedule.totals.totalPaid)}</dd>
            </div>
            <div>
              <dt>{t('obl.preview.interest')}</dt>
              <dd>{money(schedule.totals.totalInterest)}</dd>
            </div>
            <div>
              <dt>{t('obl.preview.count')}</dt>
              <dd>{schedule.totals.paymentCount}</dd>
            </div>
            <div>
              <dt>{t('obl.preview.payoff')}</dt>
              <dd>{formatDate(schedule.totals.payoffDate)}</dd>
            </div>
            {withPenalty && (
              <div>
                <dt>{t('obl.schedule.penalty')}</dt>
                <dd class={schedule.penalty === '0.00' ? '' : 'negative'} data-testid="schedule-penalty">
                  {money(schedule.penalty)}
                </dd>
              </div>
            )}
          </dl>
          {lastDue && (
            <div class="row" style="margin-bottom:0.75rem">
              <button class="btn btn-sm" type="button" disabled={busy} onClick={() => setAskThrough(true)}>
                {t('obl.schedule.markThrough')}
              </button>
            </div>
          )}
          <div class="table-wrap obl-schedule">
            <table class={`table ${withPenalty ? 'obl-with-penalty' : ''}`} data-testid="schedule-table">
              <thead>
                <tr>
                  <th>{t('obl.schedule.number')}</th>
                  <th>{t('obl.schedule.date')}</th>
                  <th class="num">{t('obl.schedule.payment')}</th>
                  <th class="num">{t('obl.schedule.interest')}</th>
                  <th class="num">{t('obl.schedule.principal')}</th>
                  <th class="num">{t('obl.schedule.balance')}</th>
                  {withPenalty && <th class="num">{t('obl.schedule.penalty')}</th>}
                  <th />
                </tr>
              </thead>
              <tbody>
                {schedule.rows.map((row) => {
                  const overdue = row.number !== null && !row.paid && row.date < schedule.today;
                  const earlyId = row.kind === 'early' ? earlyIds[earlyIndex++] : undefined;
                  const paymentId = row.number === null ? undefined : paymentIds.get(row.number);
                  return (
                    <tr
                      key={`${row.kind}-${row.number ?? row.date}-${earlyId ?? ''}`}
                      class={row.kind === 'early' ? 'obl-row-early' : row.paid ? 'obl-row-paid' : ''}
                      data-number={row.number ?? undefined}
                    >
                      <td>{row.number ?? '—'}</td>
                      <td class="obl-when">{formatDate(row.date)}</td>
                      <td class="num obl-pay">{money(row.payment)}</td>
                      <td class="num" data-label={t('obl.schedule.interest')}>
                        {money(row.interest)}
                      </td>
                      <td class="num" data-label={t('obl.schedule.principal')}>
                        {money(row.principal)}
                      </td>
                      <td class="num" data-label={t('obl.schedule.balance')}>
                        {money(row.balance)}
                      </td>
                      {withPenalty && (
                        <td class="num obl-penalty" data-label={t('obl.schedule.penalty')}>
                          {row.overdueDays > 0 ? (
                            <>
                              <span class={row.penalty === '0.00' ? '' : 'negative'}>
                                {money(row.penalty)}
                              </span>
                              <span class="muted obl-small obl-late">
                                {plural('obl.count.days', row.overdueDays)}
                              </span>
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                      )}
                      <td class="obl-row-actions">
                        <div>
                          {row.kind === 'early' ? (
                            <>
                              <span class="badge warning">{t('obl.schedule.early')}</span>
                              {earlyId && (
                                <button
                                  class="icon-btn"
                                  type="button"
                                  title={t('obl.schedule.deleteEarly')}
                                  aria-label={t('obl.schedule.deleteEarly')}
                                  disabled={busy}
                                  onClick={() =>
                                    act(
                                      () =>
                                        api.del(`${base}/early-repayments/{repaymentId}`, {
                                          path: { ...path, repaymentId: earlyId },
                                        }),
                                      t('obl.schedule.earlyDeleted'),
                                    )
                                  }
                                >
                                  ✕
                                </button>
                              )}
                            </>
                          ) : row.paid ? (
                            <>
                              <span class="badge positive">{t('obl.schedule.paid')}</span>
                              {paymentId && (
                                <button
                                  class="btn btn-sm btn-ghost"
                                  type="button"
                                  disabled={busy}
                                  onClick={() =>
                                    act(
                                      () =>
                                        api.del(`${base}/payments/{paymentId}`, {
                                          path: { ...path, paymentId },
                                        }),
                                      t('obl.schedule.unmarked'),
                                    )
                                  }
                                >
                                  {t('obl.schedule.unmark')}
                                </button>
                              )}
                            </>
                          ) : (
                            <>
                              {overdue && <span class="badge negative">{t('obl.schedule.overdue')}</span>}
                              <button
                                class="btn btn-sm"
                                type="button"
                                disabled={busy}
                                onClick={() => setPaying(row)}
                              >
                                {t('obl.schedule.markPaid')}
                              </button>
                            </>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {paying && (
        <MarkPaidDialog
          row={paying}
          currency={block.currency}
          onClose={() => setPaying(undefined)}
          send={(date, amount) =>
            api.post(`${base}/payments`, { path, body: { number: paying.number!, date, amount } })
          }
          success={t('obl.schedule.marked', { n: paying.number ?? '' })}
          onPaid={() => {
            setPaying(undefined);
            changed();
          }}
        />
      )}
      <Confirm
        action={t('obl.through.action')}
        text={
          askThrough && lastDue
            ? t('obl.through.confirm', {
                count: dueCount,
                n: lastDue.number ?? '',
                date: formatDate(lastDue.date),
              })
            : null
        }
        onConfirm={() =>
          lastDue &&
          act(
            () => api.post(`${base}/payments/through`, { path, body: { number: lastDue.number! } }),
            t('obl.through.done', { count: dueCount }),
          )
        }
        onClose={() => setAskThrough(false)}
      />
    </Modal>
  );
}
