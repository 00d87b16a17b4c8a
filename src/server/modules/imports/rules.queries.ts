import { and, asc, eq } from 'drizzle-orm';
import { importPresets, importRules } from '../../db/schema.js';
import type { Db } from '../../platform/db.js';

const r = importRules;
const p = importPresets;

export const listRules = (db: Db, userId: string) =>
  db.select().from(r).where(eq(r.userId, userId)).orderBy(asc(r.position), asc(r.createdAt));

export async function insertRule(db: Db, values: typeof r.$inferInsert) {
  const [row] = await db.insert(r).values(values).returning();
  return row!;
}

export async function updateRule(db: Db, userId: string, id: string, values: Partial<typeof r.$inferInsert>) {
  const [row] = await db
    .update(r)
    .set(values)
    .where(and(eq(r.userId, userId), eq(r.id, id)))
    .returning();
  return row;
}

export async function deleteRule(db: Db, userId: string, id: string) {
  const rows = await db
    .delete(r)
    .where(and(eq(r.userId, userId), eq(r.id, id)))
    .returning({ id: r.id });
  return rows.length > 0;
}

/** What a saved mapping reads: bank statements or investment activities. */
export type PresetKind = 'statements' | 'activities';

export const listPresets = (db: Db, userId: string, kind: PresetKind) =>
  db
    .select()
    .from(p)
    .where(and(eq(p.userId, userId), eq(p.kind, kind)))
    .orderBy(asc(p.name));

export async function findPreset(db: Db, userId: string, id: string, kind: PresetKind) {
  const [row] = await db
    .select()
    .from(p)
    .where(and(eq(p.userId, userId), eq(p.id, id), eq(p.kind, kind)));
  return row;
}

export async function insertPreset(db: Db, values: typeof p.$inferInsert) {
  const [row] = await db.insert(p).values(values).onConflictDoNothing().returning();
  return row;
}

export async function deletePreset(db: Db, userId: string, id: string) {
  const rows = await db
    .delete(p)
    .where(and(eq(p.userId, userId), eq(p.id, id)))
    .returning({ id: p.id });
  return rows.length > 0;
}
