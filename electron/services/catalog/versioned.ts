import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.js';
import type { WriteTx } from './catalog.js';

/** A named catalog entry with numbered versions: the tables and the words to name it in errors. */
export interface VersionedKind {
  /** e.g. "environments" */
  table: string;
  /** e.g. "environment_versions" */
  versions: string;
  /** The versions table's column that points at the entry, e.g. "environment_id". */
  fk: string;
  /** "environment" */
  noun: string;
  /** The CLI command that lists them, for remedies: "greenhouse env list". */
  listCommand: string;
}

export interface EntityRow {
  id: number;
  name: string;
  created_at: string;
}

export function findEntity(db: Database.Database, kind: VersionedKind, name: string): EntityRow | undefined {
  return db.prepare(`SELECT id, name, created_at FROM ${kind.table} WHERE name = ?`).get(name) as EntityRow | undefined;
}

export function requireEntity(db: Database.Database, kind: VersionedKind, name: string): EntityRow {
  const row = findEntity(db, kind, name);
  if (!row) throw new AppError('NOT_FOUND', `No ${kind.noun} named "${name}" in this workspace.`, { remedy: `Check the name with "${kind.listCommand}".` });
  return row;
}

/** One version of an entry (the latest when `version` is undefined). */
export function requireVersion<R>(db: Database.Database, kind: VersionedKind, entity: EntityRow, version?: number): R {
  const row =
    version === undefined
      ? db.prepare(`SELECT * FROM ${kind.versions} WHERE ${kind.fk} = ? ORDER BY version DESC LIMIT 1`).get(entity.id)
      : db.prepare(`SELECT * FROM ${kind.versions} WHERE ${kind.fk} = ? AND version = ?`).get(entity.id, version);
  if (!row) {
    throw new AppError('NOT_FOUND', version === undefined ? `${kind.noun} "${entity.name}" has no versions.` : `${kind.noun} "${entity.name}" has no version ${version}.`, {
      remedy: `See its versions with "${kind.listCommand}".`,
    });
  }
  return row as R;
}

/** The entry (created when new) and the number its next version gets. */
export function nextVersionOf(tx: WriteTx, kind: VersionedKind, name: string, now: string): { entity: EntityRow; version: number; created: boolean } {
  let entity = findEntity(tx.db, kind, name);
  const created = !entity;
  if (!entity) {
    const id = Number(tx.db.prepare(`INSERT INTO ${kind.table} (name, created_at) VALUES (?, ?)`).run(name, now).lastInsertRowid);
    entity = { id, name, created_at: now };
  }
  const max = (tx.db.prepare(`SELECT max(version) AS v FROM ${kind.versions} WHERE ${kind.fk} = ?`).get(entity.id) as { v: number | null }).v ?? 0;
  return { entity, version: max + 1, created };
}
