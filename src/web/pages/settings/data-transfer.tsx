import { useState } from 'preact/hooks';
import { toast } from '../../components/toast.js';
import { api, ApiError, download, type Body } from '../../lib/api.js';
import { errorText } from '../../lib/forms.js';
import { addMessages, useI18n } from '../../lib/i18n.js';

addMessages({
  ru: {
    'data.title': 'Экспорт и перенос данных',
    'data.hint':
      'Один JSON-файл со всем, что есть в вашем аккаунте: счета, категории и лимиты, операции, импорты с правилами, свои курсы, портфели и операции, активы и их цены, обязательства, кредиты и платежи, расписания. Его можно загрузить в пустой аккаунт этого или другого сервера.',
    'data.export': 'Скачать всё (JSON)',
    'data.import': 'Загрузить файл экспорта',
    'data.importHint': 'Только в аккаунт, где ещё ничего нет (кроме стандартных категорий).',
    'data.importing': 'Загружаем…',
    'data.done': 'Данные перенесены',
    'data.summary':
      'Перенесено — счета: {accounts}, категории: {categories}, операции: {transactions}, портфели: {portfolios}, сделки: {operations}, обязательства: {obligations}, кредиты: {credits}, расписания: {schedules}.',
  },
  en: {
    'data.title': 'Export and move your data',
    'data.hint':
      'One JSON file with everything in your account: accounts, categories and limits, transactions, imports with their rules, your own rates, portfolios and operations, assets and their prices, obligations, credits and payments, schedules. It loads into an empty account on this or another server.',
    'data.export': 'Download everything (JSON)',
    'data.import': 'Load an export file',
    'data.importHint': 'Only into an account that has nothing yet (besides the default categories).',
    'data.importing': 'Loading…',
    'data.done': 'Data moved in',
    'data.summary':
      'Moved in — accounts: {accounts}, categories: {categories}, transactions: {transactions}, portfolios: {portfolios}, operations: {operations}, obligations: {obligations}, credits: {credits}, schedules: {schedules}.',
  },
});

/** Settings: download everything as one file, or load such a file into an empty account. */
export function DataTransfer(props: { onImported: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<string>();
  const [problem, setProblem] = useState<string>();

  async function exportAll() {
    setBusy(true);
    try {
      await download('/data/export', {}, 'wealthtracker.json');
    } catch (err) {
      toast.error(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function importFile(file: File) {
    setBusy(true);
    setSummary(undefined);
    setProblem(undefined);
    try {
      let body: Body<'/data/import', 'post'>;
      try {
        body = JSON.parse(await file.text()) as Body<'/data/import', 'post'>;
      } catch {
        setProblem(t('error.DATA_FILE_NOT_JSON'));
        return;
      }
      const { tables } = await api.post('/data/import', { body });
      const n = (name: string) => tables[name] ?? 0;
      setSummary(
        t('data.summary', {
          accounts: n('budget_accounts'),
          categories: n('budget_categories'),
          transactions: n('budget_transactions'),
          portfolios: n('portfolios'),
          operations: n('operations'),
          obligations: n('obligations'),
          credits: n('credit_blocks'),
          schedules: n('schedules'),
        }),
      );
      toast.success(t('data.done'));
      props.onImported();
    } catch (err) {
      // The file, not the request: its size and its shape are what the user can change.
      if (err instanceof ApiError && err.code === 'BODY_TOO_LARGE')
        setProblem(t('error.DATA_FILE_TOO_LARGE'));
      else if (err instanceof ApiError && err.code === 'VALIDATION_FAILED')
        setProblem(`${t('error.DATA_FILE_NOT_JSON')} ${err.message}`);
      else setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card" data-testid="data-transfer">
      <h2>{t('data.title')}</h2>
      <p class="muted">{t('data.hint')}</p>
      <div class="row">
        <button
          class="btn btn-primary"
          type="button"
          disabled={busy}
          onClick={() => void exportAll()}
          data-testid="data-export"
        >
          {t('data.export')}
        </button>
        <label class="btn">
          {busy ? t('data.importing') : t('data.import')}
          <input
            type="file"
            accept="application/json,.json"
            class="visually-hidden"
            disabled={busy}
            data-testid="data-import"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void importFile(file);
            }}
          />
        </label>
      </div>
      <p class="muted">{t('data.importHint')}</p>
      {summary && (
        <p class="positive" role="status" data-testid="data-summary">
          {summary}
        </p>
      )}
      {problem && (
        <p class="negative" role="alert" data-testid="data-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
