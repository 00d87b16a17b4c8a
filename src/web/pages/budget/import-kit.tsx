import { useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { toast } from '../../components/toast.js';
import { ApiError, uploadFile } from '../../lib/api.js';
import { formatDateTime } from '../../lib/format.js';
import { errorText, useSubmit } from '../../lib/forms.js';
import { useI18n } from '../../lib/i18n.js';
import type { FileProblem } from './import-types.js';
import './import-messages.js';
import './import.css';

// The pieces both import dialogs (bank statements, investment activities) are made of.

export interface FileProblems {
  list: FileProblem[];
  count: number;
}

/**
 * What a refused upload or commit means for the dialog: the file's header when its columns must be
 * mapped, its problems per line, or neither (then it is said in a toast and the answer is null).
 */
export function importRefusal(err: unknown): { header: string[] } | { problems: FileProblems } | null {
  if (err instanceof ApiError && err.code === 'IMPORT_MAPPING_REQUIRED')
    return { header: (err.details as { header: string[] }).header };
  const details =
    err instanceof ApiError
      ? (err.details as { problems?: FileProblem[]; problemCount?: number } | undefined)
      : undefined;
  if (details?.problems)
    return { problems: { list: details.problems, count: details.problemCount ?? details.problems.length } };
  toast.error(errorText(err));
  return null;
}

/** Sends a file for a preview, telling how much of it has gone (0–100). */
export function uploadForPreview<P>(
  path: string,
  file: File,
  onPercent: (percent: number) => void,
): Promise<P> {
  return uploadFile<P>(path, file, (sent, total) =>
    onPercent(total > 0 ? Math.round((sent / total) * 100) : 0),
  );
}

/** A refused upload shown in the dialog: the mapping step for a header, else the file's problems. */
export function showRefusedUpload(
  onHeader: (header: string[]) => void,
  onProblems: (p: FileProblems) => void,
) {
  return (err: unknown): undefined => {
    const refusal = importRefusal(err);
    if (refusal && 'header' in refusal) onHeader(refusal.header);
    else if (refusal) onProblems(refusal.problems);
    return undefined;
  };
}

export function UploadProgress(props: { percent: number | undefined }) {
  const { t } = useI18n();
  if (props.percent === undefined) return null;
  return (
    <div aria-live="polite">
      <div class="muted">{t('imp.reading', { percent: props.percent })}</div>
      <div
        class="progress"
        role="progressbar"
        aria-valuenow={props.percent}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div style={{ width: `${props.percent}%` }} />
      </div>
    </div>
  );
}

export function PresetSelect(props: {
  value: string;
  presets: { id: string; name: string }[];
  onChange: (id: string) => void;
}) {
  const { t } = useI18n();
  return (
    <label class="field">
      <span>{t('imp.preset')}</span>
      <select class="input" value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">{t('imp.preset.auto')}</option>
        {props.presets.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The preview's buttons: back to the file, or take the new rows in. */
export function PreviewFooter(props: {
  count: number;
  testId: string;
  onBack: () => void;
  onCommit: () => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <button class="btn" type="button" onClick={props.onBack}>
        {t('imp.back')}
      </button>
      <button
        class="btn btn-primary"
        type="button"
        onClick={props.onCommit}
        disabled={props.count === 0}
        data-testid={`${props.testId}-commit`}
      >
        {t('imp.commit', { n: props.count })}
      </button>
    </>
  );
}

interface Batch {
  id: string;
  fileName: string;
  format: string;
  created: number;
  createdAt: string;
  committedAt: string | null;
}

/** Committed imports, newest first, each undone as a whole after a confirmation. */
export function BatchHistory<B extends Batch>(props: {
  batches: B[];
  /** Where a batch went (the account or portfolio's name). */
  where: (batch: B) => string;
  testId: string;
  remove: (batch: B) => Promise<unknown>;
  onUndone: () => void;
}) {
  const { t } = useI18n();
  const [undoing, setUndoing] = useState<B | null>(null);
  const { run } = useSubmit();
  const undo = (batch: B) => {
    setUndoing(null);
    void run({ send: () => props.remove(batch), success: t('imp.undone'), done: props.onUndone });
  };
  return (
    <section class="stack" style="margin-top:1rem">
      <h3 style="margin:0">{t('imp.history')}</h3>
      {props.batches.length === 0 ? (
        <p class="muted">{t('imp.history.none')}</p>
      ) : (
        <ul class="import-history" data-testid={`${props.testId}-history`}>
          {props.batches.map((b) => (
            <li key={b.id}>
              <div class="import-history-name">
                {b.fileName || b.format.toUpperCase()}
                <div class="muted import-history-sub">
                  {props.where(b)} · {formatDateTime(b.committedAt ?? b.createdAt)} ·{' '}
                  {t('imp.history.created', { n: b.created })}
                </div>
              </div>
              <button
                class="btn btn-sm btn-danger"
                type="button"
                onClick={() => setUndoing(b)}
                data-testid={`${props.testId}-undo`}
              >
                {t('imp.undo')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <Confirm
        text={undoing ? t('imp.undoConfirm', { n: undoing.created }) : null}
        onConfirm={() => undoing && undo(undoing)}
        onClose={() => setUndoing(null)}
      />
    </section>
  );
}
