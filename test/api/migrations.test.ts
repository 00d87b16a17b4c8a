import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pino } from 'pino';
import { pushSchema } from 'drizzle-kit/api';
import * as schema from '../../src/server/db/schema.js';
import { embedded, openDatabase } from '../../src/server/platform/db.js';
import { migrate, readMigrations } from '../../src/server/platform/migrate.js';
import { testConfig } from '../support/app.js';

const logger = pino({ level: 'silent' });

describe('migrations', () => {
  it('produce exactly the Drizzle schema on an empty database', async () => {
    const database = embedded(await PGlite.create());
    try {
      const applied = await migrate(database, logger);
      assert.deepEqual(
        applied,
        readMigrations().map((m) => m.id),
      );
      const { statementsToExecute } = await pushSchema(schema, database.db as never);
      const drift = statementsToExecute.filter((s) => !s.includes('schema_migrations'));
      assert.deepEqual(drift, [], `migrations and db/schema differ:\n${drift.join('\n')}`);
    } finally {
      await database.close();
    }
  });

  it('apply once, and refuse to start when an applied migration was edited', async () => {
    const database = embedded(await PGlite.create());
    try {
      const migrations = readMigrations();
      await migrate(database, logger, migrations);
      assert.deepEqual(await migrate(database, logger, migrations), [], 'a second run applies nothing');
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
      await assert.rejects(migrate(database, logger, edited), /was changed after it was applied/);
    } finally {
      await database.close();
    }
  });

  it('keep the embedded data across a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wt-data-'));
    try {
      const config = { ...testConfig(), databaseUrl: undefined, dataDir: dir };
      const first = await openDatabase(config, logger);
      await migrate(first, logger);
      await first.runScript(`insert into users (email, password_hash) values ('restart@example.test', 'x')`);
      await first.close();
      const second = await openDatabase(config, logger);
      const rows = await second.db.select().from(schema.users);
      await second.close();
      assert.deepEqual(
        rows.map((r) => r.email),
        ['restart@example.test'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
