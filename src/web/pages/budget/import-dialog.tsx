import { useEffect, useState } from 'preact/hooks';
import { Modal } from '../../components/modal.js';
import { toast } from '../../components/toast.js';
import { api, query, type Body } from '../../lib/api.js';
import { formatDate, formatSignedMoney } from '../../lib/format.js';
import { errorText, useSubmit } from '../../lib/forms.js';
import { useI18n } from '../../lib/i18n.js';
import {
  BatchHistory,
  showRefusedUpload,
  uploadForPreview,
  PresetSelect,
  PreviewFooter,
  UploadProgress,
  type FileProblems,
} from './import-kit.js';
import type {
  CsvMapping,
  FileProblem,
  ImportBatch,
  ImportPreset,
  ImportPreview,
  ImportRow,
} from './import-types.js';
import type { Account, Category } from './types.js';

const SHOWN = 200;
const COLUMNS = [
  'date',
  'amount',
  'debit',
  'credit',
  'currency',
  'description',
  'payee',
  'category',
  'bankId',
] as const;
const DATE_FORMATS: CsvMapping['dateFormat'][] = [
  'dd.mm.yyyy',
  'dd.mm.yy',
  'yyyy-mm-dd',
  'dd/mm/yyyy',
  'mm/dd/yyyy',
  'iso',
];

type Step =
  { kind: 'file' } | { kind: 'mapping'; header: string[] } | { kind: 'preview'; preview: ImportPreview };

/** A refused file's problems, each with its line and column. */
export function ProblemList(props: { problems: FileProblem[]; count: number }) {
  const { t } = useI18n();
  return (
    <div class="banner warning" role="alert" data-testid="import-problems">
      <strong>{t('imp.problems')}</strong>
      <ul class="import-problems">
        {props.problems.map((p) => (
          <li key={`${p.line}-${p.column}`}>
            {t('imp.problem.line', { line: p.line })}
            {p.column && <>, {t('imp.problem.column', { column: p.column })}</>}:{' '}
            {t(`imp.code.${p.code}`, { value: p.value ?? '' })}
          </li>
        ))}
      </ul>
      {props.count > props.problems.length && (
        <p>{t('imp.problems.more', { n: props.count - props.problems.length })}</p>
      )}
    </div>
  );
}

/** What a column mapping form gives: the header chosen for each column, and how values read. */
export interface ChosenMapping {
  columns: Record<string, string>;
  dateFormat: CsvMapping['dateFormat'];
  decimal: CsvMapping['decimal'];
}

/** Which header holds each of `columns` (labelled `<labels><column>`); `required` must be chosen. */
export function MappingForm(props: {
  header: string[];
  columns: readonly string[];
  labels: string;
  required: readonly string[];
  onApply: (mapping: ChosenMapping, presetName: string) => void;
}) {
  const { t } = useI18n();
  const [columns, setColumns] = useState<Record<string, string>>({});
  const [dateFormat, setDateFormat] = useState<CsvMapping['dateFormat']>('dd.mm.yyyy');
  const [decimal, setDecimal] = useState<CsvMapping['decimal']>('auto');
  const [name, setName] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const chosen = Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== ''));
    props.onApply({ columns: chosen, dateFormat, decimal }, name.trim());
  };
  return (
    <form noValidate class="stack" onSubmit={submit} data-testid="import-mapping">
      <h3 style="margin:0">{t('imp.mapping')}</h3>
      <div class="import-mapping-grid">
        {props.columns.map((c) => (
          <label class="field" key={c}>
            <span>{t(`${props.labels}${c}`)}</span>
            <select
              class="input"
              value={columns[c] ?? ''}
              onChange={(e) => setColumns({ ...columns, [c]: e.currentTarget.value })}
              data-testid={`map-${c}`}
            >
              <option value="">{t('imp.col.none')}</option>
              {props.header.map((h) => (
                <option key={h} value={h}>
                  {h}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label class="field">
          <span>{t('imp.dateFormat')}</span>
          <select
            class="input"
            value={dateFormat}
            onChange={(e) => setDateFormat(e.currentTarget.value as CsvMapping['dateFormat'])}
          >
            {DATE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('imp.decimal')}</span>
          <select
            class="input"
            value={decimal}
            onChange={(e) => setDecimal(e.currentTarget.value as CsvMapping['decimal'])}
          >
            {(['auto', 'comma', 'dot'] as const).map((d) => (
              <option key={d} value={d}>
                {t(`imp.decimal.${d}`)}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{t('imp.savePreset')}</span>
          <input
            class="input"
            value={name}
            placeholder={t('imp.savePreset.hint')}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
      </div>
      <div class="row" style="justify-content:flex-end">
        <button
          class="btn btn-primary"
          type="submit"
          disabled={props.required.some((c) => !columns[c])}
          data-testid="apply-mapping"
        >
          {t('imp.apply')}
        </button>
      </div>
    </form>
  );
}

function PreviewTable(props: {
  preview: ImportPreview;
  accounts: Account[];
  categories: Category[];
  currency: string;
}) {
  const { t } = useI18n();
  const { id } = props.preview;
  const [tab, setTab] = useState<ImportRow['status']>('new');
  const [rows, setRows] = useState<{ items: ImportRow[]; total: number }>();
  useEffect(() => {
    api
      .get('/imports/statements/{id}/rows', { path: { id }, query: { status: tab, limit: SHOWN } })
      .then(setRows, (err: unknown) => toast.error(errorText(err)));
  }, [id, tab]);
  const { run } = useSubmit();
  const put = (line: number, next: ImportRow) =>
    setRows((r) => r && { ...r, items: r.items.map((x) => (x.line === line ? next : x)) });
  const change = (row: ImportRow, body: Body<'/imports/statements/{id}/rows/{line}', 'patch'>) => {
    // A ticked box shows at once and stays while saving; the answer confirms it.
    if (body.status) put(row.line, { ...row, status: body.status });
    void run({
      send: () => api.patch('/imports/statements/{id}/rows/{line}', { path: { id, line: row.line }, body }),
      done: (updated) => put(row.line, updated),
      explain: (err) => {
        put(row.line, row);
        return errorText(err);
      },
    });
  };
  const accountName = (accountId: string | null) =>
    props.accounts.find((a) => a.id === accountId)?.name ?? '';
  return (
    <div class="stack">
      <div class="tabs" role="tablist">
        {(['new', 'duplicate', 'skipped'] as const).map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={tab === s}
            class={tab === s ? 'active' : ''}
            onClick={() => setTab(s)}
            data-testid={`import-tab-${s}`}
          >
            {t(`imp.tab.${s}`)} ({props.preview.counts[s]})
          </button>
        ))}
      </div>
      <div class="table-wrap" tabIndex={0}>
        <table class="table import-rows" data-testid="import-rows">
          <thead>
            <tr>
              <th>{t('budget.tx.date')}</th>
              <th>{t('budget.tx.description')}</th>
              <th>{t('budget.tx.category')}</th>
              <th class="num">{t('budget.tx.amount')}</th>
              {tab !== 'duplicate' && <th>{t('imp.row.take')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows?.items.map((row) => {
              const transfer = row.toAccountId ?? (row.transferMatchId ? 'match' : null);
              return (
                <tr key={row.line}>
                  <td>{formatDate(row.date)}</td>
                  <td>
                    <div>{row.description}</div>
                    {row.bankCategory && <div class="muted budget-sub">{row.bankCategory}</div>}
                  </td>
                  <td>
                    {transfer ? (
                      <span class="badge">
                        {t('imp.row.transfer')} {row.toAccountId && accountName(row.toAccountId)}
                        {row.transferMatchId && tab === 'new' && (
                          <button
                            class="btn btn-sm btn-ghost"
                            type="button"
                            onClick={() => change(row, { transfer: false })}
                          >
                            {t('imp.row.transferDecline')}
                          </button>
                        )}
                      </span>
                    ) : (
                      <>
                        <select
                          class="input"
                          value={row.categoryId ?? ''}
                          disabled={tab === 'duplicate'}
                          aria-label={t('budget.tx.category')}
                          onChange={(e) => change(row, { categoryId: e.currentTarget.value || null })}
                        >
                          <option value="">{t('budget.uncategorised')}</option>
                          {props.categories
                            .filter((c) => c.kind === row.type && !c.deleted)
                            .map((c) => (
                              <option key={c.id} value={c.id}>
                                {c.parentId ? `· ${c.name}` : c.name}
                              </option>
                            ))}
                        </select>
                        {row.categorySource && (
                          <div class="muted budget-sub">{t(`imp.source.${row.categorySource}`)}</div>
                        )}
                      </>
                    )}
                  </td>
                  <td class={`num ${row.type === 'income' ? 'positive' : ''}`}>
                    {formatSignedMoney(row.type === 'income' ? row.amount : `-${row.amount}`, props.currency)}
                  </td>
                  {tab !== 'duplicate' && (
                    <td>
                      <input
                        type="checkbox"
                        checked={row.status === 'new'}
                        aria-label={t('imp.row.take')}
                        onChange={(e) => change(row, { status: e.currentTarget.checked ? 'new' : 'skipped' })}
                      />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows && rows.total > rows.items.length && (
        <p class="muted">{t('imp.shown', { shown: rows.items.length, total: rows.total })}</p>
      )}
    </div>
  );
}

/** Upload → (column mapping) → preview with adjustments → commit; recent imports can be undone. */
export function ImportDialog(props: {
  accounts: Account[];
  categories: Category[];
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const active = props.accounts.filter((a) => !a.archived);
  const [accountId, setAccountId] = useState(active[0]?.id ?? '');
  const [file, setFile] = useState<File>();
  const [encoding, setEncoding] = useState<'' | 'utf-8' | 'windows-1251'>('');
  const [presetId, setPresetId] = useState('');
  const [presets, setPresets] = useState<ImportPreset[]>([]);
  const [batches, setBatches] = useState<ImportBatch[]>([]);
  const [step, setStep] = useState<Step>({ kind: 'file' });
  const [progress, setProgress] = useState<number>();
  const [problems, setProblems] = useState<FileProblems>();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api.get('/imports/presets').then(setPresets, () => undefined);
    api.get('/imports/statements').then(
      (b) => setBatches(b.filter((x) => x.status === 'committed')),
      () => undefined,
    );
  }, [version]);
  const currency = props.accounts.find((a) => a.id === accountId)?.currency ?? 'RUB';

  const { run } = useSubmit();
  const send = async (mapping?: CsvMapping) => {
    if (!file) return;
    setProblems(undefined);
    setProgress(0);
    const params = query({
      accountId,
      fileName: file.name,
      encoding: encoding || undefined,
      presetId: mapping ? undefined : presetId || undefined,
      mapping: mapping && JSON.stringify(mapping),
    });
    await run({
      send: () => uploadForPreview<ImportPreview>(`/imports/statements${params}`, file, setProgress),
      done: (preview) => setStep({ kind: 'preview', preview }),
      explain: showRefusedUpload((header) => setStep({ kind: 'mapping', header }), setProblems),
    });
    setProgress(undefined);
  };
  const applyMapping = async (mapping: CsvMapping, name: string) => {
    if (name)
      await run({
        send: () =>
          api.post('/imports/presets', { body: { name, mapping, ...(encoding ? { encoding } : {}) } }),
        done: (p) => {
          setPresetId(p.id);
          setVersion((v) => v + 1);
        },
      });
    await send(mapping);
  };
  const commit = (preview: ImportPreview) =>
    void run({
      send: () => api.post('/imports/statements/{id}/commit', { path: { id: preview.id } }),
      success: (result) => t('imp.committed', { n: result.created }),
      done: () => {
        props.onChanged();
        setStep({ kind: 'file' });
        setVersion((v) => v + 1);
      },
    });
  const back = () => {
    if (step.kind === 'preview' && step.preview.status === 'preview')
      void api.del('/imports/statements/{id}', { path: { id: step.preview.id } });
    setStep({ kind: 'file' });
  };

  const preview = step.kind === 'preview' ? step.preview : undefined;
  return (
    <Modal
      open
      wide
      title={t('imp.title')}
      onClose={props.onClose}
      footer={
        preview && (
          <PreviewFooter
            count={preview.counts.new}
            testId="import"
            onBack={back}
            onCommit={() => commit(preview)}
          />
        )
      }
    >
      {step.kind !== 'preview' && (
        <form
          noValidate
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <div class="form-row">
            <label class="field">
              <span>{t('imp.account')}</span>
              <select
                class="input"
                value={accountId}
                onChange={(e) => setAccountId(e.currentTarget.value)}
                data-testid="import-account"
              >
                {active.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} ({a.currency})
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>{t('imp.file')}</span>
              <input
                class="input"
                type="file"
                accept=".csv,.txt,.ofx,.qfx,.qif"
                onChange={(e) => {
                  setFile(e.currentTarget.files?.[0]);
                  setStep({ kind: 'file' });
                  setProblems(undefined);
                }}
                data-testid="import-file"
              />
            </label>
          </div>
          <div class="form-row">
            <PresetSelect value={presetId} presets={presets} onChange={setPresetId} />
            <label class="field">
              <span>{t('imp.encoding')}</span>
              <select
                class="input"
                value={encoding}
                onChange={(e) => setEncoding(e.currentTarget.value as '' | 'utf-8' | 'windows-1251')}
                data-testid="import-encoding"
              >
                <option value="">{t('imp.encoding.auto')}</option>
                <option value="utf-8">UTF-8</option>
                <option value="windows-1251">windows-1251</option>
              </select>
            </label>
          </div>
          <UploadProgress percent={progress} />
          {problems && <ProblemList problems={problems.list} count={problems.count} />}
          <div class="row" style="justify-content:flex-end">
            <button
              class="btn btn-primary"
              type="submit"
              disabled={!file || !accountId || progress !== undefined}
              data-testid="import-upload"
            >
              {t('imp.upload')}
            </button>
          </div>
        </form>
      )}
      {step.kind === 'mapping' && (
        <MappingForm
          header={step.header}
          columns={COLUMNS}
          labels="imp.col."
          required={['date']}
          onApply={(m, n) =>
            void applyMapping({ ...m, columns: { date: '', ...m.columns }, skipStatuses: [] }, n)
          }
        />
      )}
      {preview && (
        <div class="stack" data-testid="import-preview">
          <p class="muted" style="margin:0">
            {preview.fileName} ·{' '}
            {t('imp.detected', {
              format: preview.format.toUpperCase(),
              encoding: preview.encoding ?? '',
              preset:
                preview.preset === 'tbank'
                  ? t('imp.detected.tbank')
                  : preview.preset === 'wealthtracker'
                    ? t('imp.detected.own')
                    : '',
            })}
          </p>
          <p style="margin:0" data-testid="import-counts">
            {t('imp.counts', preview.counts)}
            {preview.counts.transfers > 0 && (
              <> · {t('imp.counts.transfers', { n: preview.counts.transfers })}</>
            )}
          </p>
          <PreviewTable
            preview={preview}
            accounts={props.accounts}
            categories={props.categories}
            currency={currency}
          />
        </div>
      )}
      {step.kind === 'file' && (
        <BatchHistory
          batches={batches}
          where={(b) => props.accounts.find((a) => a.id === b.accountId)?.name ?? ''}
          testId="import"
          remove={(b) => api.del('/imports/statements/{id}', { path: { id: b.id } })}
          onUndone={() => {
            props.onChanged();
            setVersion((v) => v + 1);
          }}
        />
      )}
    </Modal>
  );
}
