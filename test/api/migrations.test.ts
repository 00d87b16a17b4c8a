import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { pushSchema } from 'drizzle-kit/api';
import * as schema from '../../src/server/db/schema.js';
import { migrate, readMigrations } from '../../src/server/platform/migrate.js';
import { emptyDatabase } from '../support/app.js';

const logger = pino({ level: 'silent' });

describe('migrations', () => {
  it('produce exactly the Drizzle schema on an empty database', async () => {
    const { database, drop } = await emptyDatabase();
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
      await drop();
    }
  });

  it('apply once, and refuse to start when an applied migration was edited', async () => {
    const { database, drop } = await emptyDatabase();
    try {
      const migrations = readMigrations();
      await migrate(database, logger, migrations);
      assert.deepEqual(await migrate(database, logger, migrations), [], 'a second run applies nothing');
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
      await assert.rejects(migrate(database, logger, edited), /was changed after it was applied/);
    } finally {
      await drop();
    }
  });
});
