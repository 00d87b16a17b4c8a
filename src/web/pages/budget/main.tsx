import { useCallback, useEffect, useState } from 'preact/hooks';
import { EmptyState, ErrorState } from '../../components/empty-state.js';
import { Layout, useCurrentUser, useToday } from '../../components/layout.js';
import { Spinner } from '../../components/spinner.js';
import { api } from '../../lib/api.js';
import { formatMonth } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { startPage } from '../../lib/page.js';
import { useShortcut } from '../../lib/shortcuts.js';
import './budget.css';
import './messages.js';
import { AccountsDialog } from './accounts-dialog.js';
import { CategoriesDialog } from './categories-dialog.js';
import { ImportButtons } from './import-button.js';
import { BudgetCharts } from './charts.js';
import { errorText } from '../../lib/forms.js';
import { monthBounds, shiftMonth, todayIn } from '../../../common/dates.js';
import { AccountBalances, Conversions, Limits, SummaryTiles } from './summary.js';
import { TransactionEditor } from './transaction-editor.js';
import { TransactionsPanel } from './transactions-panel.js';
import { SchedulesSection } from './schedules.js';
import { ForecastPanel, UpcomingPanel } from '../../components/outlook.js';
import type { Account, Category, Charts, MonthSummary, Transaction } from './types.js';

type Dialog =
  | { kind: 'transaction'; transaction?: Transaction }
  | { kind: 'accounts'; adding: boolean }
  | { kind: 'categories' };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month in the address (?month=2026-01) so a reload or a shared link shows the same month. */
function monthFromUrl(): string | undefined {
  const month = new URLSearchParams(location.search).get('month');
  return month !== null && MONTH.test(month) ? month : undefined;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function MonthPicker(props: { month: string; onChange: (month: string) => void }) {
  const { t } = useI18n();
  return (
    <div class="budget-month" data-testid="month-picker">
      <button
        class="icon-btn"
        type="button"
        aria-label={t('budget.month.prev')}
        title={t('budget.month.prev')}
        onClick={() => props.onChange(shiftMonth(props.month, -1))}
      >
        ‹
      </button>
      <label class="budget-month-label">
        <span class="visually-hidden">{t('budget.month.label')}</span>
        <input
          class="input"
          type="month"
          value={props.month}
          onChange={(e) => MONTH.test(e.currentTarget.value) && props.onChange(e.currentTarget.value)}
          data-testid="month-input"
        />
        <span class="budget-month-name" aria-hidden="true">
          {capitalised(formatMonth(props.month))}
        </span>
      </label>
      <button
        class="icon-btn"
        type="button"
        aria-label={t('budget.month.next')}
        title={t('budget.month.next')}
        onClick={() => props.onChange(shiftMonth(props.month, 1))}
      >
        ›
      </button>
    </div>
  );
}

function BudgetPage() {
  const { t } = useI18n();
  const user = useCurrentUser();
  const base = user?.baseCurrency ?? 'RUB';
  const [month, setMonthState] = useState(() => monthFromUrl() ?? todayIn(undefined).slice(0, 7));
  const [version, setVersion] = useState(0);
  const [accounts, setAccounts] = useState<Account[]>();
  const [categories, setCategories] = useState<Category[]>();
  const [summary, setSummary] = useState<MonthSummary>();
  const [charts, setCharts] = useState<Charts>();
  const [chartCurrency, setChartCurrency] = useState<string>();
  const [error, setError] = useState<string>();
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const setMonth = (next: string) => {
    setMonthState(next);
    history.replaceState(null, '', `${location.pathname}?month=${next}`);
  };
  const openEditor = useCallback(() => setDialog({ kind: 'transaction' }), []);
  useShortcut('n', openEditor);

  useEffect(() => {
    let live = true;
    Promise.all([
      api.get('/budget/accounts', { query: { includeArchived: true } }),
      api.get('/budget/categories', { query: { includeDeleted: true } }),
    ]).then(
      ([a, c]) => {
        if (!live) return;
        setAccounts(a);
        setCategories(c);
      },
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [version]);

  useEffect(() => {
    let live = true;
    Promise.all([
      api.get('/budget/summary/month', { query: { month } }),
      api.get('/budget/summary/charts', { query: { month, currency: chartCurrency } }),
    ]).then(
      ([s, c]) => {
        if (!live) return;
        setSummary(s);
        setCharts(c);
        setError(undefined);
      },
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [month, chartCurrency, version]);

  const saved = () => {
    setDialog(null);
    reload();
  };
  const today = useToday();
  const { from } = monthBounds(month);
  const defaultDate = today.startsWith(month) ? today : from;
  const ready =
    accounts !== undefined && categories !== undefined && summary !== undefined && charts !== undefined;
  const noAccounts = accounts !== undefined && accounts.length === 0;

  return (
    <Layout
      page="budget"
      title={t('nav.budget')}
      actions={
        <>
          <MonthPicker month={month} onChange={setMonth} />
          <button
            class="btn"
            type="button"
            onClick={() => setDialog({ kind: 'accounts', adding: false })}
            data-testid="open-accounts"
          >
            {t('budget.accounts')}
          </button>
          <button
            class="btn"
            type="button"
            onClick={() => setDialog({ kind: 'categories' })}
            data-testid="open-categories"
          >
            {t('budget.categories')}
          </button>
          <ImportButtons accounts={accounts} categories={categories} onChanged={reload} />
          <button
            class="btn btn-primary"
            type="button"
            onClick={openEditor}
            disabled={noAccounts}
            data-testid="add-transaction"
            title="n"
          >
            {t('budget.add')}
          </button>
        </>
      }
    >
      {error && <ErrorState message={error} onRetry={reload} />}
      {!ready ? (
        !error && <Spinner />
      ) : noAccounts ? (
        <div class="card">
          <EmptyState
            title={t('budget.empty.accounts')}
            text={t('budget.empty.accountsHint')}
            action={
              <button
                class="btn btn-primary"
                type="button"
                onClick={() => setDialog({ kind: 'accounts', adding: true })}
                data-testid="first-account"
              >
                {t('budget.empty.addAccount')}
              </button>
            }
          />
        </div>
      ) : (
        <div class="stack">
          <div>
            <SummaryTiles summary={summary} />
            {summary.base === null && summary.missingRates.length > 0 && (
              <div class="banner warning" role="status">
                {t('budget.noRates', { currencies: summary.missingRates.join(', ') })}
              </div>
            )}
            <Conversions summary={summary} />
          </div>
          <BudgetCharts charts={charts} picked={chartCurrency} onCurrency={setChartCurrency} />
          <div class="grid-2">
            <Limits summary={summary} />
            <AccountBalances summary={summary} />
          </div>
          <div class="grid-2">
            <UpcomingPanel version={version} onChanged={reload} />
            <ForecastPanel version={version} />
          </div>
          <SchedulesSection
            accounts={accounts}
            categories={categories}
            today={today}
            version={version}
            onChanged={reload}
          />
          <TransactionsPanel
            month={month}
            accounts={accounts}
            categories={categories}
            version={version}
            onEdit={(transaction) => setDialog({ kind: 'transaction', transaction })}
            onChanged={reload}
          />
        </div>
      )}
      {dialog?.kind === 'transaction' && accounts && categories && (
        <TransactionEditor
          transaction={dialog.transaction}
          accounts={accounts}
          categories={categories}
          defaultDate={defaultDate}
          onClose={() => setDialog(null)}
          onSaved={saved}
        />
      )}
      {dialog?.kind === 'accounts' && accounts && (
        <AccountsDialog
          accounts={accounts}
          baseCurrency={base}
          startAdding={dialog.adding}
          onClose={() => setDialog(null)}
          onChanged={reload}
        />
      )}
      {dialog?.kind === 'categories' && categories && (
        <CategoriesDialog
          categories={categories}
          baseCurrency={base}
          onClose={() => setDialog(null)}
          onChanged={reload}
        />
      )}
    </Layout>
  );
}

startPage(<BudgetPage />);
