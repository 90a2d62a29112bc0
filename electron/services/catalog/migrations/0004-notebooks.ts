import type { Migration } from '../migration.js';

export const migration0004: Migration = {
  version: 4,
  name: 'notebooks',
  up(db) {
    db.exec(`
      CREATE TABLE notebooks (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        path       TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE notebook_versions (
        id            INTEGER PRIMARY KEY,
        notebook_id   INTEGER NOT NULL REFERENCES notebooks(id),
        version       INTEGER NOT NULL,
        sha256        TEXT NOT NULL,          -- the raw file
        source_sha256 TEXT NOT NULL,          -- the code cells' sources only
        bytes         INTEGER NOT NULL,
        path          TEXT NOT NULL,
        analysis      TEXT NOT NULL,          -- JSON NotebookAnalysis
        cells         TEXT NOT NULL,          -- JSON NotebookCell[] (safe to render)
        errors        INTEGER NOT NULL,
        warnings      INTEGER NOT NULL,
        infos         INTEGER NOT NULL,
        created_at    TEXT NOT NULL,
        created_by    TEXT NOT NULL,
        UNIQUE (notebook_id, version),
        UNIQUE (notebook_id, source_sha256)
      ) STRICT;

      -- The files a notebook version reads or writes, for lineage matching by path or hash.
      CREATE TABLE notebook_file_refs (
        version_id INTEGER NOT NULL REFERENCES notebook_versions(id),
        direction  TEXT NOT NULL CHECK (direction IN ('read','write')),
        path       TEXT NOT NULL,
        sha256     TEXT
      ) STRICT;
      CREATE INDEX notebook_file_refs_path ON notebook_file_refs(path);
      CREATE INDEX notebook_file_refs_sha ON notebook_file_refs(sha256);

      CREATE TABLE notebook_runs (
        id            TEXT PRIMARY KEY,
        version_id    INTEGER NOT NULL REFERENCES notebook_versions(id),
        state         TEXT NOT NULL CHECK (state IN ('passed','failed')),
        python        TEXT NOT NULL,
        started_at    TEXT NOT NULL,
        duration_ms   INTEGER NOT NULL,
        result        TEXT NOT NULL,          -- JSON {cells, failedCell, error}
        executed_path TEXT
      ) STRICT;
      CREATE INDEX notebook_runs_version ON notebook_runs(version_id, started_at);
    `);
  },
};
