import { useState } from 'preact/hooks';
import { DialogButtons, Modal } from '../../components/modal.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { formatMoney } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { Confirm } from '../../components/confirm.js';
import { errorText, fieldErrors, toDecimal } from '../../lib/forms.js';
import { toInput } from './forms.js';
import type { Category } from './types.js';

type Kind = 'income' | 'expense';

function CategoryForm(props: {
  kind: Kind;
  category?: Category;
  parentId: string | null;
  categories: Category[];
  baseCurrency: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t, locale } = useI18n();
  const c = props.category;
  const [name, setName] = useState(c?.name ?? '');
  const [color, setColor] = useState(
    c?.color ?? props.categories.find((x) => x.id === props.parentId)?.color ?? '#2f6feb',
  );
  const [parentId, setParentId] = useState(c?.parentId ?? props.parentId ?? '');
  const [limit, setLimit] = useState(c?.monthlyLimit ? toInput(c.monthlyLimit, locale) : '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const hasChildren = c !== undefined && props.categories.some((x) => x.parentId === c.id);
  const groups = props.categories.filter(
    (x) => x.kind === props.kind && x.parentId === null && x.id !== c?.id,
  );

  async function save(e: Event) {
    e.preventDefault();
    const body = {
      name,
      color,
      parentId: parentId === '' ? null : parentId,
      ...(props.kind === 'expense' ? { monthlyLimit: limit.trim() === '' ? null : toDecimal(limit) } : {}),
    };
    setSaving(true);
    try {
      if (c) await api.patch('/budget/categories/{id}', { path: { id: c.id }, body });
      else await api.post('/budget/categories', { body: { kind: props.kind, ...body } });
      toast.success(t('budget.cat.saved'));
      props.onDone();
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) toast.error(errorText(err));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      noValidate
      id="category-form"
      class="card budget-form"
      onSubmit={(e) => void save(e)}
      data-testid="category-form"
    >
      <div class="form-row">
        <div class="field">
          <label for="cat-name">{t('budget.cat.name')}</label>
          <input id="cat-name" maxLength={60} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          {errors.name && <span class="field-error">{errors.name}</span>}
        </div>
        <div class="field">
          <label for="cat-group">{t('budget.cat.group')}</label>
          <select
            id="cat-group"
            value={parentId}
            disabled={hasChildren}
            onChange={(e) => setParentId(e.currentTarget.value)}
          >
            <option value="">{t('budget.cat.noGroup')}</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
          {errors.parentId && <span class="field-error">{errors.parentId}</span>}
        </div>
      </div>
      <div class="form-row">
        <div class="field">
          <label for="cat-color">{t('budget.cat.color')}</label>
          <input id="cat-color" type="color" value={color} onInput={(e) => setColor(e.currentTarget.value)} />
        </div>
        {props.kind === 'expense' && (
          <div class="field">
            <label for="cat-limit">{t('budget.cat.limit')}</label>
            <input
              id="cat-limit"
              inputMode="decimal"
              placeholder={t('budget.cat.limitHint', { currency: props.baseCurrency })}
              value={limit}
              onInput={(e) => setLimit(e.currentTarget.value)}
            />
            {errors.monthlyLimit && <span class="field-error">{errors.monthlyLimit}</span>}
          </div>
        )}
      </div>
      <div class="row" style="justify-content:flex-end">
        <DialogButtons
          formId="category-form"
          onCancel={props.onCancel}
          busy={saving}
          submitTestId="category-save"
        />
      </div>
    </form>
  );
}

/** Groups and categories of one kind: add, rename, recolour, regroup, limit, delete. */
export function CategoriesDialog(props: {
  categories: Category[];
  baseCurrency: string;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [kind, setKind] = useState<Kind>('expense');
  const [editing, setEditing] = useState<{ category?: Category; parentId: string | null } | null>(null);
  const [deleting, setDeleting] = useState<Category | null>(null);
  const active = props.categories.filter((c) => !c.deleted);
  const groups = active.filter((c) => c.kind === kind && c.parentId === null);

  async function remove(c: Category) {
    try {
      await api.del('/budget/categories/{id}', { path: { id: c.id } });
      toast.success(t('budget.cat.deleted'));
      props.onChanged();
    } catch (err) {
      toast.error(errorText(err));
    }
  }

  const row = (c: Category, child: boolean) => (
    <li key={c.id} class={child ? 'budget-child' : 'budget-group'} data-testid="category-row">
      <span class="budget-dot" style={{ background: c.color }} />
      <span class="budget-list-name">{c.name}</span>
      {c.monthlyLimit !== null && (
        <span class="num muted budget-sub">{formatMoney(c.monthlyLimit, props.baseCurrency)}</span>
      )}
      <div class="budget-actions">
        {!child && (
          <button
            class="btn btn-sm btn-ghost"
            type="button"
            title={t('budget.cat.add')}
            aria-label={t('budget.cat.add')}
            onClick={() => setEditing({ parentId: c.id })}
          >
            +
          </button>
        )}
        <button
          class="btn btn-sm"
          type="button"
          onClick={() => setEditing({ category: c, parentId: c.parentId })}
        >
          {t('action.edit')}
        </button>
        <button class="btn btn-sm btn-danger" type="button" onClick={() => setDeleting(c)}>
          {t('action.delete')}
        </button>
      </div>
    </li>
  );

  return (
    <Modal open wide title={t('budget.cat.title')} onClose={props.onClose}>
      <div class="tabs" role="tablist">
        {(['expense', 'income'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={kind === k}
            onClick={() => {
              setKind(k);
              setEditing(null);
            }}
          >
            {t(`budget.cat.${k}`)}
          </button>
        ))}
      </div>
      {editing ? (
        <CategoryForm
          key={editing.category?.id ?? `new-${editing.parentId ?? ''}`}
          kind={kind}
          category={editing.category}
          parentId={editing.parentId}
          categories={active}
          baseCurrency={props.baseCurrency}
          onCancel={() => setEditing(null)}
          onDone={() => {
            setEditing(null);
            props.onChanged();
          }}
        />
      ) : (
        <div class="row" style="margin-bottom:0.75rem">
          <button class="btn btn-primary" type="button" onClick={() => setEditing({ parentId: null })}>
            {t('budget.cat.addGroup')}
          </button>
        </div>
      )}
      <ul class="budget-list budget-manage">
        {groups.flatMap((g) => [
          row(g, false),
          ...active.filter((c) => c.parentId === g.id).map((c) => row(c, true)),
        ])}
      </ul>
      <Confirm
        text={
          deleting
            ? t(deleting.parentId === null ? 'budget.cat.deleteGroupConfirm' : 'budget.cat.deleteConfirm', {
                name: deleting.name,
              })
            : null
        }
        onConfirm={() => deleting && void remove(deleting)}
        onClose={() => setDeleting(null)}
      />
    </Modal>
  );
}
