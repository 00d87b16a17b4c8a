import { parseDecimal } from '../../../common/money.js';
import type { Db } from '../../platform/db.js';
import { AppError, validationFailed } from '../../platform/errors.js';
import { pgErrorCode, UNIQUE_VIOLATION } from '../../platform/pg-errors.js';
import { categoryNotFound } from './budget-errors.js';
import * as q from './categories.queries.js';
import type {
  CategoryDto,
  CategoryKind,
  CreateCategoryBody,
  UpdateCategoryBody,
} from './categories.schemas.js';
import { defaultCategories } from './default-categories.js';

// Colours for categories created without one (and without a group to inherit from).
const PALETTE = ['#43a047', '#1e88e5', '#fb8c00', '#8e24aa', '#e53935', '#00acc1', '#fdd835', '#6d4c41'];

export function toCategoryDto(row: q.CategoryRow): CategoryDto {
  return {
    id: row.id,
    kind: row.kind === 'income' ? 'income' : 'expense',
    name: row.name,
    color: row.color,
    parentId: row.parentId,
    monthlyLimit: row.monthlyLimit,
    sortOrder: row.sortOrder,
    deleted: row.deletedAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Income groups after expense ones; each group by its order, followed by its categories. */
export function treeOrder(rows: q.CategoryRow[]): q.CategoryRow[] {
  const bySort = (x: q.CategoryRow, y: q.CategoryRow) =>
    x.sortOrder - y.sortOrder || x.name.localeCompare(y.name, 'ru');
  const children = new Map<string, q.CategoryRow[]>();
  for (const row of rows) {
    if (row.parentId !== null) children.set(row.parentId, [...(children.get(row.parentId) ?? []), row]);
  }
  const ids = new Set(rows.map((r) => r.id));
  // A category whose group is not in the list (filtered out) is listed as if it were a group.
  const tops = rows.filter((r) => r.parentId === null || !ids.has(r.parentId));
  return (['expense', 'income'] as const).flatMap((kind) =>
    tops
      .filter((r) => r.kind === kind)
      .sort(bySort)
      .flatMap((top) => [top, ...(top.parentId === null ? (children.get(top.id) ?? []).sort(bySort) : [])]),
  );
}

const nameTaken = () =>
  new AppError(409, 'CATEGORY_NAME_TAKEN', 'name: an active category of this kind already has this name', {
    field: 'name',
  });

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw validationFailed('name', 'BLANK', 'must not be blank');
  return trimmed;
}

function checkLimit(kind: string, limit: string | null | undefined): void {
  if (limit === undefined || limit === null) return;
  if (kind !== 'expense')
    throw validationFailed('monthlyLimit', 'LIMIT_EXPENSE_ONLY', 'only expense categories have a limit');
  if (parseDecimal(limit, 2).lte(0))
    throw validationFailed('monthlyLimit', 'NOT_POSITIVE', 'must be greater than 0');
}

export function createCategoriesService({ db }: { db: Db }) {
  /** The parent must be an active group (top level) of the same kind: categories have two levels. */
  async function checkParent(tx: Db, userId: string, kind: string, parentId: string, selfId?: string) {
    const parent = await q.findCategory(tx, userId, parentId);
    if (!parent) throw categoryNotFound('parentId');
    if (parent.deletedAt !== null)
      throw validationFailed('parentId', 'GROUP_DELETED', 'the group is deleted');
    if (parent.id === selfId)
      throw validationFailed('parentId', 'GROUP_NESTING', 'a category cannot be its own group');
    if (parent.parentId !== null)
      throw validationFailed('parentId', 'GROUP_NESTING', 'must be a top-level group (two levels at most)');
    if (parent.kind !== kind)
      throw validationFailed('parentId', 'CATEGORY_KIND', `the group is an ${parent.kind} group`, {
        kind: `${parent.kind}`,
      });
    return parent;
  }

  async function uniqueName<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      // Two requests racing for one name: the unique index decides.
      if (pgErrorCode(err) === UNIQUE_VIOLATION) throw nameTaken();
      throw err;
    }
  }

  return {
    async list(userId: string, options: { kind?: CategoryKind; includeDeleted?: boolean }) {
      return treeOrder(await q.listCategories(db, userId, options)).map(toCategoryDto);
    },

    async get(userId: string, id: string): Promise<CategoryDto> {
      const row = await q.findCategory(db, userId, id);
      if (!row) throw categoryNotFound();
      return toCategoryDto(row);
    },

    async create(userId: string, body: CreateCategoryBody): Promise<CategoryDto> {
      const name = cleanName(body.name);
      checkLimit(body.kind, body.monthlyLimit);
      return uniqueName(() =>
        db.transaction(async (tx) => {
          const parentId = body.parentId ?? null;
          const parent = parentId === null ? undefined : await checkParent(tx, userId, body.kind, parentId);
          if (await q.findActiveByName(tx, userId, body.kind, name)) throw nameTaken();
          const sortOrder = body.sortOrder ?? (await q.nextSortOrder(tx, userId, body.kind, parentId));
          const [row] = await q.insertCategories(tx, [
            {
              userId,
              kind: body.kind,
              name,
              parentId,
              color: body.color ?? parent?.color ?? PALETTE[sortOrder % PALETTE.length] ?? '#9e9e9e',
              monthlyLimit: body.monthlyLimit ?? null,
              sortOrder,
            },
          ]);
          if (!row) throw new Error('category insert returned nothing');
          return toCategoryDto(row);
        }),
      );
    },

    async update(userId: string, id: string, body: UpdateCategoryBody): Promise<CategoryDto> {
      return uniqueName(() =>
        db.transaction(async (tx) => {
          const current = await q.findCategory(tx, userId, id);
          if (!current) throw categoryNotFound();
          if (current.deletedAt !== null) {
            throw new AppError(409, 'CATEGORY_DELETED', 'A deleted category cannot be changed');
          }
          const name = body.name === undefined ? undefined : cleanName(body.name);
          if (name !== undefined && (await q.findActiveByName(tx, userId, current.kind, name, id)))
            throw nameTaken();
          checkLimit(current.kind, body.monthlyLimit);
          if (body.parentId !== undefined && body.parentId !== null && body.parentId !== current.parentId) {
            await checkParent(tx, userId, current.kind, body.parentId, id);
            if ((await q.countActiveChildren(tx, userId, id)) > 0) {
              throw validationFailed(
                'parentId',
                'GROUP_NESTING',
                'a group with categories cannot move into another group',
              );
            }
          }
          const row = await q.updateCategory(tx, userId, id, { ...body, name });
          if (!row) throw categoryNotFound();
          return toCategoryDto(row);
        }),
      );
    },

    async remove(userId: string, id: string): Promise<void> {
      if (!(await q.softDeleteCategory(db, userId, id))) throw categoryNotFound();
    },

    /** Registration hook: the default Russian set, inside the registration transaction. */
    async createDefaults(tx: Db, userId: string, locale: 'ru' | 'en' = 'ru'): Promise<void> {
      const starter = defaultCategories(locale);
      const sortOf = new Map<string, number>();
      const groups = await q.insertCategories(
        tx,
        starter.map((g) => {
          const sortOrder = sortOf.get(g.kind) ?? 0;
          sortOf.set(g.kind, sortOrder + 1);
          return { userId, kind: g.kind, name: g.name, color: g.color, parentId: null, sortOrder };
        }),
      );
      const idOf = new Map(groups.map((g) => [`${g.kind}:${g.name}`, g.id]));
      await q.insertCategories(
        tx,
        starter.flatMap((g) =>
          g.children.map((name, i) => ({
            userId,
            kind: g.kind,
            name,
            color: g.color,
            parentId: idOf.get(`${g.kind}:${g.name}`) ?? null,
            sortOrder: i,
          })),
        ),
      );
    },
  };
}

export type CategoriesService = ReturnType<typeof createCategoriesService>;
