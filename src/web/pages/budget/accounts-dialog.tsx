import { useEffect, useRef, useState } from 'preact/hooks';
import { DialogButtons, Modal } from '../../components/modal.js';
import { api, ApiError } from '../../lib/api.js';
import { formatMoney } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { Confirm } from '../../components/confirm.js';
import { errorText, Field, formatErrors, toDecimal, useSubmit } from '../../lib/forms.js';
import { toInput } from './forms.js';
import type { Account, AccountKind } from './types.js';

const KINDS: AccountKind[] = ['card', 'cash', 'savings', 'deposit', 'credit_card'];
const CURRENCIES = ['RUB', 'USD', 'EUR', 'CNY', 'KZT', 'BYN', 'TRY', 'AED', 'GBP', 'CHF'];

function AccountForm(props: {
  account?: Account;
  baseCurrency: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t, locale } = useI18n();
  const a = props.account;
  const [name, setName] = useState(a?.name ?? '');
  const [kind, setKind] = useState<AccountKind>(a?.kind ?? 'card');
  const [currency, setCurrency] = useState(a?.currency ?? props.baseCurrency);
  const [opening, setOpening] = useState(a ? toInput(a.openingBalance, locale) : '');
  const { busy, errors, run } = useSubmit();

  function save(e: Event) {
    e.preventDefault();
    const openingBalance = opening.trim() === '' ? '0' : toDecimal(opening).replace('−', '-');
    const body = { name, kind, currency: currency.trim().toUpperCase(), openingBalance };
    void run({
      check: () => formatErrors({ currency: ['currency', body.currency] }),
      send: () =>
        a
          ? api.patch('/budget/accounts/{id}', { path: { id: a.id }, body })
          : api.post('/budget/accounts', { body }),
      success: t('budget.acc.saved'),
      done: props.onDone,
    });
  }

  return (
    <form noValidate id="account-form" class="card budget-form" onSubmit={save} data-testid="account-form">
      <div class="form-row">
        <Field id="acc-name" label={t('budget.acc.name')} error={errors.name}>
          <input maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <div class="field">
          <label for="acc-kind">{t('budget.acc.kind')}</label>
          <select id="acc-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as AccountKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`budget.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="form-row">
        <Field
          id="acc-currency"
          label={t('budget.acc.currency')}
          error={errors.currency}
          errorTestId="acc-currency-error"
          after={
            <datalist id="acc-currencies">
              {CURRENCIES.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          }
        >
          <input
            list="acc-currencies"
            maxLength={3}
            value={currency}
            onInput={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
          />
        </Field>
        <Field id="acc-opening" label={t('budget.acc.opening')} error={errors.openingBalance}>
          <input
            inputMode="decimal"
            placeholder="0"
            value={opening}
            onInput={(e) => setOpening(e.currentTarget.value)}
          />
        </Field>
      </div>
      <div class="row" style="justify-content:flex-end">
        <DialogButtons
          formId="account-form"
          onCancel={props.onCancel}
          busy={busy}
          submitTestId="account-save"
        />
      </div>
    </form>
  );
}

/** Accounts with their balances: add, edit, archive or restore, delete when there is no history. */
export function AccountsDialog(props: {
  accounts: Account[];
  baseCurrency: string;
  startAdding: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<Account | 'new' | null>(props.startAdding ? 'new' : null);
  // When the form closes its buttons are gone: focus goes back to "+ Account", not to the page.
  const addButton = useRef<HTMLButtonElement>(null);
  const formWasOpen = useRef(editing !== null);
  useEffect(() => {
    if (editing === null && formWasOpen.current) addButton.current?.focus();
    formWasOpen.current = editing !== null;
  }, [editing]);
  const [deleting, setDeleting] = useState<Account | null>(null);

  const { run } = useSubmit();

  const archive = (a: Account, archived: boolean) =>
    void run({
      send: () => api.patch('/budget/accounts/{id}', { path: { id: a.id }, body: { archived } }),
      done: props.onChanged,
    });

  const remove = (a: Account) =>
    void run({
      send: () => api.del('/budget/accounts/{id}', { path: { id: a.id } }),
      success: t('budget.acc.deleted'),
      done: props.onChanged,
      explain: (err) =>
        err instanceof ApiError && err.code === 'ACCOUNT_HAS_TRANSACTIONS'
          ? t('budget.acc.hasTransactions')
          : errorText(err),
    });

  return (
    <Modal open wide title={t('budget.acc.title')} onClose={props.onClose}>
      {editing !== null ? (
        <AccountForm
          key={editing === 'new' ? 'new' : editing.id}
          account={editing === 'new' ? undefined : editing}
          baseCurrency={props.baseCurrency}
          onCancel={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            props.onChanged();
          }}
        />
      ) : (
        <div class="row" style="margin-bottom:0.75rem">
          <button
            class="btn btn-primary"
            type="button"
            onClick={() => setEditing('new')}
            data-testid="account-add"
            ref={addButton}
          >
            {t('budget.acc.add')}
          </button>
        </div>
      )}
      {props.accounts.length === 0 ? (
        <p class="muted">{t('budget.acc.none')}</p>
      ) : (
        <ul class="budget-list budget-manage" data-testid="account-list">
          {props.accounts.map((a) => (
            <li key={a.id} class={a.archived ? 'budget-archived' : ''}>
              <div class="budget-list-name">
                <div>{a.name}</div>
                <div class="muted budget-sub">
                  {t(`budget.kind.${a.kind}`)} · {a.currency} ·{' '}
                  {t('budget.acc.transactions', { n: a.transactionCount })}
                  {a.archived && <span class="badge"> {t('budget.acc.archived')}</span>}
                </div>
              </div>
              <span class={`num ${a.balance.startsWith('-') ? 'negative' : ''}`}>
                {formatMoney(a.balance, a.currency)}
              </span>
              <div class="budget-actions">
                <button class="btn btn-sm" type="button" onClick={() => setEditing(a)}>
                  {t('action.edit')}
                </button>
                <button class="btn btn-sm" type="button" onClick={() => archive(a, !a.archived)}>
                  {a.archived ? t('budget.acc.restore') : t('budget.acc.archive')}
                </button>
                <button class="btn btn-sm btn-danger" type="button" onClick={() => setDeleting(a)}>
                  {t('action.delete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <Confirm
        text={deleting ? t('budget.acc.deleteConfirm', { name: deleting.name }) : null}
        onConfirm={() => deleting && remove(deleting)}
        onClose={() => setDeleting(null)}
      />
    </Modal>
  );
}
