import type { Migration } from '../migration.js';

export const migration0008: Migration = {
  version: 8,
  name: 'bundle-exports',
  up(db) {
    db.exec(`
      -- Every export of a bundle to NAME-VERSION.tar.gz (bundles.export). Like a build, an export
      -- belongs to the bundle as it was then (manifest_sha256).
      CREATE TABLE bundle_exports (
        id              INTEGER PRIMARY KEY,
        bundle_id       INTEGER NOT NULL REFERENCES bundles(id),
        manifest_sha256 TEXT NOT NULL,
        archive         TEXT NOT NULL,
        sha256          TEXT NOT NULL,
        bytes           INTEGER NOT NULL,
        tar_sha256      TEXT NOT NULL,
        image_id        TEXT,                   -- the image saved into it (image.tar), else NULL
        job_id          TEXT,
        exported_at     TEXT NOT NULL,
        exported_by     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX bundle_exports_by_bundle ON bundle_exports (bundle_id, id);
    `);
  },
};
