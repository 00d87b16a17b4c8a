import { formatDate, formatMoney, formatNumber } from '../../lib/format.js';
import { plural, useI18n } from '../../lib/i18n.js';
import { ProgressRing } from './ring.js';
import type { CreditBlock } from './types.js';

/** One credit: how much is repaid, what is left, the next payment and the key figures. */
export function CreditCard(props: {
  block: CreditBlock;
  onSchedule: () => void;
  onEarly: () => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const { t } = useI18n();
  const { block } = props;
  const { progress } = block;
  const money = (amount: string) => formatMoney(amount, block.currency);
  const next = progress.nextPayment;
  const closed = block.status === 'closed';

  return (
    <article class={`card obl-credit ${closed ? 'obl-closed' : ''}`} data-testid="credit-card">
      <header class="obl-credit-head">
        <div class="obl-credit-name">
          <h3>{block.title}</h3>
          <div class="row">
            <span class="badge">{t(`obl.kind.${block.kind}`)}</span>
            {closed && <span class="badge">{t('obl.status.closed')}</span>}
            <span class="muted obl-small">
              {t('obl.card.rate', {
                rate: formatNumber(
                  block.annualRatePercent,
                  block.annualRatePercent.split('.')[1]?.length ?? 0,
                ),
              })}{' '}
              · {t('obl.card.term', { n: block.termMonths })}
            </span>
          </div>
        </div>
      </header>

      <div class="obl-credit-body">
        <ProgressRing percent={progress.percentRepaid} label={t('obl.card.repaid')} />
        <dl class="obl-credit-main">
          <div>
            <dt>{t('obl.card.remaining')}</dt>
            <dd class="obl-big" data-testid="credit-remaining">
              {money(progress.remainingPrincipal)}
            </dd>
          </div>
          <div>
            <dt>{t('obl.card.next')}</dt>
            <dd data-testid="credit-next">
              {next ? (
                <>
                  <strong>{money(next.amount)}</strong>{' '}
                  <span class="muted">
                    {formatDate(next.date)} ·{' '}
                    {next.daysUntil === 0 ? t('obl.card.today') : t('obl.card.inDays', { n: next.daysUntil })}
                  </span>
                </>
              ) : (
                <span class="muted">{t('obl.card.nextNone')}</span>
              )}
            </dd>
          </div>
          {progress.overduePayments > 0 && (
            <div>
              <dd>
                <span class="badge negative" data-testid="credit-overdue">
                  {t('obl.card.overdue', { count: plural('obl.count.payments', progress.overduePayments) })}
                </span>
              </dd>
            </div>
          )}
        </dl>
      </div>

      <dl class="obl-figures">
        <div>
          <dt>{t('obl.card.paid')}</dt>
          <dd>{money(progress.paidTotal)}</dd>
        </div>
        <div>
          <dt>{t('obl.card.interest')}</dt>
          <dd>{money(progress.totalInterest)}</dd>
        </div>
        <div>
          <dt>{t('obl.card.payoff')}</dt>
          <dd>{formatDate(progress.payoffDate)}</dd>
        </div>
        {progress.penalty !== '0.00' && (
          <div>
            <dt>{t('obl.card.penalty')}</dt>
            <dd class="negative" data-testid="credit-penalty">
              {money(progress.penalty)}
            </dd>
          </div>
        )}
        {progress.interestSaved !== '0.00' && (
          <div>
            <dt>{t('obl.card.saved')}</dt>
            <dd class="positive" data-testid="credit-saved">
              {money(progress.interestSaved)}
            </dd>
          </div>
        )}
      </dl>
      {block.notes && <p class="muted obl-notes">{block.notes}</p>}

      <footer class="obl-credit-actions">
        <button class="btn btn-sm" type="button" onClick={props.onSchedule}>
          {t('obl.card.schedule')}
        </button>
        {!closed && (
          <button class="btn btn-sm" type="button" onClick={props.onEarly}>
            {t('obl.card.early')}
          </button>
        )}
        <button class="btn btn-sm btn-ghost" type="button" onClick={props.onEdit}>
          {t('action.edit')}
        </button>
        <button class="btn btn-sm btn-ghost btn-danger" type="button" onClick={props.onDelete}>
          {t('action.delete')}
        </button>
      </footer>
    </article>
  );
}
