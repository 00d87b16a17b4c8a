/**
 * A stand-in for a running app in tests of the embedded database: opens the cluster in the data
 * folder given, runs the SQL given, prints "ready" and keeps it open until it is killed.
 *
 *   node --import tsx test/support/hold-database.ts <data folder> [sql]
 */
import { pino } from 'pino';
import { loadConfig } from '../../src/server/config.js';
import { openDatabase } from '../../src/server/platform/open-database.js';
import { migrate } from '../../src/server/platform/migrate.js';

const [dataDir, script] = process.argv.slice(2);
const logger = pino({ level: 'silent' });
const database = await openDatabase(loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir }), logger);
await migrate(database, logger);
if (script) await database.runScript(script);
console.log('ready');
setInterval(() => undefined, 60_000);
