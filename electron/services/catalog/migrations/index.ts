import type { Migration } from '../migration.js';
import { migration0001 } from './0001-init.js';
import { migration0002 } from './0002-jobs.js';

/** All migrations, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002];
export const LATEST_CATALOG_VERSION = MIGRATIONS.length;
