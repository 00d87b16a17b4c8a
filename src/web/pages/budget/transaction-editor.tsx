import { useState } from 'preact/hooks';
import { DialogButtons, Modal } from '../../components/modal.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { useI18n } from '../../lib/i18n.js';
import { errorText, fieldErrors, formatErrors, toDecimal } from '../../lib/forms.js';
import { toInput } from './forms.js';
import type { Account, Category, Transaction, TransactionType } from './types.js';

const AMOUNT = /^\d+(\.\d{1,2})?$/;

/** Category options of one kind: each group, then its categories. */
export function CategoryOptions({
  categories,
  kind,
  flat = false,
}: {
  categories: Category[];
  kind: 'income' | 'expense';
  /** Groups as options with their categories indented: for a list already inside an optgroup. */
  flat?: boolean;
}) {
  const groups = categories.filter((c) => c.kind === kind && c.parentId === null);
  if (flat)
    // Browsers drop an optgroup inside an optgroup with everything in it: indent instead.
    return (
      <>
        {groups.flatMap((g) => [
          <option key={g.id} value={g.id}>
            {g.name}
          </option>,
          ...categories
            .filter((c) => c.parentId === g.id)
            .map((c) => (
              <option key={c.id} value={c.id}>
                {`\u00a0\u00a0\u00a0\u00a0${c.name}`}
              </option>
            )),
        ])}
      </>
    );
  return (
    <>
      {groups.map((g) => {
        const children = categories.filter((c) => c.parentId === g.id);
        return children.length === 0 ? (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ) : (
          <optgroup key={g.id} label={g.name}>
            <option value={g.id}>{g.name}</option>
            {children.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </optgroup>
        );
      })}
    </>
  );
}

/** Add or edit an income, an expense or a transfer. */
export function TransactionEditor(props: {
  transaction?: Transaction;
  accounts: Account[];
  categories: Category[];
  defaultDate: string;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, locale } = useI18n();
  const tx = props.transaction;
  // Archived accounts and deleted categories stay selectable only on the transaction that has them.
  const accounts = props.accounts.filter(
    (a) => !a.archived || a.id === tx?.accountId || a.id === tx?.toAccountId,
  );
  const categories = props.categories.filter((c) => !c.deleted || c.id === tx?.categoryId);
  const [type, setType] = useState<TransactionType>(tx?.type ?? 'expense');
  const [amount, setAmount] = useState(tx ? toInput(tx.amount, locale) : '');
  const [accountId, setAccountId] = useState(tx?.accountId ?? accounts[0]?.id ?? '');
  const [toAccountId, setToAccountId] = useState(
    tx?.toAccountId ?? accounts.find((a) => a.id !== accountId)?.id ?? '',
  );
  const [amountReceived, setAmountReceived] = useState(
    tx?.amountReceived ? toInput(tx.amountReceived, locale) : '',
  );
  const [categoryId, setCategoryId] = useState(tx?.categoryId ?? '');
  const [date, setDate] = useState(tx?.date ?? props.defaultDate);
  const [description, setDescription] = useState(tx?.description ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const from = accounts.find((a) => a.id === accountId);
  const to = accounts.find((a) => a.id === toAccountId);
  const crossCurrency =
    type === 'transfer' && from !== undefined && to !== undefined && from.currency !== to.currency;
  const category = categories.find((c) => c.id === categoryId);

  const changeType = (next: TransactionType) => {
    setType(next);
    if (category && category.kind !== next) setCategoryId('');
    setErrors({});
  };

  async function save(e: Event) {
    e.preventDefault();
    const local: Record<string, string> = formatErrors({ date: ['date', date] });
    const value = toDecimal(amount);
    if (!AMOUNT.test(value) || /^0+(\.0+)?$/.test(value)) local.amount = t('budget.editor.badAmount');
    const received = toDecimal(amountReceived);
    if (crossCurrency && (!AMOUNT.test(received) || /^0+(\.0+)?$/.test(received))) {
      local.amountReceived = t('budget.editor.badAmount');
    }
    if (Object.keys(local).length > 0) return setErrors(local);
    const body = {
      type,
      date,
      accountId,
      amount: value,
      description,
      ...(type === 'transfer'
        ? { toAccountId, ...(crossCurrency ? { amountReceived: received } : {}) }
        : { categoryId: categoryId === '' ? null : categoryId }),
    };
    setSaving(true);
    try {
      if (tx) {
        await api.patch('/budget/transactions/{id}', {
          path: { id: tx.id },
          body: {
            ...body,
            ...(type === 'transfer' ? { categoryId: null } : { toAccountId: null, amountReceived: null }),
            // The instant stays only while the day is unchanged.
            ...(tx.occurredAt !== null && date !== tx.date ? { occurredAt: null } : {}),
          },
        });
      } else {
        await api.post('/budget/transactions', { body });
      }
      toast.success(t('budget.tx.saved'));
      props.onSaved();
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) toast.error(errorText(err));
    } finally {
      setSaving(false);
    }
  }

  const error = (field: string) =>
    errors[field] ? (
      <span class="field-error" id={`tx-${field}-error`}>
        {errors[field]}
      </span>
    ) : null;

  return (
    <Modal
      open
      title={tx ? t('budget.editor.edit') : t('budget.editor.new')}
      onClose={props.onClose}
      footer={
        <DialogButtons formId="tx-form" onCancel={props.onClose} busy={saving} submitTestId="tx-save" />
      }
    >
      <form noValidate id="tx-form" onSubmit={(e) => void save(e)}>
        <div class="tabs" role="tablist">
          {(['expense', 'income', 'transfer'] as const).map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={type === k}
              onClick={() => changeType(k)}
              data-testid={`tx-type-${k}`}
            >
              {t(`budget.type.${k}`)}
            </button>
          ))}
        </div>
        {accounts.length === 0 && <div class="banner warning">{t('budget.editor.needAccount')}</div>}
        <div class="form-row">
          <div class="field">
            <label for="tx-amount">
              {t('budget.editor.amount')}
              {from ? `, ${from.currency}` : ''}
            </label>
            <input
              id="tx-amount"
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
              aria-invalid={errors.amount ? true : undefined}
            />
            {error('amount')}
          </div>
          <div class="field">
            <label for="tx-date">{t('budget.editor.date')}</label>
            <input id="tx-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
            {error('date')}
          </div>
        </div>
        <div class="form-row budget-wide-row">
          <div class="field">
            <label for="tx-account">
              {type === 'transfer' ? t('budget.editor.fromAccount') : t('budget.editor.account')}
            </label>
            <select
              id="tx-account"
              value={accountId}
              onChange={(e) => {
                const next = e.currentTarget.value;
                setAccountId(next);
                if (next === toAccountId) setToAccountId(accounts.find((a) => a.id !== next)?.id ?? '');
              }}
            >
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name} ({a.currency})
                </option>
              ))}
            </select>
            {error('accountId')}
          </div>
          {type === 'transfer' ? (
            <div class="field">
              <label for="tx-to-account">{t('budget.editor.toAccount')}</label>
              <select
                id="tx-to-account"
                value={toAccountId}
                onChange={(e) => setToAccountId(e.currentTarget.value)}
              >
                {accounts
                  .filter((a) => a.id !== accountId)
                  .map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name} ({a.currency})
                    </option>
                  ))}
              </select>
              {error('toAccountId')}
            </div>
          ) : (
            <div class="field">
              <label for="tx-category">{t('budget.editor.category')}</label>
              <select
                id="tx-category"
                value={categoryId}
                onChange={(e) => setCategoryId(e.currentTarget.value)}
              >
                <option value="">{t('budget.editor.noCategory')}</option>
                <CategoryOptions categories={categories} kind={type} />
              </select>
              {error('categoryId')}
            </div>
          )}
        </div>
        {crossCurrency && to && (
          <div class="field">
            <label for="tx-received">{t('budget.editor.amountReceived', { currency: to.currency })}</label>
            <input
              id="tx-received"
              inputMode="decimal"
              autoComplete="off"
              value={amountReceived}
              onInput={(e) => setAmountReceived(e.currentTarget.value)}
            />
            {error('amountReceived')}
          </div>
        )}
        <div class="field">
          <label for="tx-description">{t('budget.editor.description')}</label>
          <input
            id="tx-description"
            maxLength={500}
            value={description}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
          {error('description')}
        </div>
      </form>
    </Modal>
  );
}
