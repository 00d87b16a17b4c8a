import { useEffect, useState } from 'preact/hooks';
import { Modal } from '../../components/modal.js';
import { Spinner } from '../../components/spinner.js';
import { ErrorState } from '../../components/empty-state.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { errorText } from '../../lib/forms.js';
import type { CreditBlock, Schedule } from './types.js';

/** The full schedule of a credit; scheduled payments are marked paid (or unmarked) from the table. */
export function ScheduleView(props: { block: CreditBlock; onClose: () => void; onChanged: () => void }) {
  const { t } = useI18n();
  const { block } = props;
  const [schedule, setSchedule] = useState<Schedule>();
  const [failed, setFailed] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    api
      .get<Schedule>(`/budget/obligation-blocks/${block.id}/schedule`)
      .then(setSchedule, (err: unknown) => setFailed(errorText(err)));
  }, [block.id, version]);

  async function act(run: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await run();
      toast.success(done);
      setVersion((v) => v + 1);
      props.onChanged();
    } catch (err) {
      toast.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const base = `/budget/obligation-blocks/${block.id}`;
  const paymentIds = new Map(block.payments.map((p) => [p.number, p.id]));
  // Early rows come in the same order as the recorded repayments (by date, then as entered).
  const earlyIds = block.earlyRepayments.map((e) => e.id);
  let earlyIndex = 0;
  const money = (amount: string) => formatMoney(amount, block.currency);
  const dueThroughToday =
    schedule &&
    schedule.rows.filter((r) => r.number !== null && !r.paid && r.date <= schedule.today).at(-1)?.number;

  return (
    <Modal open wide title={t('obl.schedule.title', { title: block.title })} onClose={props.onClose}>
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
          </dl>
          {dueThroughToday !== undefined && dueThroughToday !== null && (
            <div class="row" style="margin-bottom:0.75rem">
              <button
                class="btn btn-sm"
                type="button"
                disabled={busy}
                onClick={() =>
                  void act(
                    () => api.post(`${base}/payments/through`, { number: dueThroughToday }),
                    t('obl.schedule.marked', { n: dueThroughToday }),
                  )
                }
              >
                {t('obl.schedule.markThrough')}
              </button>
            </div>
          )}
          <div class="table-wrap obl-schedule">
            <table class="table" data-testid="schedule-table">
              <thead>
                <tr>
                  <th>{t('obl.schedule.number')}</th>
                  <th>{t('obl.schedule.date')}</th>
                  <th class="num">{t('obl.schedule.payment')}</th>
                  <th class="num">{t('obl.schedule.interest')}</th>
                  <th class="num">{t('obl.schedule.principal')}</th>
                  <th class="num">{t('obl.schedule.balance')}</th>
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
                                    void act(
                                      () => api.del(`${base}/early-repayments/${earlyId}`),
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
                                    void act(
                                      () => api.del(`${base}/payments/${paymentId}`),
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
                                onClick={() =>
                                  void act(
                                    () => api.post(`${base}/payments`, { number: row.number }),
                                    t('obl.schedule.marked', { n: row.number ?? '' }),
                                  )
                                }
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
    </Modal>
  );
}
