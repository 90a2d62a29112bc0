import type { Migration } from '../migration.js';

export const migration0011: Migration = {
  version: 11,
  name: 'review-archives',
  up(db) {
    db.exec(`
      -- Exported archives opened here for review (from any workspace), one row per path: the
      -- bundle inside, the archive's hash as last opened or written, the readiness the author
      -- exported with it (JSON ReadinessReport, with the reviews the archive held) and what
      -- verifying it found (JSON BundleVerifyResult).
      CREATE TABLE review_archives (
        id              INTEGER PRIMARY KEY,
        path            TEXT NOT NULL UNIQUE,
        name            TEXT NOT NULL,
        version         INTEGER NOT NULL,
        manifest_sha256 TEXT NOT NULL,
        sha256          TEXT NOT NULL,
        bytes           INTEGER NOT NULL,
        includes_image  INTEGER NOT NULL CHECK (includes_image IN (0,1)),
        readiness       TEXT NOT NULL,
        verify          TEXT NOT NULL,
        stale_documents TEXT NOT NULL,          -- JSON [file]
        opened_at       TEXT NOT NULL,
        opened_by       TEXT NOT NULL,
        written_at      TEXT
      ) STRICT;

      -- Reviews recorded here of an opened archive (of its manifest); written into the archive's
      -- reviews.json after the archive's own. written = 1 once the archive holds it.
      CREATE TABLE review_archive_reviews (
        id              INTEGER PRIMARY KEY,
        archive_id      INTEGER NOT NULL REFERENCES review_archives(id),
        manifest_sha256 TEXT NOT NULL,
        reviewer        TEXT NOT NULL,
        decision        TEXT NOT NULL CHECK (decision IN ('approve','request-changes')),
        summary         TEXT NOT NULL,
        comments        TEXT NOT NULL,          -- JSON [{checkId, text}]
        reviewed_at     TEXT NOT NULL,
        written         INTEGER NOT NULL DEFAULT 0 CHECK (written IN (0,1))
      ) STRICT;
      CREATE INDEX review_archive_reviews_by_archive ON review_archive_reviews (archive_id, id);
    `);
  },
};
