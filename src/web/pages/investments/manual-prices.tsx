import { useEffect, useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { DialogButtons, Modal } from '../../components/modal.js';
import { ApiError, api } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { errorText, fieldErrors, localToday, toDecimal } from '../../lib/forms.js';
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
  const [date, setDate] = useState(localToday());
  const [price, setPrice] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
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
    setDate(localToday());
    setPrice('');
  };
  const changed = async () => {
    reset();
    await load();
    props.onChanged();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setError(undefined);
    const body = { date, price: toDecimal(price) };
    try {
      if (editing)
        await api.patch('/manual-assets/{id}/prices/{priceId}', {
          path: { id: assetId, priceId: editing.id },
          body,
        });
      else await api.post('/manual-assets/{id}/prices', { path: { id: assetId }, body });
      await changed();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'MANUAL_PRICE_EXISTS')
        setErrors({ date: t('inv.prices.exists', { date: formatDate(date) }) });
      else {
        const fields = fieldErrors(err);
        setErrors(fields);
        if (!fields.date && !fields.price) setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const remove = async (p: ManualPrice) => {
    try {
      await api.del('/manual-assets/{id}/prices/{priceId}', { path: { id: assetId, priceId: p.id } });
      await changed();
    } catch (err) {
      setError(errorText(err));
    }
  };

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
      <form noValidate id="manual-price-form" class="inv-price-form" onSubmit={(e) => void submit(e)}>
        <div class="field">
          <label for="manual-price-date">{t('inv.col.date')}</label>
          <input
            id="manual-price-date"
            type="date"
            max={localToday()}
            value={date}
            aria-invalid={errors.date ? true : undefined}
            onInput={(e) => setDate(e.currentTarget.value)}
          />
          {errors.date && <div class="field-error">{errors.date}</div>}
        </div>
        <div class="field">
          <label for="manual-price-value">{t('inv.prices.price', { currency })}</label>
          <input
            id="manual-price-value"
            inputMode="decimal"
            autocomplete="off"
            value={price}
            aria-invalid={errors.price ? true : undefined}
            onInput={(e) => setPrice(e.currentTarget.value)}
          />
          {errors.price && <div class="field-error">{errors.price}</div>}
        </div>
        {editing && (
          <button class="btn btn-sm" type="button" onClick={reset}>
            {t('inv.prices.new')}
          </button>
        )}
      </form>
      {error && (
        <div class="banner error" role="alert">
          {error}
        </div>
      )}
      <Confirm
        text={deleting ? t('inv.prices.confirmDelete', { date: formatDate(deleting.date) }) : null}
        onConfirm={() => deleting && void remove(deleting)}
        onClose={() => setDeleting(undefined)}
      />
    </Modal>
  );
}
