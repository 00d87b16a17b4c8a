import { useState } from 'preact/hooks';
import { DialogButtons, Modal } from '../../components/modal.js';
import { api } from '../../lib/api.js';
import { formatMoney } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { Confirm } from '../../components/confirm.js';
import { Field, toDecimal, useSubmit } from '../../lib/forms.js';
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
  const { busy, errors, run } = useSubmit();
  const hasChildren = c !== undefined && props.categories.some((x) => x.parentId === c.id);
  const groups = props.categories.filter(
    (x) => x.kind === props.kind && x.parentId === null && x.id !== c?.id,
  );

  function save(e: Event) {
    e.preventDefault();
    const body = {
      name,
      color,
      parentId: parentId === '' ? null : parentId,
      ...(props.kind === 'expense' ? { monthlyLimit: limit.trim() === '' ? null : toDecimal(limit) } : {}),
    };
    void run({
      send: () =>
        c
          ? api.patch('/budget/categories/{id}', { path: { id: c.id }, body })
          : api.post('/budget/categories', { body: { kind: props.kind, ...body } }),
      success: t('budget.cat.saved'),
      done: props.onDone,
    });
  }

  return (
    <form noValidate id="category-form" class="card budget-form" onSubmit={save} data-testid="category-form">
      <div class="form-row">
        <Field id="cat-name" label={t('budget.cat.name')} error={errors.name}>
          <input maxLength={60} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field id="cat-group" label={t('budget.cat.group')} error={errors.parentId}>
          <select
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
        </Field>
      </div>
      <div class="form-row">
        <Field id="cat-color" label={t('budget.cat.color')}>
          <input type="color" value={color} onInput={(e) => setColor(e.currentTarget.value)} />
        </Field>
        {props.kind === 'expense' && (
          <Field id="cat-limit" label={t('budget.cat.limit')} error={errors.monthlyLimit}>
            <input
              inputMode="decimal"
              placeholder={t('budget.cat.limitHint', { currency: props.baseCurrency })}
              value={limit}
              onInput={(e) => setLimit(e.currentTarget.value)}
            />
          </Field>
        )}
      </div>
      <div class="row" style="justify-content:flex-end">
        <DialogButtons
          formId="category-form"
          onCancel={props.onCancel}
          busy={busy}
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

  const { run } = useSubmit();
  const remove = (c: Category) =>
    void run({
      send: () => api.del('/budget/categories/{id}', { path: { id: c.id } }),
      success: t('budget.cat.deleted'),
      done: props.onChanged,
    });

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
        onConfirm={() => deleting && remove(deleting)}
        onClose={() => setDeleting(null)}
      />
    </Modal>
  );
}
