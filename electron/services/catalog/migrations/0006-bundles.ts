import type { Migration } from '../migration.js';

export const migration0006: Migration = {
  version: 6,
  name: 'bundles',
  up(db) {
    db.exec(`
      -- One bundle per model version; writing it again replaces the row and the folder.
      CREATE TABLE bundles (
        id              INTEGER PRIMARY KEY,
        model_version   INTEGER NOT NULL UNIQUE REFERENCES model_versions(id),
        path            TEXT NOT NULL,
        strategy        TEXT NOT NULL CHECK (strategy IN ('pip','wheelhouse','base')),
        base_image      TEXT NOT NULL,
        image_tag       TEXT NOT NULL,
        files           TEXT NOT NULL,          -- JSON [{path, sha256, bytes}]
        manifest_sha256 TEXT NOT NULL,
        fingerprint     TEXT NOT NULL,          -- of the signing key
        created_at      TEXT NOT NULL,
        created_by      TEXT NOT NULL
      ) STRICT;
    `);
  },
};
