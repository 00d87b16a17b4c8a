import { and, asc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { netWorthSnapshots } from '../../db/schema.js';

export async function upsertSnapshot(
  db: Db,
  row: {
    userId: string;
    day: string;
    baseCurrency: string;
    assets: string;
    liabilities: string;
    netWorth: string;
  },
): Promise<void> {
  await db
    .insert(netWorthSnapshots)
    .values(row)
    .onConflictDoUpdate({
      target: [netWorthSnapshots.userId, netWorthSnapshots.day],
      set: {
        baseCurrency: row.baseCurrency,
        assets: row.assets,
        liabilities: row.liabilities,
        netWorth: row.netWorth,
        updatedAt: sql`now()`,
      },
    });
}

export async function listSnapshots(db: Db, userId: string, fromDay: string) {
  return db
    .select({
      day: netWorthSnapshots.day,
      baseCurrency: netWorthSnapshots.baseCurrency,
      assets: netWorthSnapshots.assets,
      liabilities: netWorthSnapshots.liabilities,
      netWorth: netWorthSnapshots.netWorth,
    })
    .from(netWorthSnapshots)
    .where(and(eq(netWorthSnapshots.userId, userId), gte(netWorthSnapshots.day, fromDay)))
    .orderBy(asc(netWorthSnapshots.day));
}
