import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { budgetCategories } from '../../db/schema.js';
import type { CategoryKind } from './categories.schemas.js';

export type CategoryRow = typeof budgetCategories.$inferSelect;
export type NewCategory = typeof budgetCategories.$inferInsert;

export async function listCategories(
  db: Db,
  userId: string,
  options: { kind?: CategoryKind; includeDeleted?: boolean } = {},
): Promise<CategoryRow[]> {
  const c = budgetCategories;
  return db
    .select()
    .from(c)
    .where(
      and(
        eq(c.userId, userId),
        options.kind === undefined ? undefined : eq(c.kind, options.kind),
        options.includeDeleted === true ? undefined : isNull(c.deletedAt),
      ),
    )
    .orderBy(asc(c.kind), asc(c.sortOrder), asc(c.createdAt), asc(c.id));
}

export async function findCategory(db: Db, userId: string, id: string): Promise<CategoryRow | undefined> {
  const [row] = await db
    .select()
    .from(budgetCategories)
    .where(and(eq(budgetCategories.userId, userId), eq(budgetCategories.id, id)))
    .limit(1);
  return row;
}

/** An active category with this name (any case) and kind, other than `exceptId`. */
export async function findActiveByName(
  db: Db,
  userId: string,
  kind: string,
  name: string,
  exceptId?: string,
): Promise<CategoryRow | undefined> {
  const c = budgetCategories;
  const [row] = await db
    .select()
    .from(c)
    .where(
      and(
        eq(c.userId, userId),
        eq(c.kind, kind),
        isNull(c.deletedAt),
        sql`lower(${c.name}) = lower(${name})`,
        exceptId === undefined ? undefined : sql`${c.id} <> ${exceptId}`,
      ),
    )
    .limit(1);
  return row;
}

export async function countActiveChildren(db: Db, userId: string, parentId: string): Promise<number> {
  const c = budgetCategories;
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(c)
    .where(and(eq(c.userId, userId), eq(c.parentId, parentId), isNull(c.deletedAt)));
  return Number(row?.n ?? 0);
}

export async function nextSortOrder(db: Db, userId: string, kind: string, parentId: string | null) {
  const c = budgetCategories;
  const [row] = await db
    .select({ next: sql<number>`coalesce(max(${c.sortOrder}), -1)::int + 1` })
    .from(c)
    .where(
      and(
        eq(c.userId, userId),
        eq(c.kind, kind),
        parentId === null ? isNull(c.parentId) : eq(c.parentId, parentId),
      ),
    );
  return Number(row?.next ?? 0);
}

export async function insertCategories(db: Db, values: NewCategory[]): Promise<CategoryRow[]> {
  if (values.length === 0) return [];
  return db.insert(budgetCategories).values(values).returning();
}

export async function updateCategory(
  db: Db,
  userId: string,
  id: string,
  values: Partial<Pick<CategoryRow, 'name' | 'parentId' | 'color' | 'monthlyLimit' | 'sortOrder'>>,
): Promise<CategoryRow | undefined> {
  const [row] = await db
    .update(budgetCategories)
    .set({ ...values, updatedAt: sql`now()` })
    .where(
      and(
        eq(budgetCategories.userId, userId),
        eq(budgetCategories.id, id),
        isNull(budgetCategories.deletedAt),
      ),
    )
    .returning();
  return row;
}

/** Soft-deletes a category and, for a group, its categories: transactions keep pointing at them. */
export async function softDeleteCategory(db: Db, userId: string, id: string): Promise<boolean> {
  const c = budgetCategories;
  const rows = await db
    .update(c)
    .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(c.userId, userId), isNull(c.deletedAt), or(eq(c.id, id), eq(c.parentId, id))))
    .returning({ id: c.id });
  return rows.length > 0;
}
