import { useEffect, useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { ErrorState } from '../../components/empty-state.js';
import { Spinner } from '../../components/spinner.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { errorText, useSubmit } from '../../lib/forms.js';
import { useI18n } from '../../lib/i18n.js';
import { OperationDialog } from './add-asset.js';
import { formatQuantity } from './forms.js';
import { NewOperationDialog } from './operation-form.js';
import type { Operation, Overview } from './types.js';

export function OperationsSection(props: { overview: Overview; onChanged: () => void }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Operation[]>();
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<Operation>();
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<Operation>();
  const portfolios = props.overview.portfolios;
  const names = new Map(portfolios.map((p) => [p.id, p.name]));

  // Reloaded with each new overview: its list of portfolios is the one to read (one may be gone).
  useEffect(() => {
    let live = true;
    setError(undefined);
    Promise.all(
      portfolios.map((p) =>
        api.get('/portfolios/{id}/operations', { path: { id: p.id }, query: { limit: 200 } }),
      ),
    ).then(
      (pages) => {
        if (!live) return;
        const all = pages.flatMap((p) => p.items);
        all.sort((a, b) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt));
        setItems(all);
      },
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [props.overview]);

  const { run } = useSubmit();
  const remove = (op: Operation) =>
    void run({
      send: () => api.del('/operations/{id}', { path: { id: op.id } }),
      success: t('inv.op.deleted'),
      done: props.onChanged,
    });

  return (
    <section class="card" data-testid="operations">
      <div class="inv-head">
        <h2>{t('inv.operations')}</h2>
        {portfolios.length > 0 && (
          <button class="btn btn-sm" type="button" onClick={() => setAdding(true)}>
            {t('inv.op.new')}
          </button>
        )}
      </div>
      {error && <ErrorState message={error} />}
      {!items && !error && <Spinner />}
      {items && items.length === 0 && <p class="muted">{t('inv.operations.empty')}</p>}
      {items && items.length > 0 && (
        <div class="table-wrap inv-scroll">
          <table class="table table-cards">
            <thead>
              <tr>
                <th>{t('inv.col.date')}</th>
                <th>{t('inv.col.type')}</th>
                <th>{t('inv.col.asset')}</th>
                <th class="num">{t('inv.col.quantity')}</th>
                <th class="num">{t('inv.col.amount')}</th>
                {portfolios.length > 1 && <th>{t('inv.col.portfolio')}</th>}
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((op) => (
                <tr key={op.id}>
                  <td>{formatDate(op.date)}</td>
                  <td data-label={t('inv.col.type')}>{t(`inv.op.${op.type}`)}</td>
                  <td data-label={t('inv.col.asset')}>{op.ticker ?? '—'}</td>
                  {op.type === 'buy' || op.type === 'sell' ? (
                    <td class="num" data-label={t('inv.col.quantity')}>
                      {formatQuantity(op.quantity)}
                    </td>
                  ) : (
                    <td class="num" />
                  )}
                  <td class="num" data-label={t('inv.col.amount')}>
                    {formatMoney(op.amount, op.currency.toUpperCase())}
                  </td>
                  {portfolios.length > 1 && (
                    <td class="muted" data-label={t('inv.col.portfolio')}>
                      {names.get(op.portfolioId)}
                    </td>
                  )}
                  <td class="inv-row-actions">
                    <button
                      class="btn btn-sm"
                      type="button"
                      aria-label={t('action.edit')}
                      title={t('action.edit')}
                      onClick={() => setEditing(op)}
                    >
                      ✎
                    </button>
                    <button
                      class="btn btn-sm"
                      type="button"
                      aria-label={t('action.delete')}
                      title={t('action.delete')}
                      onClick={() => setDeleting(op)}
                    >
                      ✕
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <OperationDialog
          operation={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            props.onChanged();
          }}
        />
      )}
      {adding && (
        <NewOperationDialog
          portfolios={portfolios}
          baseCurrency={props.overview.baseCurrency}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            props.onChanged();
          }}
        />
      )}
      <Confirm
        text={
          deleting
            ? t('inv.op.confirmDelete', {
                date: formatDate(deleting.date),
                what: [
                  t(`inv.op.${deleting.type}`),
                  deleting.ticker,
                  formatMoney(deleting.amount, deleting.currency.toUpperCase()),
                ]
                  .filter(Boolean)
                  .join(' '),
              })
            : null
        }
        onConfirm={() => deleting && remove(deleting)}
        onClose={() => setDeleting(undefined)}
      />
    </section>
  );
}
