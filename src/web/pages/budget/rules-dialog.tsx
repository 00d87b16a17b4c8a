import { useEffect, useState } from 'preact/hooks';
import { Modal } from '../../components/modal.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { errorText } from '../../lib/forms.js';
import { useI18n } from '../../lib/i18n.js';
import './import-messages.js';
import type { ImportRule } from './import-types.js';
import type { Account, Category } from './types.js';

/** Import rules: when a field matches, set a category, rewrite the description or make a transfer. */
export function RulesDialog(props: { accounts: Account[]; categories: Category[]; onClose: () => void }) {
  const { t } = useI18n();
  const [rules, setRules] = useState<ImportRule[]>();
  const [field, setField] = useState<ImportRule['field']>('description');
  const [pattern, setPattern] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [setDescription, setSetDescription] = useState('');
  const [transferAccountId, setTransferAccountId] = useState('');
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api.get('/imports/rules').then(setRules, (err: unknown) => toast.error(errorText(err)));
  }, [version]);
  const name = (id: string | null) =>
    props.categories.find((c) => c.id === id)?.name ?? props.accounts.find((a) => a.id === id)?.name ?? '';
  const add = async (e: Event) => {
    e.preventDefault();
    try {
      await api.post('/imports/rules', {
        body: {
          field,
          pattern,
          categoryId: categoryId || null,
          setDescription: setDescription.trim() || null,
          transferAccountId: transferAccountId || null,
          position: rules?.length ?? 0,
        },
      });
      setPattern('');
      setSetDescription('');
      setVersion((v) => v + 1);
    } catch (err) {
      toast.error(errorText(err));
    }
  };
  const remove = async (rule: ImportRule) => {
    await api
      .del('/imports/rules/{id}', { path: { id: rule.id } })
      .catch((err: unknown) => toast.error(errorText(err)));
    setVersion((v) => v + 1);
  };
  return (
    <Modal open wide title={t('imp.rules.title')} onClose={props.onClose}>
      {rules?.length === 0 && <p class="muted">{t('imp.rules.none')}</p>}
      <ul class="budget-list" data-testid="rule-list">
        {rules?.map((r) => (
          <li key={r.id}>
            <div class="budget-list-name">
              {t('imp.rules.field')} {t(`imp.rules.field.${r.field}`)} {t('imp.rules.pattern')} «{r.pattern}»
              <div class="muted budget-sub">
                {t('imp.rules.then')}{' '}
                {[
                  name(r.categoryId),
                  r.setDescription && `«${r.setDescription}»`,
                  r.transferAccountId && `${t('imp.rules.transfer')} ${name(r.transferAccountId)}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </div>
            </div>
            <button class="btn btn-sm btn-danger" type="button" onClick={() => void remove(r)}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      <form noValidate class="card budget-form stack" onSubmit={(e) => void add(e)} data-testid="rule-form">
        <div class="form-row">
          <label class="field">
            <span>{t('imp.rules.field')}</span>
            <select
              class="input"
              value={field}
              onChange={(e) => setField(e.currentTarget.value as ImportRule['field'])}
            >
              {(['description', 'payee', 'mcc'] as const).map((f) => (
                <option key={f} value={f}>
                  {t(`imp.rules.field.${f}`)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>{t('imp.rules.pattern')}</span>
            <input
              class="input"
              required
              maxLength={200}
              value={pattern}
              onInput={(e) => setPattern(e.currentTarget.value)}
              data-testid="rule-pattern"
            />
          </label>
        </div>
        <div class="form-row">
          <label class="field">
            <span>{t('imp.rules.category')}</span>
            <select
              class="input"
              value={categoryId}
              onChange={(e) => setCategoryId(e.currentTarget.value)}
              data-testid="rule-category"
            >
              <option value="">—</option>
              {props.categories
                .filter((c) => !c.deleted)
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.parentId ? `· ${c.name}` : c.name}
                  </option>
                ))}
            </select>
          </label>
          <label class="field">
            <span>{t('imp.rules.setDescription')}</span>
            <input
              class="input"
              maxLength={500}
              value={setDescription}
              onInput={(e) => setSetDescription(e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>{t('imp.rules.transfer')}</span>
            <select
              class="input"
              value={transferAccountId}
              onChange={(e) => setTransferAccountId(e.currentTarget.value)}
            >
              <option value="">—</option>
              {props.accounts
                .filter((a) => !a.archived)
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
            </select>
          </label>
        </div>
        <div class="row" style="justify-content:flex-end">
          <button class="btn btn-primary" type="submit" data-testid="rule-add">
            {t('imp.rules.add')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
