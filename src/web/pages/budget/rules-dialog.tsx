import { useEffect, useState } from 'preact/hooks';
import { Modal } from '../../components/modal.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { errorText, Field, useSubmit } from '../../lib/forms.js';
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
  const { errors, run } = useSubmit();
  const add = (e: Event) => {
    e.preventDefault();
    void run({
      send: () =>
        api.post('/imports/rules', {
          body: {
            field,
            pattern,
            categoryId: categoryId || null,
            setDescription: setDescription.trim() || null,
            transferAccountId: transferAccountId || null,
            position: rules?.length ?? 0,
          },
        }),
      done: () => {
        setPattern('');
        setSetDescription('');
        setVersion((v) => v + 1);
      },
    });
  };
  const remove = (rule: ImportRule) =>
    void run({ send: () => api.del('/imports/rules/{id}', { path: { id: rule.id } }) }).then(() =>
      setVersion((v) => v + 1),
    );
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
            <button class="btn btn-sm btn-danger" type="button" onClick={() => remove(r)}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      <form noValidate class="card budget-form stack" onSubmit={add} data-testid="rule-form">
        <div class="form-row">
          <Field id="rule-field" label={t('imp.rules.field')} error={errors.field}>
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
          </Field>
          <Field id="rule-pattern-input" label={t('imp.rules.pattern')} error={errors.pattern}>
            <input
              class="input"
              required
              maxLength={200}
              value={pattern}
              onInput={(e) => setPattern(e.currentTarget.value)}
              data-testid="rule-pattern"
            />
          </Field>
        </div>
        <div class="form-row">
          <Field id="rule-category-input" label={t('imp.rules.category')} error={errors.categoryId}>
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
          </Field>
          <Field id="rule-description" label={t('imp.rules.setDescription')} error={errors.setDescription}>
            <input
              class="input"
              maxLength={500}
              value={setDescription}
              onInput={(e) => setSetDescription(e.currentTarget.value)}
            />
          </Field>
          <Field id="rule-transfer" label={t('imp.rules.transfer')} error={errors.transferAccountId}>
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
          </Field>
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
