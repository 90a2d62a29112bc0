import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type { Migration } from './migration.js';

export const catalogVersion = (db: Database.Database) => db.pragma('user_version', { simple: true }) as number;

/**
 * Apply pending migrations in order, each in its own transaction together with the new
 * PRAGMA user_version, so a crash leaves the catalog at a whole version.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], target = migrations.length): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const current = catalogVersion(db);
  const latest = migrations.length;
  if (current > latest) {
    throw new AppError('CATALOG_TOO_NEW', `The catalog is at version ${current}; this Greenhouse knows up to ${latest}.`);
  }
  for (const m of migrations.slice(current, target)) {
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return catalogVersion(db);
}
