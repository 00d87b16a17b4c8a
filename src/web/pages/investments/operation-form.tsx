import { useState } from 'preact/hooks';
import { DialogButtons, Modal } from '../../components/modal.js';
import { useToday } from '../../components/layout.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { useI18n } from '../../lib/i18n.js';
import { errorText, fieldErrors, formatErrors, toDecimal } from '../../lib/forms.js';
import { formatQuantity } from './forms.js';
import type { Position, ValuedPortfolio } from './types.js';

export const OPERATION_TYPES = [
  'buy',
  'sell',
  'dividend',
  'coupon',
  'bond_redemption',
  'split',
  'fee',
  'tax',
  'deposit',
  'withdrawal',
  'transfer_in',
  'transfer_out',
  'income',
] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];

type Field = 'asset' | 'quantity' | 'price' | 'amount' | 'commission' | 'accruedInterest' | 'currency';

/** What each type asks for; `asset` is optional for a fee or a tax, absent for cash moves. */
const FIELDS: Record<OperationType, Field[]> = {
  buy: ['asset', 'quantity', 'price', 'commission', 'accruedInterest'],
  sell: ['asset', 'quantity', 'price', 'commission', 'accruedInterest'],
  dividend: ['asset', 'amount'],
  coupon: ['asset', 'amount'],
  bond_redemption: ['asset', 'quantity', 'amount'],
  split: ['asset', 'quantity'],
  fee: ['asset', 'amount'],
  tax: ['asset', 'amount'],
  deposit: ['amount', 'currency'],
  withdrawal: ['amount', 'currency'],
  transfer_in: ['asset', 'quantity', 'amount'],
  transfer_out: ['asset', 'quantity'],
  income: ['asset', 'amount'],
};
const OPTIONAL_ASSET: ReadonlySet<OperationType> = new Set(['fee', 'tax', 'income']);
const CURRENCIES = ['RUB', 'USD', 'EUR', 'CNY'];

const assetKey = (p: Position) =>
  p.instrumentUid !== null ? `i:${p.instrumentUid}` : `m:${p.manualAssetId ?? ''}`;

/** Records any operation the API knows, showing only the fields its type needs. */
export function NewOperationDialog(props: {
  portfolios: ValuedPortfolio[];
  baseCurrency: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const manual = props.portfolios.filter((p) => p.kind === 'manual');
  const choices = manual.length > 0 ? manual : props.portfolios;
  const [type, setType] = useState<OperationType>('buy');
  const [portfolioId, setPortfolioId] = useState(choices[0]?.id ?? '');
  const [asset, setAsset] = useState('');
  const [quantity, setQuantity] = useState('');
  const [price, setPrice] = useState('');
  const [amount, setAmount] = useState('');
  const [commission, setCommission] = useState('');
  const [aci, setAci] = useState('');
  const [currency, setCurrency] = useState(props.baseCurrency);
  const today = useToday();
  const [date, setDate] = useState(today);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const portfolio = props.portfolios.find((p) => p.id === portfolioId);
  // Every security the portfolio has held (a dividend may come after the last sale); cash lines are not.
  const assets = (portfolio?.positions ?? []).filter((p) => p.cashCurrency === null);
  const picked =
    assets.find((p) => assetKey(p) === asset) ?? (OPTIONAL_ASSET.has(type) ? undefined : assets[0]);
  const fields = new Set(FIELDS[type]);
  if (picked?.kind !== 'bond') fields.delete('accruedInterest');
  // A fee or tax not tied to a security is in a currency of its own choosing.
  if (OPTIONAL_ASSET.has(type) && !picked) fields.add('currency');
  const shows = (f: Field) => fields.has(f);

  const submit = async (e: Event) => {
    e.preventDefault();
    const local = formatErrors({ date: ['date', date] });
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    setError(undefined);
    const decimal = (f: Field, value: string) =>
      shows(f) && value.trim() !== '' ? { [f]: toDecimal(value) } : {};
    const body = {
      type,
      date,
      ...(shows('asset') && picked
        ? picked.instrumentUid !== null
          ? { instrumentId: picked.instrumentUid }
          : { manualAssetId: picked.manualAssetId! }
        : {}),
      ...decimal('quantity', quantity),
      ...decimal('price', price),
      ...decimal('amount', amount),
      ...decimal('commission', commission),
      ...decimal('accruedInterest', aci),
      ...(shows('currency') ? { currency } : {}),
      ...(note.trim() !== '' ? { note: note.trim() } : {}),
    };
    try {
      await api.post('/portfolios/{id}/operations', { path: { id: portfolioId }, body });
      toast.success(t('inv.op.added'));
      props.onSaved();
    } catch (err) {
      const found = fieldErrors(err);
      // The asset is named by one of two ids; the form has one field for it.
      const asField = found.instrumentId ?? found.manualAssetId;
      if (asField) found.asset = asField;
      setErrors(found);
      const placed = Object.keys(found).some((f) => f === 'date' || f === 'note' || shows(f as Field));
      if (!placed) setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (f: string) =>
    errors[f] ? (
      <div class="field-error" id={`op-${f}-error`}>
        {errors[f]}
      </div>
    ) : null;
  const input = (id: Field, label: string, value: string, set: (v: string) => void, hint?: string) => (
    <div class="field">
      <label for={`op-${id}`}>{label}</label>
      <input
        id={`op-${id}`}
        inputMode="decimal"
        autocomplete="off"
        value={value}
        aria-invalid={errors[id] ? true : undefined}
        aria-describedby={errors[id] ? `op-${id}-error` : undefined}
        onInput={(e) => set(e.currentTarget.value)}
      />
      {hint && <div class="muted small">{hint}</div>}
      {fieldError(id)}
    </div>
  );

  return (
    <Modal
      open
      title={t('inv.op.new')}
      onClose={props.onClose}
      footer={
        <DialogButtons formId="new-operation" onCancel={props.onClose} busy={busy} submitTestId="op-save" />
      }
    >
      <form noValidate id="new-operation" onSubmit={(e) => void submit(e)}>
        <div class="form-row">
          <div class="field">
            <label for="op-type">{t('inv.op.type')}</label>
            <select
              id="op-type"
              value={type}
              onChange={(e) => {
                setType(e.currentTarget.value as OperationType);
                setErrors({});
                setError(undefined);
              }}
            >
              {OPERATION_TYPES.map((k) => (
                <option key={k} value={k}>
                  {t(`inv.op.${k}`)}
                </option>
              ))}
            </select>
          </div>
          {choices.length > 1 && (
            <div class="field">
              <label for="op-portfolio">{t('inv.modal.portfolio')}</label>
              <select
                id="op-portfolio"
                value={portfolioId}
                onChange={(e) => {
                  setPortfolioId(e.currentTarget.value);
                  setAsset('');
                }}
              >
                {choices.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        {shows('asset') && (
          <div class="field">
            <label for="op-asset">{t('inv.op.asset')}</label>
            {assets.length === 0 && !OPTIONAL_ASSET.has(type) ? (
              <p class="muted" id="op-asset">
                {t('inv.op.noAssets')}
              </p>
            ) : (
              <select
                id="op-asset"
                value={picked ? assetKey(picked) : ''}
                aria-invalid={errors.asset ? true : undefined}
                onChange={(e) => setAsset(e.currentTarget.value)}
              >
                {OPTIONAL_ASSET.has(type) && <option value="">{t('inv.op.assetNone')}</option>}
                {assets.map((p) => (
                  <option key={p.id} value={assetKey(p)}>
                    {p.ticker} · {p.name} ({t('inv.op.held', { quantity: formatQuantity(p.quantity) })})
                  </option>
                ))}
              </select>
            )}
            {fieldError('asset')}
          </div>
        )}
        <div class="form-row">
          {shows('quantity') &&
            input(
              'quantity',
              type === 'split' ? t('inv.op.multiplier') : t('inv.op.quantity'),
              quantity,
              setQuantity,
            )}
          {shows('price') &&
            input(
              'price',
              `${picked?.kind === 'bond' ? t('inv.modal.priceBond') : t('inv.op.price')}${picked ? `, ${picked.currency.toUpperCase()}` : ''}`,
              price,
              setPrice,
            )}
          {shows('amount') &&
            input(
              'amount',
              `${t('inv.op.amount')}${picked ? `, ${picked.currency.toUpperCase()}` : ''}`,
              amount,
              setAmount,
              type === 'fee' || type === 'tax'
                ? t('inv.op.amountHint')
                : type === 'income'
                  ? t('inv.op.incomeHint')
                  : undefined,
            )}
          {shows('currency') && (
            <div class="field">
              <label for="op-currency">{t('inv.op.currency')}</label>
              <select id="op-currency" value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
                {[...new Set([props.baseCurrency, ...CURRENCIES])].map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
              {fieldError('currency')}
            </div>
          )}
        </div>
        {(shows('commission') || shows('accruedInterest')) && (
          <div class="form-row">
            {shows('commission') && input('commission', t('inv.op.commission'), commission, setCommission)}
            {shows('accruedInterest') && input('accruedInterest', t('inv.op.aci'), aci, setAci)}
          </div>
        )}
        <div class="form-row">
          <div class="field">
            <label for="op-date">{t('inv.col.date')}</label>
            <input
              id="op-date"
              type="date"
              max={today}
              value={date}
              aria-invalid={errors.date ? true : undefined}
              onInput={(e) => setDate(e.currentTarget.value)}
            />
            {fieldError('date')}
          </div>
          <div class="field">
            <label for="op-note">{t('inv.op.note')}</label>
            <input
              id="op-note"
              maxLength={500}
              value={note}
              onInput={(e) => setNote(e.currentTarget.value)}
            />
            {fieldError('note')}
          </div>
        </div>
        {error && (
          <div class="banner error" role="alert">
            {error}
          </div>
        )}
      </form>
    </Modal>
  );
}
