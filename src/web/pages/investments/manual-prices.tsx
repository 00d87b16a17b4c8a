import { useEffect, useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { DialogButtons, Modal } from '../../components/modal.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { useToday } from '../../components/layout.js';
import { errorText, Field, formatErrors, toDecimal, useSubmit } from '../../lib/forms.js';
import { useI18n } from '../../lib/i18n.js';

import type { ManualPrice, Position } from './types.js';

/**
 * The price history of a hand-priced asset: the latest day values it, the earlier days are its
 * history. Add a day's price, change one (click it) or delete one.
 */
export function ManualPricesDialog(props: {
  position: Position;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const { position } = props;
  const assetId = position.manualAssetId!;
  const currency = position.currency.toUpperCase();
  const [items, setItems] = useState<ManualPrice[]>();
  const [editing, setEditing] = useState<ManualPrice>();
  const today = useToday();
  const [date, setDate] = useState(today);
  const [price, setPrice] = useState('');
  const [error, setError] = useState<string>();
  const { busy, errors, setErrors, problem, run } = useSubmit({ inline: true });
  const [deleting, setDeleting] = useState<ManualPrice>();

  const load = () =>
    api
      .get('/manual-assets/{id}/prices', { path: { id: assetId } })
      .then(setItems, (err: unknown) => setError(errorText(err)));
  useEffect(() => void load(), [assetId]);

  const startEdit = (p: ManualPrice) => {
    setEditing(p);
    setDate(p.date);
    setPrice(p.price);
    setErrors({});
    setError(undefined);
  };
  const reset = () => {
    setEditing(undefined);
    setDate(today);
    setPrice('');
  };
  const changed = async () => {
    reset();
    await load();
    props.onChanged();
  };

  const submit = (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const body = { date, price: toDecimal(price) };
    void run({
      check: () => formatErrors({ date: ['date', body.date], price: ['decimal', body.price] }),
      send: () =>
        editing
          ? api.patch('/manual-assets/{id}/prices/{priceId}', {
              path: { id: assetId, priceId: editing.id },
              body,
            })
          : api.post('/manual-assets/{id}/prices', { path: { id: assetId }, body }),
      done: () => void changed(),
    });
  };

  const remove = (p: ManualPrice) =>
    void run({
      send: () => api.del('/manual-assets/{id}/prices/{priceId}', { path: { id: assetId, priceId: p.id } }),
      done: () => void changed(),
    });

  return (
    <Modal
      open
      title={t('inv.prices.title', { ticker: position.ticker })}
      onClose={props.onClose}
      footer={
        <DialogButtons
          formId="manual-price-form"
          onCancel={props.onClose}
          busy={busy}
          submitLabel={editing ? t('action.save') : t('inv.prices.add')}
          submitTestId="manual-price-save"
        />
      }
    >
      <p class="muted small">{t('inv.prices.hint')}</p>
      {items === undefined && !error && <p class="muted">…</p>}
      {items !== undefined && items.length === 0 && <p class="muted">{t('inv.prices.empty')}</p>}
      {items !== undefined && items.length > 0 && (
        <ul class="inv-price-history" data-testid="manual-price-history">
          {items.map((p, i) => (
            <li key={p.id} class={editing?.id === p.id ? 'active' : undefined}>
              <button
                class="inv-price-entry"
                type="button"
                onClick={() => startEdit(p)}
                title={t('inv.prices.edit')}
              >
                <span>{formatDate(p.date)}</span>
                <b class="num">{formatMoney(p.price, currency, 2)}</b>
                {i === 0 && <span class="badge">{t('inv.prices.current')}</span>}
              </button>
              <button
                class="btn btn-sm"
                type="button"
                aria-label={`${t('action.delete')} ${formatDate(p.date)}`}
                onClick={() => setDeleting(p)}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      )}
      <form noValidate id="manual-price-form" class="inv-price-form" onSubmit={submit}>
        <Field id="manual-price-date" label={t('inv.col.date')} error={errors.date}>
          <input type="date" max={today} value={date} onInput={(e) => setDate(e.currentTarget.value)} />
        </Field>
        <Field id="manual-price-value" label={t('inv.prices.price', { currency })} error={errors.price}>
          <input
            inputMode="decimal"
            autocomplete="off"
            value={price}
            onInput={(e) => setPrice(e.currentTarget.value)}
          />
        </Field>
        {editing && (
          <button class="btn btn-sm" type="button" onClick={reset}>
            {t('inv.prices.new')}
          </button>
        )}
      </form>
      {(problem ?? error) && (
        <div class="banner error" role="alert">
          {problem ?? error}
        </div>
      )}
      <Confirm
        text={deleting ? t('inv.prices.confirmDelete', { date: formatDate(deleting.date) }) : null}
        onConfirm={() => deleting && remove(deleting)}
        onClose={() => setDeleting(undefined)}
      />
    </Modal>
  );
}
