import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'pino';
import { rowsOf, type Database } from './db.js';
import { migrate } from './migrate.js';

/**
 * Data folders made by versions up to 0.1 hold PGlite's files (a PostgreSQL 17 data directory run
 * in WebAssembly) at their top. The first start of a newer version copies every row into the
 * embedded cluster and moves the old files aside into `pglite-<time>/`, where they stay until the
 * owner deletes them.
 */
export function isPgliteFolder(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'PG_VERSION'));
}

/** Entries of a data folder that belong to the embedded cluster, not to PGlite. */
const KEEP = new Set(['postgres', 'postgres.password', 'app.pid']);
const CHUNK = 2000;

interface Column {
  name: string;
}

async function query<T>(
  source: { query<R>(q: string, p?: unknown[]): Promise<{ rows: R[] }> },
  q: string,
  p?: unknown[],
) {
  return (await source.query<T>(q, p)).rows;
}

/** A PGlite database as the app used it up to 0.1 (migrations ran through it the same way). */
export async function pgliteDatabase(client: PGlite): Promise<Database> {
  const { drizzle } = await import('drizzle-orm/pglite');
  return {
    db: drizzle(client) as unknown as Database['db'],
    driver: 'embedded',
    runScript: async (script) => {
      await client.transaction(async (tx) => {
        await tx.exec(script);
      });
    },
    withLock: (_key, fn) => fn(),
    ping: async () => undefined,
    close: () => client.close(),
    poolStats: () => undefined,
  };
}

export async function convertPgliteFolder(dataDir: string, target: Database, logger: Logger): Promise<void> {
  logger.info(
    { folder: dataDir },
    'converting the data folder of an earlier version to the embedded PostgreSQL',
  );
  // Loaded only here: PGlite's WebAssembly costs hundreds of MiB, and only a conversion needs it.
  const { PGlite } = await import('@electric-sql/pglite');
  const source = await PGlite.create(dataDir);
  try {
    // Both sides reach the same schema first, so that rows copy column for column.
    await migrate(await pgliteDatabase(source), logger);
    await migrate(target, logger);
    const tables = (
      await query<{ name: string }>(
        source,
        `select tablename as name from pg_tables where schemaname = 'public' and tablename <> 'schema_migrations' order by 1`,
      )
    ).map((t) => t.name);
    const copied: Record<string, number> = {};
    await target.db.transaction(async (tx) => {
      // Rows go in table by table; foreign keys were already checked where they were written.
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql.raw(`truncate ${tables.map((t) => `"${t}"`).join(', ')}`));
      for (const table of tables) {
        const columns = await query<Column>(
          source,
          `select column_name as name from information_schema.columns
            where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER' order by ordinal_position`,
          [table],
        );
        const list = columns.map((c) => `"${c.name}"`).join(', ');
        let count = 0;
        for (let offset = 0; ; offset += CHUNK) {
          const [chunk] = await query<{ rows: string | null }>(
            source,
            `select json_agg(t)::text as rows from (select ${list} from "${table}" order by ctid offset ${offset} limit ${CHUNK}) t`,
          );
          if (!chunk?.rows) break;
          const inserted = await rowsOf<{ n: number }>(
            tx.execute(
              sql`with added as (insert into ${sql.identifier(table)} (${sql.raw(list)}) overriding system value
                   select ${sql.raw(list)} from json_populate_recordset(null::${sql.identifier(table)}, ${chunk.rows}::json)
                   returning 1)
                 select count(*)::int as n from added`,
            ),
          );
          count += inserted[0]?.n ?? 0;
        }
        copied[table] = count;
        const [counted] = await query<{ n: number }>(source, `select count(*)::int as n from "${table}"`);
        if (counted?.n !== count) throw new Error(`copying ${table}: ${count} of ${counted?.n} rows`);
      }
      // Sequences continue after the copied ids.
      const serials = await rowsOf<{ table_name: string; column_name: string }>(
        tx.execute(sql`select table_name, column_name from information_schema.columns
          where table_schema = 'public' and (column_default like 'nextval(%' or is_identity = 'YES')`),
      );
      for (const s of serials) {
        await tx.execute(
          sql.raw(`select setval(pg_get_serial_sequence('"${s.table_name}"', '${s.column_name}'),
            coalesce((select max("${s.column_name}") from "${s.table_name}"), 0) + 1, false)`),
        );
      }
    });
    logger.info({ rows: copied }, 'data folder converted');
  } finally {
    await source.close();
  }
  moveAside(dataDir);
}

/** PG_VERSION first: once it has gone, a start that was cut short here does not convert again. */
function moveAside(dataDir: string): void {
  const aside = path.join(
    dataDir,
    `pglite-${new Date()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
      .replaceAll(':', '-')}`,
  );
  mkdirSync(aside);
  renameSync(path.join(dataDir, 'PG_VERSION'), path.join(aside, 'PG_VERSION'));
  for (const entry of readdirSync(dataDir)) {
    if (KEEP.has(entry) || entry.startsWith('pglite-') || entry.startsWith('.')) continue;
    renameSync(path.join(dataDir, entry), path.join(aside, entry));
  }
}
