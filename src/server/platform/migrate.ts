import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { rowsOf, type Database } from './db.js';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);
const MIGRATION_LOCK = 7_262_001;

export interface Migration {
  id: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), 'utf8');
      return {
        id: file.replace(/\.sql$/, ''),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies pending migrations in order, each in its own transaction. A migration that was changed
 * after it had been applied stops start-up: released migrations are never edited.
 */
export async function migrate(
  database: Database,
  logger: Logger,
  migrations = readMigrations(),
): Promise<string[]> {
  return database.withLock(MIGRATION_LOCK, async () => {
    await database.runScript(`create table if not exists schema_migrations (
      id text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const rows = await rowsOf<{ id: string; checksum: string }>(
      database.db.execute(sql`select id, checksum from schema_migrations`),
    );
    const applied = new Map(rows.map((r) => [r.id, r.checksum]));
    const done: string[] = [];
    for (const m of migrations) {
      const known = applied.get(m.id);
      if (known !== undefined) {
        if (known !== m.checksum) {
          throw new MigrationError(
            `migration ${m.id} was changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      const id = m.id.replace(/'/g, "''");
      await database.runScript(
        `${m.sql}\n;insert into schema_migrations (id, checksum) values ('${id}', '${m.checksum}');`,
      );
      logger.info({ migration: m.id }, 'migration applied');
      done.push(m.id);
    }
    return done;
  });
}
