import { useState } from 'preact/hooks';
import { Confirm } from '../../components/confirm.js';
import { DialogButtons, Modal } from '../../components/modal.js';
import { api } from '../../lib/api.js';
import { formatMoney } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { Field, useSubmit } from '../../lib/forms.js';

import type { Overview, ValuedPortfolio } from './types.js';

/** Create (no `portfolio`) or rename a portfolio. */
function PortfolioDialog(props: { portfolio?: ValuedPortfolio; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const editing = props.portfolio;
  const [name, setName] = useState(editing?.name ?? '');
  const [cashTracking, setCashTracking] = useState(editing?.cashTracking ?? false);
  const { busy, errors, problem, run } = useSubmit({ inline: true });

  const submit = (e: Event) => {
    e.preventDefault();
    void run({
      send: () =>
        editing
          ? api.patch('/portfolios/{id}', { path: { id: editing.id }, body: { name: name.trim() } })
          : api.post('/portfolios', { body: { name: name.trim(), cashTracking } }),
      fields: ['name'],
      success: editing ? t('inv.pf.renamed') : t('inv.pf.created', { name: name.trim() }),
      done: props.onSaved,
    });
  };

  return (
    <Modal
      open
      title={editing ? t('inv.pf.rename') : t('inv.pf.new')}
      onClose={props.onClose}
      footer={
        <DialogButtons
          formId="portfolio-form"
          onCancel={props.onClose}
          busy={busy}
          submitTestId="portfolio-save"
        />
      }
    >
      <form noValidate id="portfolio-form" onSubmit={submit}>
        <Field id="portfolio-name" label={t('inv.pf.name')} error={errors.name}>
          <input
            maxLength={100}
            autocomplete="off"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        {!editing && (
          <label class="row inv-check">
            <input
              type="checkbox"
              checked={cashTracking}
              onChange={(e) => setCashTracking(e.currentTarget.checked)}
            />
            <span>{t('inv.pf.cashTracking')}</span>
          </label>
        )}
        {problem && (
          <div class="banner error" role="alert">
            {problem}
          </div>
        )}
      </form>
    </Modal>
  );
}

/** The user's portfolios with their value: create, rename, delete. */
export function PortfoliosSection(props: { overview: Overview; onChanged: () => void }) {
  const { t } = useI18n();
  const [dialog, setDialog] = useState<{ portfolio?: ValuedPortfolio }>();
  const [deleting, setDeleting] = useState<{ portfolio: ValuedPortfolio; operations?: number }>();
  const base = props.overview.baseCurrency;
  const items = props.overview.portfolios;
  const held = (p: ValuedPortfolio) => p.positions.filter((x) => !x.closed && x.cashCurrency === null).length;

  /** Asks before deleting, saying how many operations go with the portfolio. */
  const askDelete = async (p: ValuedPortfolio) => {
    try {
      const page = await api.get('/portfolios/{id}/operations', { path: { id: p.id }, query: { limit: 1 } });
      setDeleting({ portfolio: p, operations: page.total });
    } catch {
      setDeleting({ portfolio: p });
    }
  };

  const { run } = useSubmit();
  const remove = (p: ValuedPortfolio) =>
    void run({
      send: () => api.del('/portfolios/{id}', { path: { id: p.id } }),
      success: t('inv.pf.deleted', { name: p.name }),
      done: props.onChanged,
    });

  return (
    <section class="card" data-testid="portfolios">
      <div class="inv-head">
        <h2>{t('inv.pf.title')}</h2>
        <button class="btn btn-sm" type="button" onClick={() => setDialog({})}>
          {t('inv.pf.new')}
        </button>
      </div>
      {items.length === 0 && <p class="muted">{t('inv.pf.none')}</p>}
      {items.length > 0 && (
        <ul class="inv-portfolios">
          {items.map((p) => (
            <li key={p.id} data-testid="portfolio-row">
              <span class="inv-pf-name">
                <b>{p.name}</b>{' '}
                <span class="muted small">
                  {t(`inv.pf.kind.${p.kind}`)} · {t('inv.pf.positions', { count: held(p) })}
                </span>
              </span>
              <span class="num">{formatMoney(p.totals.value, base)}</span>
              <span class="inv-row-actions">
                <button
                  class="btn btn-sm"
                  type="button"
                  aria-label={`${t('inv.pf.rename')} ${p.name}`}
                  title={t('inv.pf.rename')}
                  onClick={() => setDialog({ portfolio: p })}
                >
                  ✎
                </button>
                <button
                  class="btn btn-sm"
                  type="button"
                  aria-label={`${t('inv.pf.delete')} ${p.name}`}
                  title={t('inv.pf.delete')}
                  onClick={() => void askDelete(p)}
                >
                  ✕
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {dialog && (
        <PortfolioDialog
          portfolio={dialog.portfolio}
          onClose={() => setDialog(undefined)}
          onSaved={() => {
            setDialog(undefined);
            props.onChanged();
          }}
        />
      )}
      <Confirm
        text={
          deleting
            ? deleting.operations === undefined
              ? t('inv.pf.confirmDeleteAll', { name: deleting.portfolio.name })
              : t('inv.pf.confirmDelete', { name: deleting.portfolio.name, count: deleting.operations })
            : null
        }
        onConfirm={() => deleting && remove(deleting.portfolio)}
        onClose={() => setDeleting(undefined)}
      />
    </section>
  );
}
