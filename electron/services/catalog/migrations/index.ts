import type { Migration } from '../migration.js';
import { migration0001 } from './0001-init.js';
import { migration0002 } from './0002-jobs.js';
import { migration0003 } from './0003-datasets.js';
import { migration0004 } from './0004-notebooks.js';
import { migration0005 } from './0005-models.js';
import { migration0006 } from './0006-bundles.js';
import { migration0007 } from './0007-bundle-images.js';
import { migration0008 } from './0008-bundle-exports.js';
import { migration0009 } from './0009-readiness.js';
import { migration0010 } from './0010-drift.js';
import { migration0011 } from './0011-review-archives.js';

/** All migrations, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011];
export const LATEST_CATALOG_VERSION = MIGRATIONS.length;
