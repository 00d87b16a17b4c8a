import { useState } from 'preact/hooks';
import { api, ApiError, download, type Body } from '../../lib/api.js';
import { errorText, useSubmit } from '../../lib/forms.js';
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
  const [summary, setSummary] = useState<string>();
  const exporting = useSubmit();
  const importing = useSubmit({ inline: true });
  const busy = exporting.busy || importing.busy;
  // A file the server refused for its shape: said of the file, with what is wrong in it.
  const refused = Object.values(importing.errors);
  const problem =
    importing.problem ??
    (refused.length > 0 ? `${t('error.DATA_FILE_NOT_JSON')} ${refused.join('; ')}` : undefined);

  const exportAll = () =>
    void exporting.run({ send: () => download('/data/export', {}, 'wealthtracker.json') });

  function importFile(file: File) {
    setSummary(undefined);
    void importing.run({
      send: async () => {
        const body = JSON.parse(await file.text()) as Body<'/data/import', 'post'>;
        return api.post('/data/import', { body });
      },
      success: t('data.done'),
      done: ({ tables }) => {
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
        props.onImported();
      },
      // The file, not the request: its size and its shape are what the user can change.
      explain: (err) =>
        err instanceof SyntaxError
          ? t('error.DATA_FILE_NOT_JSON')
          : err instanceof ApiError && err.code === 'BODY_TOO_LARGE'
            ? t('error.DATA_FILE_TOO_LARGE')
            : errorText(err),
    });
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
          onClick={exportAll}
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
              if (file) importFile(file);
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
