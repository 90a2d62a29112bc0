import type { Migration } from '../migration.js';

export const migration0003: Migration = {
  version: 3,
  name: 'datasets',
  up(db) {
    db.exec(`
      CREATE TABLE datasets (
        id                 INTEGER PRIMARY KEY,
        name               TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at         TEXT NOT NULL,
        description        TEXT NOT NULL DEFAULT '',
        source             TEXT NOT NULL DEFAULT '',
        owner              TEXT NOT NULL DEFAULT '',
        licence            TEXT NOT NULL DEFAULT '',
        collection_process TEXT NOT NULL DEFAULT '',
        personal_data      TEXT NOT NULL DEFAULT 'unknown' CHECK (personal_data IN ('yes','no','unknown'))
      ) STRICT;

      CREATE TABLE dataset_versions (
        id            INTEGER PRIMARY KEY,
        dataset_id    INTEGER NOT NULL REFERENCES datasets(id),
        version       INTEGER NOT NULL,
        sha256        TEXT NOT NULL,
        bytes         INTEGER NOT NULL,
        format        TEXT NOT NULL,
        source_path   TEXT NOT NULL,
        files         TEXT NOT NULL,          -- JSON [{path, sha256, bytes}]
        snapshot      TEXT NOT NULL CHECK (snapshot IN ('copy','reference')),
        snapshot_note TEXT,
        dialect       TEXT,                   -- JSON, CSV/TSV only
        rows          INTEGER NOT NULL,
        column_count  INTEGER NOT NULL,
        profile       TEXT NOT NULL,          -- JSON {columns, sample}
        created_at    TEXT NOT NULL,
        created_by    TEXT NOT NULL,
        UNIQUE (dataset_id, version),
        UNIQUE (dataset_id, sha256)
      ) STRICT;
      CREATE INDEX dataset_versions_sha ON dataset_versions(sha256);
    `);
  },
};
