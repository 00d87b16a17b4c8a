import { useState } from 'preact/hooks';
import { DialogButtons, Modal } from '../../components/modal.js';
import { useToday } from '../../components/layout.js';
import { api } from '../../lib/api.js';
import { useI18n } from '../../lib/i18n.js';
import { Field, formatErrors, toDecimal, useSubmit } from '../../lib/forms.js';
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

type OpField = 'asset' | 'quantity' | 'price' | 'amount' | 'commission' | 'accruedInterest' | 'currency';

/** What each type asks for; `asset` is optional for a fee or a tax, absent for cash moves. */
const FIELDS: Record<OperationType, OpField[]> = {
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
  const { busy, errors, setErrors, problem, run } = useSubmit({ inline: true });

  const portfolio = props.portfolios.find((p) => p.id === portfolioId);
  // Every security the portfolio has held (a dividend may come after the last sale); cash lines are not.
  const assets = (portfolio?.positions ?? []).filter((p) => p.cashCurrency === null);
  const picked =
    assets.find((p) => assetKey(p) === asset) ?? (OPTIONAL_ASSET.has(type) ? undefined : assets[0]);
  const fields = new Set(FIELDS[type]);
  if (picked?.kind !== 'bond') fields.delete('accruedInterest');
  // A fee or tax not tied to a security is in a currency of its own choosing.
  if (OPTIONAL_ASSET.has(type) && !picked) fields.add('currency');
  const shows = (f: OpField) => fields.has(f);

  const submit = (e: Event) => {
    e.preventDefault();
    const decimal = (f: OpField, value: string) =>
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
    void run({
      check: () => formatErrors({ date: ['date', date] }),
      send: () => api.post('/portfolios/{id}/operations', { path: { id: portfolioId }, body }),
      // The asset is named by one of two ids; the form has one field for it.
      fields: ['date', 'note', ...fields, 'instrumentId', 'manualAssetId'],
      success: t('inv.op.added'),
      done: props.onSaved,
    });
  };

  const input = (id: OpField, label: string, value: string, set: (v: string) => void, hint?: string) => (
    <Field
      id={`op-${id}`}
      label={label}
      error={errors[id]}
      after={hint && <div class="muted small">{hint}</div>}
    >
      <input
        inputMode="decimal"
        autocomplete="off"
        value={value}
        onInput={(e) => set(e.currentTarget.value)}
      />
    </Field>
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
      <form noValidate id="new-operation" onSubmit={submit}>
        <div class="form-row">
          <Field id="op-type" label={t('inv.op.type')}>
            <select
              value={type}
              onChange={(e) => {
                setType(e.currentTarget.value as OperationType);
                setErrors({});
              }}
            >
              {OPERATION_TYPES.map((k) => (
                <option key={k} value={k}>
                  {t(`inv.op.${k}`)}
                </option>
              ))}
            </select>
          </Field>
          {choices.length > 1 && (
            <Field id="op-portfolio" label={t('inv.modal.portfolio')}>
              <select
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
            </Field>
          )}
        </div>
        {shows('asset') &&
          (assets.length === 0 && !OPTIONAL_ASSET.has(type) ? (
            <div class="field">
              <label for="op-asset">{t('inv.op.asset')}</label>
              <p class="muted" id="op-asset">
                {t('inv.op.noAssets')}
              </p>
            </div>
          ) : (
            <Field
              id="op-asset"
              label={t('inv.op.asset')}
              error={errors.asset ?? errors.instrumentId ?? errors.manualAssetId}
            >
              <select
                value={picked ? assetKey(picked) : ''}
                onChange={(e) => setAsset(e.currentTarget.value)}
              >
                {OPTIONAL_ASSET.has(type) && <option value="">{t('inv.op.assetNone')}</option>}
                {assets.map((p) => (
                  <option key={p.id} value={assetKey(p)}>
                    {p.ticker} · {p.name} ({t('inv.op.held', { quantity: formatQuantity(p.quantity) })})
                  </option>
                ))}
              </select>
            </Field>
          ))}
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
            <Field id="op-currency" label={t('inv.op.currency')} error={errors.currency}>
              <select value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
                {[...new Set([props.baseCurrency, ...CURRENCIES])].map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </Field>
          )}
        </div>
        {(shows('commission') || shows('accruedInterest')) && (
          <div class="form-row">
            {shows('commission') && input('commission', t('inv.op.commission'), commission, setCommission)}
            {shows('accruedInterest') && input('accruedInterest', t('inv.op.aci'), aci, setAci)}
          </div>
        )}
        <div class="form-row">
          <Field id="op-date" label={t('inv.col.date')} error={errors.date}>
            <input type="date" max={today} value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          </Field>
          <Field id="op-note" label={t('inv.op.note')} error={errors.note}>
            <input maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </Field>
        </div>
        {problem && (
          <div class="banner error" role="alert">
            {problem}
          </div>
        )}
      </form>
    </Modal>
  );
}
