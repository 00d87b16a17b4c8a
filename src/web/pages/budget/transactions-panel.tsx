import { useEffect, useRef, useState } from 'preact/hooks';
import { EmptyState, ErrorState } from '../../components/empty-state.js';
import { Spinner } from '../../components/spinner.js';
import { api, download, query } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { useShortcut } from '../../lib/shortcuts.js';
import { Confirm } from '../../components/confirm.js';
import { monthBounds } from '../../../common/dates.js';
import { errorText, toDecimal, useDebounced, useSubmit } from '../../lib/forms.js';
import { CategoryOptions } from './transaction-editor.js';
import type { Account, Category, Transaction, TransactionType } from './types.js';

const PAGE = 50;
const AMOUNT = /^\d+(\.\d{1,2})?$/;

interface Filters {
  q: string;
  type: string;
  accountId: string;
  categoryId: string;
  amountMin: string;
  amountMax: string;
  allTime: boolean;
}
const NO_FILTERS: Filters = {
  q: '',
  type: '',
  accountId: '',
  categoryId: '',
  amountMin: '',
  amountMax: '',
  allTime: false,
};

/** The signed amount as the account sees it; a transfer shows what left and what arrived. */
function AmountCell({ tx }: { tx: Transaction }) {
  if (tx.type === 'transfer') {
    const sent = formatMoney(tx.amount, tx.currency);
    const received =
      tx.amountReceived !== null && tx.toCurrency !== null
        ? formatMoney(tx.amountReceived, tx.toCurrency)
        : sent;
    return <span class="muted">{tx.currency === tx.toCurrency ? sent : `${sent} → ${received}`}</span>;
  }
  const text = formatMoney(tx.type === 'expense' ? `-${tx.amount}` : tx.amount, tx.currency);
  return (
    <span class={tx.type === 'expense' ? 'negative' : 'positive'}>
      {tx.type === 'income' ? `+${text}` : text}
    </span>
  );
}

/** The transactions of the month (or of all time) with filters, search and "show more" pages. */
export function TransactionsPanel(props: {
  month: string;
  accounts: Account[];
  categories: Category[];
  version: number;
  onEdit: (tx: Transaction) => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<Transaction[]>();
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [deleting, setDeleting] = useState<Transaction | null>(null);
  const search = useRef<HTMLInputElement>(null);
  const q = useDebounced(filters.q.trim(), 300);
  useShortcut('/', () => search.current?.focus());

  const accountName = new Map(props.accounts.map((a) => [a.id, a.name]));
  const categoryOf = new Map(props.categories.map((c) => [c.id, c]));
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const amountMin = toDecimal(filters.amountMin);
  const amountMax = toDecimal(filters.amountMax);
  const { from, to } = monthBounds(props.month);
  const filterParams = {
    dateFrom: filters.allTime ? undefined : from,
    dateTo: filters.allTime ? undefined : to,
    q: q || undefined,
    type: (filters.type || undefined) as TransactionType | undefined,
    accountId: filters.accountId || undefined,
    categoryId: filters.categoryId || undefined,
    amountMin: AMOUNT.test(amountMin) ? amountMin : undefined,
    amountMax: AMOUNT.test(amountMax) ? amountMax : undefined,
  };
  const params = { ...filterParams, limit: PAGE };
  const key = query(params);

  useEffect(() => {
    let live = true;
    setError(undefined);
    api.get('/budget/transactions', { query: params }).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setTotal(page.total);
        setCursor(page.nextCursor);
      },
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [key, props.version]);

  const loading = useSubmit();
  const more = () => {
    if (cursor === null) return;
    void loading.run({
      send: () => api.get('/budget/transactions', { query: { ...params, cursor } }),
      done: (page) => {
        setItems((list) => [...(list ?? []), ...page.items]);
        setCursor(page.nextCursor);
      },
    });
  };

  const removing = useSubmit();
  const remove = (tx: Transaction) =>
    void removing.run({
      send: () => api.del('/budget/transactions/{id}', { path: { id: tx.id } }),
      success: t('budget.tx.deleted'),
      done: props.onChanged,
    });

  const [csvStyle, setCsvStyle] = useState<'semicolon' | 'comma'>('semicolon');
  const exporting = useSubmit();
  const exportCsv = () =>
    void exporting.run({
      send: () =>
        download(
          '/budget/transactions/export',
          {
            query: {
              ...filterParams,
              ...(csvStyle === 'semicolon'
                ? { delimiter: ';' as const, decimal: 'comma' as const }
                : { delimiter: ',' as const, decimal: 'dot' as const }),
            },
          },
          'transactions.csv',
        ),
    });

  const filtered = JSON.stringify({ ...filters, allTime: false }) !== JSON.stringify({ ...NO_FILTERS });
  return (
    <section class="card" data-testid="transactions">
      <div class="budget-section-head">
        <h2>{t('budget.tx.title')}</h2>
        <span class="muted budget-sub hide-phone">{t('budget.shortcuts')}</span>
        <div class="row budget-export">
          <select
            class="input"
            aria-label={t('budget.export.format')}
            value={csvStyle}
            onChange={(e) => setCsvStyle(e.currentTarget.value as 'semicolon' | 'comma')}
            data-testid="export-format"
          >
            <option value="semicolon">{t('budget.export.semicolon')}</option>
            <option value="comma">{t('budget.export.comma')}</option>
          </select>
          <button
            class="btn btn-sm"
            type="button"
            disabled={exporting.busy}
            onClick={exportCsv}
            title={t('budget.export.hint')}
            data-testid="export-csv"
          >
            {t('budget.export.csv')}
          </button>
        </div>
      </div>
      <div class="budget-filters">
        <input
          ref={search}
          class="input budget-search"
          type="search"
          placeholder={t('budget.tx.search')}
          aria-label={t('budget.tx.search')}
          value={filters.q}
          onInput={(e) => set({ q: e.currentTarget.value })}
          data-testid="tx-search"
        />
        <select
          class="input"
          aria-label={t('budget.tx.allTypes')}
          value={filters.type}
          onChange={(e) => set({ type: e.currentTarget.value })}
        >
          <option value="">{t('budget.tx.allTypes')}</option>
          {(['expense', 'income', 'transfer'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`budget.type.${k}`)}
            </option>
          ))}
        </select>
        <select
          class="input"
          aria-label={t('budget.tx.allAccounts')}
          value={filters.accountId}
          onChange={(e) => set({ accountId: e.currentTarget.value })}
        >
          <option value="">{t('budget.tx.allAccounts')}</option>
          {props.accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        <select
          class="input"
          aria-label={t('budget.tx.allCategories')}
          value={filters.categoryId}
          onChange={(e) => set({ categoryId: e.currentTarget.value })}
        >
          <option value="">{t('budget.tx.allCategories')}</option>
          <optgroup label={t('budget.cat.expense')}>
            <CategoryOptions categories={props.categories} kind="expense" flat />
          </optgroup>
          <optgroup label={t('budget.cat.income')}>
            <CategoryOptions categories={props.categories} kind="income" flat />
          </optgroup>
        </select>
        <div class="budget-amounts">
          <input
            class="input"
            inputMode="decimal"
            placeholder={t('budget.tx.amountMin')}
            aria-label={t('budget.tx.amountMin')}
            value={filters.amountMin}
            onInput={(e) => set({ amountMin: e.currentTarget.value })}
          />
          <input
            class="input"
            inputMode="decimal"
            placeholder={t('budget.tx.amountMax')}
            aria-label={t('budget.tx.amountMax')}
            value={filters.amountMax}
            onInput={(e) => set({ amountMax: e.currentTarget.value })}
          />
          {[amountMin, amountMax].some((a) => a !== '' && !AMOUNT.test(a)) && (
            <p class="field-error" role="alert" data-testid="amount-filter-error">
              {t('budget.tx.amountInvalid')}
            </p>
          )}
        </div>
        <label class="row budget-check">
          <input
            type="checkbox"
            checked={filters.allTime}
            onChange={(e) => set({ allTime: e.currentTarget.checked })}
          />
          <span>{t('budget.tx.allTime')}</span>
        </label>
        {(filtered || filters.allTime) && (
          <button class="btn btn-sm btn-ghost" type="button" onClick={() => setFilters(NO_FILTERS)}>
            {t('budget.tx.reset')}
          </button>
        )}
      </div>
      {error ? (
        <ErrorState message={error} />
      ) : items === undefined ? (
        <Spinner />
      ) : items.length === 0 ? (
        <EmptyState
          title={filtered ? t('budget.tx.emptyFiltered') : t('budget.tx.empty')}
          text={filtered ? undefined : t('budget.tx.emptyHint')}
        />
      ) : (
        <>
          <div class="table-wrap" tabIndex={0}>
            <table class="table budget-table" data-testid="tx-table">
              <thead>
                <tr>
                  <th>{t('budget.tx.date')}</th>
                  <th>{t('budget.tx.description')}</th>
                  <th class="hide-phone">{t('budget.tx.account')}</th>
                  <th class="num">{t('budget.tx.amount')}</th>
                  <th>
                    <span class="visually-hidden">{t('action.edit')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((tx) => {
                  const category = tx.categoryId === null ? undefined : categoryOf.get(tx.categoryId);
                  const where =
                    tx.type === 'transfer'
                      ? `${accountName.get(tx.accountId) ?? ''} → ${accountName.get(tx.toAccountId ?? '') ?? ''}`
                      : (accountName.get(tx.accountId) ?? '');
                  return (
                    <tr key={tx.id} data-testid="tx-row" data-type={tx.type}>
                      <td class="budget-date">{formatDate(tx.date)}</td>
                      <td class="budget-desc">
                        <div class="budget-desc-text">{tx.description || t(`budget.type.${tx.type}`)}</div>
                        <div class="budget-sub muted">
                          {category && <span class="budget-dot" style={{ background: category.color }} />}
                          {tx.type === 'transfer'
                            ? t('budget.type.transfer')
                            : (category?.name ?? t('budget.uncategorised'))}
                          <span class="show-phone"> · {where}</span>
                        </div>
                      </td>
                      <td class="hide-phone">{where}</td>
                      <td class="num" data-testid="tx-amount">
                        <AmountCell tx={tx} />
                      </td>
                      <td class="budget-actions">
                        <button
                          class="icon-btn"
                          type="button"
                          title={t('action.edit')}
                          aria-label={t('action.edit')}
                          onClick={() => props.onEdit(tx)}
                        >
                          ✎
                        </button>
                        <button
                          class="icon-btn"
                          type="button"
                          title={t('action.delete')}
                          aria-label={t('action.delete')}
                          onClick={() => setDeleting(tx)}
                        >
                          ✕
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div class="row budget-more">
            <span class="muted budget-sub">{t('budget.tx.shown', { shown: items.length, total })}</span>
            {cursor !== null && (
              <button class="btn btn-sm" type="button" disabled={loading.busy} onClick={more}>
                {t('budget.tx.more')}
              </button>
            )}
          </div>
        </>
      )}
      <Confirm
        text={
          deleting
            ? t('budget.tx.deleteConfirm', { amount: formatMoney(deleting.amount, deleting.currency) })
            : null
        }
        onConfirm={() => deleting && remove(deleting)}
        onClose={() => setDeleting(null)}
      />
    </section>
  );
}
