import { dec, type Decimal } from '../../../common/decimal.js';
import { toFixed } from '../../../common/money.js';
import { addUp, type ConvertedFlow } from './base-totals.js';
import type { CategoryRow } from './categories.queries.js';
import type { Period } from './period.js';
import type * as q from './summary.queries.js';
import type { Slice } from './summary.schemas.js';

/** The pure parts of the reports: category slices, labels, month sums in the base currency. */

export const ZERO = '0.00';
const UNCATEGORISED = { name: 'Без категории', color: '#9e9e9e' };

export const periodDto = (p: Period) => ({ month: p.month, dateFrom: p.from, dateTo: p.to });

/** Base currency first, then the others alphabetically. */
export function currencyOrder(base: string) {
  return (x: string, y: string) => (x === base ? -1 : y === base ? 1 : x.localeCompare(y));
}

/** What a slice shows of a category. */
export type CategoryLabel = Pick<CategoryRow, 'id' | 'parentId' | 'name' | 'color'>;

/** Category slices, largest first, and the same rolled up to top-level groups. */
export function slices(
  rows: { categoryId: string | null; amount: string }[],
  categories: ReadonlyMap<string, CategoryLabel>,
): { byCategory: Slice[]; byGroup: Slice[] } {
  const describe = (id: string | null): Omit<Slice, 'amount'> => {
    const cat = id === null ? undefined : categories.get(id);
    return cat
      ? { categoryId: cat.id, name: cat.name, color: cat.color }
      : { categoryId: null, ...UNCATEGORISED };
  };
  const groups = new Map<string | null, { label: Omit<Slice, 'amount'>; total: Decimal }>();
  const byCategory: { slice: Slice; size: Decimal }[] = [];
  for (const row of rows) {
    const size = dec(row.amount);
    byCategory.push({ slice: { ...describe(row.categoryId), amount: row.amount }, size });
    const cat = row.categoryId === null ? undefined : categories.get(row.categoryId);
    const groupId = cat ? (cat.parentId ?? cat.id) : null;
    const group = groups.get(groupId) ?? { label: describe(groupId), total: dec(0) };
    group.total = group.total.plus(size);
    groups.set(groupId, group);
  }
  const largestFirst = (x: { slice: Slice; size: Decimal }, y: { slice: Slice; size: Decimal }) =>
    y.size.cmp(x.size) || x.slice.name.localeCompare(y.slice.name);
  const byGroup = [...groups.values()].map((g) => ({
    slice: { ...g.label, amount: toFixed(g.total) },
    size: g.total,
  }));
  return {
    byCategory: byCategory.sort(largestFirst).map((x) => x.slice),
    byGroup: byGroup.sort(largestFirst).map((x) => x.slice),
  };
}

/** The labels of the categories, and of their groups, that report rows refer to. */
export function labelsOf(rows: q.CategoryAmountRow[]): Map<string, CategoryLabel> {
  const labels = new Map<string, CategoryLabel>();
  for (const r of rows) {
    if (r.categoryId === null || r.name === null || r.color === null) continue;
    labels.set(r.categoryId, { id: r.categoryId, parentId: r.parentId, name: r.name, color: r.color });
    if (r.parentId !== null && r.groupName !== null && r.groupColor !== null) {
      labels.set(r.parentId, { id: r.parentId, parentId: null, name: r.groupName, color: r.groupColor });
    }
  }
  return labels;
}

/** Slices of converted flows added to the base-currency rows of the same kind. */
export function baseSlices(
  baseRows: { categoryId: string | null; amount: string }[],
  flows: readonly ConvertedFlow[],
  categories: ReadonlyMap<string, CategoryLabel>,
) {
  const sums = new Map<string | null, Decimal>();
  for (const r of baseRows) sums.set(r.categoryId, (sums.get(r.categoryId) ?? dec(0)).plus(r.amount));
  addUp(sums, flows, (f) => f.categoryId);
  return slices(
    [...sums.entries()].map(([categoryId, amount]) => ({ categoryId, amount: toFixed(amount) })),
    categories,
  );
}

/** Income and expense per month in the base currency: its own month sums plus the converted flows. */
export function monthsInBase(
  flows: readonly ConvertedFlow[],
  months: { currency: string; month: string; income: string; expense: string }[],
  base: string,
) {
  const sums = {
    income: addUp(
      new Map(),
      flows.filter((f) => f.type === 'income'),
      (f) => f.date.slice(0, 7),
    ),
    expense: addUp(
      new Map(),
      flows.filter((f) => f.type === 'expense'),
      (f) => f.date.slice(0, 7),
    ),
  };
  for (const m of months) {
    if (m.currency !== base) continue;
    for (const type of ['income', 'expense'] as const)
      sums[type].set(m.month, (sums[type].get(m.month) ?? dec(0)).plus(m[type]));
  }
  return sums;
}
