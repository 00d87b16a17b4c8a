import { useEffect, useState } from 'preact/hooks';
import { Modal } from '../../components/modal.js';
import { toast } from '../../components/toast.js';
import { api, query, type Answer } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import type { CheckedFormat } from '../../../common/formats.js';
import { errorText, Field, formatErrors, toDecimal, useSubmit } from '../../lib/forms.js';
import { useI18n } from '../../lib/i18n.js';
import { MappingForm, ProblemList, type ChosenMapping } from '../budget/import-dialog.js';
import {
  BatchHistory,
  importRefusal,
  showRefusedUpload,
  uploadForPreview,
  PresetSelect,
  PreviewFooter,
  UploadProgress,
  type FileProblems,
} from '../budget/import-kit.js';
import './import-activities.css';
import './import-messages.js';
import { OPERATION_TYPES } from './operation-form.js';
import type { Overview } from './types.js';

type Preview = Answer<'/imports/activities/{id}', 'get'>;
type Row = Answer<'/imports/activities/{id}/rows', 'get'>['items'][number];
type Batch = Answer<'/imports/activities', 'get'>[number];
type Preset = Answer<'/imports/activity-presets', 'get'>[number];
type Mapping = Preset['mapping'];

const SHOWN = 200;
const COLUMNS = [
  'date',
  'type',
  'symbol',
  'quantity',
  'price',
  'amount',
  'fee',
  'accruedInterest',
  'currency',
  'note',
] as const;

type Step = { kind: 'file' } | { kind: 'mapping'; header: string[] } | { kind: 'preview'; preview: Preview };

type Edited = Pick<Row, 'date' | 'type' | 'quantity' | 'amount'> & { price: string };
const EDITED = ['date', 'quantity', 'price', 'amount'] as const;

/** A row's day, type, quantity, price and amount set right; the server checks them as on upload. */
function RowEditor(props: {
  row: Row;
  save: (body: Partial<Edited>) => Promise<unknown>;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { row } = props;
  const [values, setValues] = useState<Edited>({ ...row, price: row.price ?? '' });
  const { busy, errors, problem, run } = useSubmit({ inline: true });
  const submit = (e: Event) => {
    e.preventDefault();
    const body: Partial<Edited> = {};
    const checked: Record<string, [CheckedFormat, string]> = { date: ['date', values.date] };
    if (values.date !== row.date) body.date = values.date;
    if (values.type !== row.type) body.type = values.type;
    for (const f of ['quantity', 'price', 'amount'] as const)
      if (values[f] !== (row[f] ?? '')) checked[f] = ['decimal', (body[f] = toDecimal(values[f]))];
    if (Object.keys(body).length === 0) return props.onDone();
    void run({
      check: () => formatErrors(checked),
      send: () => props.save(body),
      fields: ['type', ...EDITED],
      done: props.onDone,
    });
  };
  const id = (f: string) => `act-edit-${row.line}-${f}`;
  return (
    <form class="activity-edit" noValidate onSubmit={submit} data-testid="activity-edit">
      {/* A problem of a field the form has no input for (the asset a type needs) shows under the type. */}
      <Field id={id('type')} label={t('inv.op.type')} error={errors.type ?? problem}>
        <select
          class="input"
          value={values.type}
          onChange={(e) => setValues({ ...values, type: e.currentTarget.value })}
        >
          {OPERATION_TYPES.map((k) => (
            <option key={k} value={k}>
              {t(`inv.op.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      {EDITED.map((f) => (
        <Field key={f} id={id(f)} label={t(`act.col.${f}`)} error={errors[f]}>
          <input
            class="input"
            {...(f === 'date' ? { type: 'date' as const } : { inputMode: 'decimal' as const })}
            autocomplete="off"
            value={values[f]}
            onInput={(e) => setValues({ ...values, [f]: e.currentTarget.value })}
          />
        </Field>
      ))}
      <div class="row activity-edit-buttons">
        <button class="btn" type="button" onClick={props.onDone}>
          {t('action.cancel')}
        </button>
        <button class="btn btn-primary" type="submit" disabled={busy} data-testid="activity-edit-save">
          {t('action.save')}
        </button>
      </div>
    </form>
  );
}

function PreviewRows(props: { preview: Preview; onChanged: () => void }) {
  const { t } = useI18n();
  const { id } = props.preview;
  const [tab, setTab] = useState<Row['status']>('new');
  const [rows, setRows] = useState<{ items: Row[]; total: number }>();
  const [editing, setEditing] = useState<number>();
  useEffect(() => {
    api
      .get('/imports/activities/{id}/rows', { path: { id }, query: { status: tab, limit: SHOWN } })
      .then(setRows, (err: unknown) => toast.error(errorText(err)));
  }, [id, tab]);
  const save = async (row: Row, body: Record<string, unknown>) => {
    const updated = await api.patch('/imports/activities/{id}/rows/{line}', {
      path: { id, line: row.line },
      body,
    });
    setRows((r) => r && { ...r, items: r.items.map((x) => (x.line === row.line ? updated : x)) });
    props.onChanged();
  };
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
            data-testid={`activity-tab-${s}`}
          >
            {t(`imp.tab.${s}`)} ({props.preview.counts[s]})
          </button>
        ))}
      </div>
      <div class="table-wrap" tabIndex={0}>
        <table class="table activity-rows" data-testid="activity-rows">
          <thead>
            <tr>
              <th>{t('act.row.line')}</th>
              <th>{t('act.row.date')}</th>
              <th>{t('inv.op.type')}</th>
              <th>{t('act.row.asset')}</th>
              <th class="num">{t('inv.op.quantity')}</th>
              <th class="num">{t('inv.op.amount')}</th>
              {tab !== 'duplicate' && <th>{t('imp.row.take')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows?.items.map((row) =>
              editing === row.line ? (
                <tr key={row.line} class="activity-editing">
                  <td colSpan={7}>
                    <p class="muted small" style="margin:0">
                      {t('act.edit.title', { line: row.line, symbol: row.symbol })}
                    </p>
                    <RowEditor
                      row={row}
                      save={(body) => save(row, body)}
                      onDone={() => setEditing(undefined)}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={row.line}>
                  <td class="muted">{row.line}</td>
                  <td>{formatDate(row.date)}</td>
                  <td>{t(`inv.op.${row.type}`)}</td>
                  <td>
                    <b>{row.symbol}</b>
                    <div class="muted small">{row.newAsset ? t('act.row.newAsset') : row.name}</div>
                  </td>
                  <td class="num">{row.quantity === '0' ? '' : row.quantity}</td>
                  <td class="num">
                    {formatMoney(row.amount, row.currency)}
                    {row.commission !== '0.00' && (
                      <div class="muted small">
                        {t('act.row.fee', { fee: formatMoney(row.commission, row.currency) })}
                      </div>
                    )}
                  </td>
                  {tab !== 'duplicate' && (
                    <td class="activity-actions">
                      <label class="activity-take">
                        <input
                          type="checkbox"
                          checked={row.status === 'new'}
                          onChange={(e) =>
                            void save(row, { status: e.currentTarget.checked ? 'new' : 'skipped' }).catch(
                              (err: unknown) => toast.error(errorText(err)),
                            )
                          }
                          data-testid={`activity-take-${row.line}`}
                        />
                        <span class="activity-take-text">{t('imp.row.take')}</span>
                      </label>
                      <button
                        type="button"
                        class="btn btn-sm"
                        aria-label={t('act.edit.open', { line: row.line })}
                        onClick={() => setEditing(row.line)}
                        data-testid={`activity-edit-${row.line}`}
                      >
                        {t('action.edit')}
                      </button>
                    </td>
                  )}
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      {rows && rows.total > rows.items.length && (
        <p class="muted">{t('imp.shown', { shown: rows.items.length, total: rows.total })}</p>
      )}
    </div>
  );
}

/** Upload an activities file → (column mapping) → preview → commit; recent imports can be undone. */
export function ImportActivitiesDialog(props: {
  portfolios: Overview['portfolios'];
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [portfolioId, setPortfolioId] = useState(props.portfolios[0]?.id ?? '');
  const [file, setFile] = useState<File>();
  const [presetId, setPresetId] = useState('');
  const [presets, setPresets] = useState<Preset[]>([]);
  const [batches, setBatches] = useState<Batch[]>([]);
  const [step, setStep] = useState<Step>({ kind: 'file' });
  const [progress, setProgress] = useState<number>();
  const [problems, setProblems] = useState<FileProblems>();
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api.get('/imports/activity-presets').then(setPresets, () => undefined);
    api.get('/imports/activities').then(
      (b) => setBatches(b.filter((x) => x.status === 'committed')),
      () => undefined,
    );
  }, [version]);
  const portfolioName = (id: string) => props.portfolios.find((p) => p.id === id)?.name ?? '';

  const { run } = useSubmit();
  const send = async (mapping?: Mapping) => {
    if (!file) return;
    setProblems(undefined);
    setProgress(0);
    const params = query({
      portfolioId,
      fileName: file.name,
      presetId: mapping ? undefined : presetId || undefined,
      mapping: mapping && JSON.stringify(mapping),
    });
    await run({
      send: () => uploadForPreview<Preview>(`/imports/activities${params}`, file, setProgress),
      done: (preview) => setStep({ kind: 'preview', preview }),
      explain: showRefusedUpload((header) => setStep({ kind: 'mapping', header }), setProblems),
    });
    setProgress(undefined);
  };
  const applyMapping = async (chosen: ChosenMapping, name: string) => {
    const mapping = { ...chosen, columns: { date: '', type: '', ...chosen.columns } };
    if (name)
      await run({
        send: () => api.post('/imports/activity-presets', { body: { name, mapping } }),
        done: (p) => {
          setPresetId(p.id);
          setVersion((v) => v + 1);
        },
      });
    await send(mapping);
  };
  const commit = (preview: Preview) =>
    void run({
      send: () => api.post('/imports/activities/{id}/commit', { path: { id: preview.id } }),
      success: (result) => t('act.committed', { n: result.created }),
      done: () => {
        props.onChanged();
        setStep({ kind: 'file' });
        setVersion((v) => v + 1);
      },
      explain: (err) => {
        const refusal = importRefusal(err);
        if (refusal && 'problems' in refusal) {
          setProblems(refusal.problems);
          setStep({ kind: 'file' });
        }
        return undefined;
      },
    });
  const back = () => {
    if (step.kind === 'preview' && step.preview.status === 'preview')
      void api.del('/imports/activities/{id}', { path: { id: step.preview.id } });
    setStep({ kind: 'file' });
  };

  const preview = step.kind === 'preview' ? step.preview : undefined;
  return (
    <Modal
      open
      wide
      title={t('act.title')}
      onClose={props.onClose}
      footer={
        preview && (
          <PreviewFooter
            count={preview.counts.new}
            testId="activity"
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
          <p class="muted" style="margin:0">
            {t('act.hint')}
          </p>
          <div class="form-row">
            <label class="field">
              <span>{t('act.portfolio')}</span>
              <select
                class="input"
                value={portfolioId}
                onChange={(e) => setPortfolioId(e.currentTarget.value)}
                data-testid="activity-portfolio"
              >
                {props.portfolios.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>{t('act.file')}</span>
              <input
                class="input"
                type="file"
                accept=".csv,.txt,.json"
                onChange={(e) => {
                  setFile(e.currentTarget.files?.[0]);
                  setStep({ kind: 'file' });
                  setProblems(undefined);
                }}
                data-testid="activity-file"
              />
            </label>
          </div>
          <PresetSelect value={presetId} presets={presets} onChange={setPresetId} />
          <UploadProgress percent={progress} />
          {problems && <ProblemList problems={problems.list} count={problems.count} />}
          <div class="row" style="justify-content:flex-end">
            <button
              class="btn btn-primary"
              type="submit"
              disabled={!file || !portfolioId || progress !== undefined}
              data-testid="activity-upload"
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
          labels="act.col."
          required={['date', 'type']}
          onApply={(m, n) => void applyMapping(m, n)}
        />
      )}
      {preview && (
        <div class="stack" data-testid="activity-preview">
          <p class="muted" style="margin:0">
            {preview.fileName} · {preview.format.toUpperCase()}
            {preview.preset && <> · {t(`act.preset.${preview.preset}`)}</>} ·{' '}
            {portfolioName(preview.portfolioId)}
          </p>
          <p style="margin:0" data-testid="activity-counts">
            {t('act.counts', preview.counts)}
            {preview.counts.skipped > 0 && <> · {t('act.counts.skipped', preview.counts)}</>}
            {preview.counts.newAssets > 0 && <> · {t('act.counts.newAssets', preview.counts)}</>}
          </p>
          <PreviewRows
            preview={preview}
            onChanged={() =>
              void api.get('/imports/activities/{id}', { path: { id: preview.id } }).then(
                (p) => setStep({ kind: 'preview', preview: p }),
                () => undefined,
              )
            }
          />
        </div>
      )}
      {step.kind === 'file' && (
        <BatchHistory
          batches={batches}
          where={(b) => portfolioName(b.portfolioId)}
          testId="activity"
          remove={(b) => api.del('/imports/activities/{id}', { path: { id: b.id } })}
          onUndone={() => {
            props.onChanged();
            setVersion((v) => v + 1);
          }}
        />
      )}
    </Modal>
  );
}
