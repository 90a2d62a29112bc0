import Database from 'better-sqlite3';
import type { AuditEntry } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

export interface AuditInput {
  action: string;
  subject?: string | null;
  details?: Record<string, unknown>;
}

/** What a write transaction can do: change rows and record why, in the same transaction. */
export interface WriteTx {
  db: Database.Database;
  audit(entry: AuditInput): AuditEntry;
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  details: string;
}

/** A LIKE pattern (ESCAPE '\\') matching `query` anywhere, with its own % and _ taken literally; null for no filter. */
export const containsPattern = (query: string | undefined): string | null =>
  query ? `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;

export const auditRowToEntry = (r: AuditRow): AuditEntry => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> });

export interface CatalogOptions {
  actor: string;
  /** Called after a write commits, once per audit entry it recorded. */
  onAudit?: (entry: AuditEntry) => void;
  readonly?: boolean;
}

/**
 * The workspace catalog (SQLite, WAL). Reads go through `read`, writes through `write`,
 * which wraps the change and its audit entries in one transaction.
 */
export class Catalog {
  readonly db: Database.Database;
  readonly actor: string;
  private readonly onAudit?: (entry: AuditEntry) => void;

  private constructor(db: Database.Database, options: CatalogOptions) {
    this.db = db;
    this.actor = options.actor;
    this.onAudit = options.onAudit;
  }

  static open(path: string, options: CatalogOptions): Catalog {
    let db: Database.Database;
    try {
      db = new Database(path, { fileMustExist: false, timeout: 5000 });
    } catch (e) {
      throw new AppError('WORKSPACE_INVALID', `Cannot open the catalog ${path}: ${(e as Error).message}`, { cause: e });
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      // A quick structural check: a file that is not SQLite fails here, not later.
      db.pragma('schema_version');
      migrate(db, MIGRATIONS);
    } catch (e) {
      db.close();
      if (e instanceof AppError) throw e;
      throw new AppError('WORKSPACE_INVALID', `The catalog ${path} is not a Greenhouse catalog: ${(e as Error).message}`, {
        remedy: 'Restore .greenhouse/catalog.db from a backup, or move it away and create the workspace again.',
        cause: e,
      });
    }
    return new Catalog(db, options);
  }

  read<T>(fn: (db: Database.Database) => T): T {
    return fn(this.db);
  }

  write<T>(fn: (tx: WriteTx) => T): T {
    const recorded: AuditEntry[] = [];
    const insert = this.db.prepare(
      'INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?) RETURNING *',
    );
    const tx: WriteTx = {
      db: this.db,
      audit: ({ action, subject = null, details = {} }) => {
        const row = insert.get(new Date().toISOString(), this.actor, action, subject, JSON.stringify(details)) as AuditRow;
        const entry = auditRowToEntry(row);
        recorded.push(entry);
        return entry;
      },
    };
    const value = this.db.transaction(() => fn(tx))();
    for (const entry of recorded) this.onAudit?.(entry);
    return value;
  }

  listAudit(opts: { limit: number; beforeId?: number; action?: string }): AuditEntry[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log
         WHERE (@beforeId IS NULL OR id < @beforeId) AND (@action IS NULL OR action = @action)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({ beforeId: opts.beforeId ?? null, action: opts.action ?? null, limit: opts.limit }) as AuditRow[];
    return rows.map(auditRowToEntry);
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM workspace_meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
