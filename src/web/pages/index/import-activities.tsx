import { useEffect, useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { Modal } from '../../components/modal.js';
import { toast } from '../../components/toast.js';
import { api, ApiError, query, uploadFile, type Answer } from '../../lib/api.js';
import { formatDate, formatDateTime, formatMoney } from '../../lib/format.js';
import { errorText } from '../../lib/forms.js';
import { useI18n } from '../../lib/i18n.js';
import { MappingForm, ProblemList, type ChosenMapping } from '../budget/import-dialog.js';
import '../budget/import-messages.js';
import '../budget/import.css';
import './import-activities.css';
import type { FileProblem } from '../budget/import-types.js';
import './import-messages.js';
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

function PreviewRows(props: { preview: Preview }) {
  const { t } = useI18n();
  const { id } = props.preview;
  const [tab, setTab] = useState<Row['status']>('new');
  const [rows, setRows] = useState<{ items: Row[]; total: number }>();
  useEffect(() => {
    api
      .get('/imports/activities/{id}/rows', { path: { id }, query: { status: tab, limit: SHOWN } })
      .then(setRows, (err: unknown) => toast.error(errorText(err)));
  }, [id, tab]);
  return (
    <div class="stack">
      <div class="tabs" role="tablist">
        {(['new', 'duplicate'] as const).map((s) => (
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
            </tr>
          </thead>
          <tbody>
            {rows?.items.map((row) => (
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
              </tr>
            ))}
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
  const [problems, setProblems] = useState<{ list: FileProblem[]; count: number }>();
  const [undoing, setUndoing] = useState<Batch | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api.get('/imports/activity-presets').then(setPresets, () => undefined);
    api.get('/imports/activities').then(
      (b) => setBatches(b.filter((x) => x.status === 'committed')),
      () => undefined,
    );
  }, [version]);
  const portfolioName = (id: string) => props.portfolios.find((p) => p.id === id)?.name ?? '';

  const send = async (mapping?: Mapping) => {
    if (!file) return;
    setProblems(undefined);
    setProgress(0);
    try {
      const params = query({
        portfolioId,
        fileName: file.name,
        presetId: mapping ? undefined : presetId || undefined,
        mapping: mapping && JSON.stringify(mapping),
      });
      const preview = await uploadFile<Preview>(`/imports/activities${params}`, file, (sent, total) =>
        setProgress(total > 0 ? Math.round((sent / total) * 100) : 0),
      );
      setStep({ kind: 'preview', preview });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'IMPORT_MAPPING_REQUIRED')
        setStep({ kind: 'mapping', header: (err.details as { header: string[] }).header });
      else if (
        err instanceof ApiError &&
        (err.details as { problems?: FileProblem[] } | undefined)?.problems
      ) {
        const d = err.details as { problems: FileProblem[]; problemCount: number };
        setProblems({ list: d.problems, count: d.problemCount });
      } else toast.error(errorText(err));
    } finally {
      setProgress(undefined);
    }
  };
  const applyMapping = async (chosen: ChosenMapping, name: string) => {
    const mapping = { ...chosen, columns: { date: '', type: '', ...chosen.columns } };
    if (name) {
      await api.post('/imports/activity-presets', { body: { name, mapping } }).then(
        (p) => {
          setPresetId(p.id);
          setVersion((v) => v + 1);
        },
        (err: unknown) => toast.error(errorText(err)),
      );
    }
    await send(mapping);
  };
  const commit = async (preview: Preview) => {
    try {
      const result = await api.post('/imports/activities/{id}/commit', { path: { id: preview.id } });
      toast.success(t('act.committed', { n: result.created }));
      props.onChanged();
      setStep({ kind: 'file' });
      setVersion((v) => v + 1);
    } catch (err) {
      if (err instanceof ApiError && (err.details as { problems?: FileProblem[] } | undefined)?.problems) {
        const d = err.details as { problems: FileProblem[]; problemCount: number };
        setProblems({ list: d.problems, count: d.problemCount });
        setStep({ kind: 'file' });
      } else toast.error(errorText(err));
    }
  };
  const undo = async (batch: Batch) => {
    setUndoing(null);
    try {
      await api.del('/imports/activities/{id}', { path: { id: batch.id } });
      toast.success(t('imp.undone'));
      props.onChanged();
      setVersion((v) => v + 1);
    } catch (err) {
      toast.error(errorText(err));
    }
  };
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
          <>
            <button class="btn" type="button" onClick={back}>
              {t('imp.back')}
            </button>
            <button
              class="btn btn-primary"
              type="button"
              onClick={() => void commit(preview)}
              disabled={preview.counts.new === 0}
              data-testid="activity-commit"
            >
              {t('imp.commit', { n: preview.counts.new })}
            </button>
          </>
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
          <label class="field">
            <span>{t('imp.preset')}</span>
            <select class="input" value={presetId} onChange={(e) => setPresetId(e.currentTarget.value)}>
              <option value="">{t('imp.preset.auto')}</option>
              {presets.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
          {progress !== undefined && (
            <div aria-live="polite">
              <div class="muted">{t('imp.reading', { percent: progress })}</div>
              <div
                class="progress"
                role="progressbar"
                aria-valuenow={progress}
                aria-valuemin={0}
                aria-valuemax={100}
              >
                <div style={{ width: `${progress}%` }} />
              </div>
            </div>
          )}
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
            {preview.counts.newAssets > 0 && <> · {t('act.counts.newAssets', preview.counts)}</>}
          </p>
          <PreviewRows preview={preview} />
        </div>
      )}
      {step.kind === 'file' && (
        <section class="stack" style="margin-top:1rem">
          <h3 style="margin:0">{t('imp.history')}</h3>
          {batches.length === 0 ? (
            <p class="muted">{t('imp.history.none')}</p>
          ) : (
            <ul class="activity-history" data-testid="activity-history">
              {batches.map((b) => (
                <li key={b.id}>
                  <div class="activity-history-name">
                    {b.fileName || b.format.toUpperCase()}
                    <div class="muted small">
                      {portfolioName(b.portfolioId)} · {formatDateTime(b.committedAt ?? b.createdAt)} ·{' '}
                      {t('imp.history.created', { n: b.created })}
                    </div>
                  </div>
                  <button
                    class="btn btn-sm btn-danger"
                    type="button"
                    onClick={() => setUndoing(b)}
                    data-testid="activity-undo"
                  >
                    {t('imp.undo')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <Confirm
        text={undoing ? t('imp.undoConfirm', { n: undoing.created }) : null}
        onConfirm={() => undoing && void undo(undoing)}
        onClose={() => setUndoing(null)}
      />
    </Modal>
  );
}
