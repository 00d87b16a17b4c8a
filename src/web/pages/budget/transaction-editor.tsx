import { useState } from 'preact/hooks';
import { DialogButtons, Modal } from '../../components/modal.js';
import { api } from '../../lib/api.js';
import { useI18n } from '../../lib/i18n.js';
import { Field, formatErrors, toDecimal, useSubmit } from '../../lib/forms.js';
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
  const { busy, errors, setErrors, run } = useSubmit();

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

  function save(e: Event) {
    e.preventDefault();
    const value = toDecimal(amount);
    const received = toDecimal(amountReceived);
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
    void run({
      check: () => {
        const local = formatErrors({ date: ['date', date] });
        if (!AMOUNT.test(value) || /^0+(\.0+)?$/.test(value)) local.amount = t('budget.editor.badAmount');
        if (crossCurrency && (!AMOUNT.test(received) || /^0+(\.0+)?$/.test(received)))
          local.amountReceived = t('budget.editor.badAmount');
        return local;
      },
      send: () =>
        tx
          ? api.patch('/budget/transactions/{id}', {
              path: { id: tx.id },
              body: {
                ...body,
                ...(type === 'transfer' ? { categoryId: null } : { toAccountId: null, amountReceived: null }),
                // The instant stays only while the day is unchanged.
                ...(tx.occurredAt !== null && date !== tx.date ? { occurredAt: null } : {}),
              },
            })
          : api.post('/budget/transactions', { body }),
      success: t('budget.tx.saved'),
      done: props.onSaved,
    });
  }

  return (
    <Modal
      open
      title={tx ? t('budget.editor.edit') : t('budget.editor.new')}
      onClose={props.onClose}
      footer={<DialogButtons formId="tx-form" onCancel={props.onClose} busy={busy} submitTestId="tx-save" />}
    >
      <form noValidate id="tx-form" onSubmit={save}>
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
          <Field
            id="tx-amount"
            label={
              <>
                {t('budget.editor.amount')}
                {from ? `, ${from.currency}` : ''}
              </>
            }
            error={errors.amount}
          >
            <input
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </Field>
          <Field id="tx-date" label={t('budget.editor.date')} error={errors.date}>
            <input type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          </Field>
        </div>
        <div class="form-row budget-wide-row">
          <Field
            id="tx-account"
            label={type === 'transfer' ? t('budget.editor.fromAccount') : t('budget.editor.account')}
            error={errors.accountId}
          >
            <select
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
          </Field>
          {type === 'transfer' ? (
            <Field id="tx-to-account" label={t('budget.editor.toAccount')} error={errors.toAccountId}>
              <select value={toAccountId} onChange={(e) => setToAccountId(e.currentTarget.value)}>
                {accounts
                  .filter((a) => a.id !== accountId)
                  .map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name} ({a.currency})
                    </option>
                  ))}
              </select>
            </Field>
          ) : (
            <Field id="tx-category" label={t('budget.editor.category')} error={errors.categoryId}>
              <select value={categoryId} onChange={(e) => setCategoryId(e.currentTarget.value)}>
                <option value="">{t('budget.editor.noCategory')}</option>
                <CategoryOptions categories={categories} kind={type} />
              </select>
            </Field>
          )}
        </div>
        {crossCurrency && to && (
          <Field
            id="tx-received"
            label={<>{t('budget.editor.amountReceived', { currency: to.currency })}</>}
            error={errors.amountReceived}
          >
            <input
              inputMode="decimal"
              autoComplete="off"
              value={amountReceived}
              onInput={(e) => setAmountReceived(e.currentTarget.value)}
            />
          </Field>
        )}
        <Field id="tx-description" label={t('budget.editor.description')} error={errors.description}>
          <input maxLength={500} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
      </form>
    </Modal>
  );
}
