import { useEffect, useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { Layout, useCurrentUser, useToday } from '../../components/layout.js';
import { EmptyState, ErrorState } from '../../components/empty-state.js';
import { KpiTile } from '../../components/kpi-tile.js';
import { Spinner } from '../../components/spinner.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMoney, moneyLines } from '../../lib/format.js';
import { plural, useI18n } from '../../lib/i18n.js';
import { startPage } from '../../lib/page.js';
import './messages.js';
import './obligations.css';
import { CreditCard } from './credit-card.js';
import { CreditEditor } from './credit-editor.js';
import { EarlyRepaymentDialog } from './early-repayment.js';
import { errorText, useSubmit } from '../../lib/forms.js';
import { ObligationEditor, PaymentsList } from './payments-list.js';
import { ScheduleView } from './schedule-view.js';
import type { CreditBlock, Obligation, ObligationMonth, ObligationsSummary } from './types.js';

type Dialog =
  | { kind: 'credit'; id?: string }
  | { kind: 'schedule'; id: string }
  | { kind: 'early'; id: string }
  | { kind: 'obligation'; obligation?: Obligation };

function SummaryTiles({ summary }: { summary: ObligationsSummary }) {
  const { t } = useI18n();
  const { credits } = summary;
  const base = useCurrentUser()?.baseCurrency ?? 'RUB';
  const by = (field: 'debt' | 'paid' | 'remaining' | 'penalty') =>
    moneyLines(
      credits.byCurrency.map((c) => ({ currency: c.currency, amount: c[field] })),
      base,
    );
  const hint = (...parts: (string | undefined)[]) => parts.filter(Boolean).join(' · ') || undefined;
  const debt = by('debt');
  const paid = by('paid');
  const remaining = by('remaining');
  const penalty = by('penalty');
  const hasPenalty = credits.byCurrency.some((c) => c.penalty !== '0.00');
  const upcoming = moneyLines(
    summary.upcomingTotals.map((u) => ({ currency: u.currency, amount: u.total })),
    base,
  );
  return (
    <div class="tiles" data-testid="summary-tiles">
      <KpiTile label={t('obl.tile.debt')} value={debt.main} hint={debt.rest} testId="tile-debt" />
      <KpiTile
        label={t('obl.tile.credits')}
        value={String(credits.count)}
        hint={
          credits.overduePayments > 0
            ? t('obl.tile.overdue', { count: plural('obl.count.payments', credits.overduePayments) })
            : t('obl.tile.creditsHint')
        }
        testId="tile-credits"
      />
      <KpiTile label={t('obl.tile.paid')} value={paid.main} hint={paid.rest} testId="tile-paid" />
      <KpiTile
        label={t('obl.tile.remaining')}
        value={remaining.main}
        hint={hint(remaining.rest, t('obl.tile.remainingHint'))}
        testId="tile-remaining"
      />
      <KpiTile
        label={t('obl.tile.upcoming')}
        value={upcoming.main}
        hint={upcoming.rest}
        testId="tile-upcoming"
      />
      {hasPenalty && (
        <KpiTile
          label={t('obl.tile.penalty')}
          value={penalty.main}
          hint={hint(penalty.rest, t('obl.tile.penaltyHint'))}
          testId="tile-penalty"
        />
      )}
    </div>
  );
}

/**
 * Every overdue payment, credits and mandatory ones, with the same counts as the credits tile and
 * each credit's card (a credit payment is overdue when unpaid and due before today).
 */
function OverdueBanner(props: {
  summary: ObligationsSummary;
  onCredit: (id: string) => void;
  onObligation: (o: Obligation) => void;
}) {
  const { t } = useI18n();
  const { credits, obligations } = props.summary;
  if (credits.overduePayments === 0 && obligations.overdueCount === 0) return null;
  return (
    <div class="banner warning" role="status" data-testid="overdue-banner">
      {credits.overduePayments > 0 && (
        <>
          <strong>
            {t('obl.overdue.credits', { count: plural('obl.count.payments', credits.overduePayments) })}
          </strong>
          <ul class="obl-overdue">
            {credits.overdue.slice(0, 5).map((p) => (
              <li key={`${p.id}-${p.number}`}>
                <button class="btn-link" type="button" onClick={() => props.onCredit(p.id)}>
                  {t('obl.overdue.credit', { title: p.title, n: p.number })}
                </button>{' '}
                — {formatDate(p.date)}, {formatMoney(p.amount, p.currency)}
                {p.penalty !== '0.00' &&
                  `, ${t('obl.overdue.penalty', { amount: formatMoney(p.penalty, p.currency) })}`}
              </li>
            ))}
          </ul>
        </>
      )}
      {obligations.overdueCount > 0 && (
        <>
          <strong>
            {t('obl.overdue.obligations', { count: plural('obl.count.payments', obligations.overdueCount) })}
          </strong>
          <ul class="obl-overdue">
            {obligations.overdue.slice(0, 5).map((o) => (
              <li key={o.id}>
                <button class="btn-link" type="button" onClick={() => props.onObligation(o)}>
                  {o.title}
                </button>{' '}
                — {formatDate(o.dueDate)}, {formatMoney(o.amount, o.currency)}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Upcoming({ summary }: { summary: ObligationsSummary }) {
  const { t } = useI18n();
  return (
    <section class="card" data-testid="upcoming-card">
      <h2>{t('obl.upcoming')}</h2>
      {summary.upcoming.length === 0 ? (
        <p class="muted">{t('obl.upcoming.empty')}</p>
      ) : (
        <ul class="obl-list">
          {summary.upcoming.map((u) => (
            <li key={`${u.source}-${u.id}-${u.number ?? ''}-${u.date}`}>
              <span class="obl-date">{formatDate(u.date)}</span>
              <div class="obl-list-main">
                <span class="obl-list-title">{u.title}</span>
                <span class="muted obl-small">
                  {u.source === 'credit'
                    ? t('obl.upcoming.number', { n: u.number ?? '' })
                    : t('obl.upcoming.payment')}
                </span>
              </div>
              <span class="num obl-list-amount">{formatMoney(u.amount, u.currency)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Page() {
  const { t } = useI18n();
  const today = useToday();
  const [summary, setSummary] = useState<ObligationsSummary>();
  const [blocks, setBlocks] = useState<CreditBlock[]>();
  const [month, setMonth] = useState<string>();
  const [view, setView] = useState<ObligationMonth>();
  const [failed, setFailed] = useState<string>();
  const [version, setVersion] = useState(0);
  const [dialog, setDialog] = useState<Dialog>();
  const [deleting, setDeleting] = useState<CreditBlock | null>(null);
  const reload = () => setVersion((v) => v + 1);

  useEffect(() => {
    Promise.all([api.get('/budget/obligations/summary'), api.get('/budget/obligation-blocks')]).then(
      ([s, b]) => {
        setSummary(s);
        setBlocks(b);
        setFailed(undefined);
      },
      (err: unknown) => setFailed(errorText(err)),
    );
  }, [version]);

  useEffect(() => {
    api
      .get('/budget/obligations', { query: { month } })
      .then(setView, (err: unknown) => setFailed(errorText(err)));
  }, [month, version]);

  const blockOf = (id: string) => blocks?.find((b) => b.id === id);
  const close = () => setDialog(undefined);
  const saved = () => {
    close();
    reload();
  };
  const { run } = useSubmit();
  const removeBlock = (block: CreditBlock) =>
    void run({
      send: () => api.del('/budget/obligation-blocks/{id}', { path: { id: block.id } }),
      success: t('obl.card.deleted'),
      done: reload,
    });

  const active = dialog && 'id' in dialog && dialog.id !== undefined ? blockOf(dialog.id) : undefined;

  return (
    <Layout
      page="obligations"
      title={t('nav.obligations')}
      actions={
        <>
          <button class="btn btn-primary" type="button" onClick={() => setDialog({ kind: 'credit' })}>
            + {t('obl.addCredit')}
          </button>
          <button class="btn" type="button" onClick={() => setDialog({ kind: 'obligation' })}>
            + {t('obl.addPayment')}
          </button>
        </>
      }
    >
      {failed && <ErrorState message={failed} onRetry={reload} />}
      {!summary && !failed && <Spinner />}
      {summary && blocks && (
        <>
          <SummaryTiles summary={summary} />
          <OverdueBanner
            summary={summary}
            onCredit={(id) => setDialog({ kind: 'schedule', id })}
            onObligation={(o) => setDialog({ kind: 'obligation', obligation: o })}
          />

          <section class="obl-section">
            <h2>{t('obl.credits')}</h2>
            {blocks.length === 0 ? (
              <div class="card">
                <EmptyState
                  title={t('obl.noCredits')}
                  text={t('obl.noCreditsText')}
                  action={
                    <button
                      class="btn btn-primary"
                      type="button"
                      onClick={() => setDialog({ kind: 'credit' })}
                    >
                      + {t('obl.addCredit')}
                    </button>
                  }
                />
              </div>
            ) : (
              <div class="obl-credits">
                {blocks.map((b) => (
                  <CreditCard
                    key={b.id}
                    block={b}
                    onSchedule={() => setDialog({ kind: 'schedule', id: b.id })}
                    onEarly={() => setDialog({ kind: 'early', id: b.id })}
                    onEdit={() => setDialog({ kind: 'credit', id: b.id })}
                    onDelete={() => setDeleting(b)}
                  />
                ))}
              </div>
            )}
          </section>

          <div class="grid-2">
            <PaymentsList
              view={view}
              onMonth={setMonth}
              onEdit={(o) => setDialog({ kind: 'obligation', obligation: o })}
              onChanged={reload}
            />
            <Upcoming summary={summary} />
          </div>
        </>
      )}

      {dialog?.kind === 'credit' && <CreditEditor block={active} onClose={close} onSaved={saved} />}
      {dialog?.kind === 'schedule' && active && (
        <ScheduleView block={active} onClose={close} onChanged={reload} />
      )}
      {dialog?.kind === 'early' && active && (
        <EarlyRepaymentDialog block={active} today={summary?.today} onClose={close} onSaved={saved} />
      )}
      {dialog?.kind === 'obligation' && (
        <ObligationEditor
          obligation={dialog.obligation}
          defaultDate={
            !view ? today : view.month === view.today.slice(0, 7) ? view.today : `${view.month}-01`
          }
          onClose={close}
          onSaved={saved}
        />
      )}
      <Confirm
        text={deleting ? t('obl.card.deleteConfirm', { title: deleting.title }) : null}
        onConfirm={() => deleting && removeBlock(deleting)}
        onClose={() => setDeleting(null)}
      />
    </Layout>
  );
}

startPage(<Page />);
