import type { Migration } from '../migration.js';

export const migration0009: Migration = {
  version: 9,
  name: 'readiness',
  up(db) {
    db.exec(`
      -- A named person's statement that a manual readiness check was done, per bundle. Withdrawn
      -- attestations are kept (withdrawn_at set); at most one is in force per check.
      CREATE TABLE readiness_attestations (
        id            INTEGER PRIMARY KEY,
        bundle_id     INTEGER NOT NULL REFERENCES bundles(id),
        check_id      TEXT NOT NULL,
        note          TEXT NOT NULL,
        attested_by   TEXT NOT NULL,
        attested_at   TEXT NOT NULL,
        withdrawn_at  TEXT,
        withdrawn_by  TEXT
      ) STRICT;
      CREATE UNIQUE INDEX readiness_attestations_in_force ON readiness_attestations (bundle_id, check_id) WHERE withdrawn_at IS NULL;

      -- A failing hand-off gate let through, for the bundle as it was (manifest_sha256), with why.
      CREATE TABLE readiness_gate_overrides (
        id              INTEGER PRIMARY KEY,
        bundle_id       INTEGER NOT NULL REFERENCES bundles(id),
        manifest_sha256 TEXT NOT NULL,
        gate_id         TEXT NOT NULL,
        reason          TEXT NOT NULL,
        overridden_by   TEXT NOT NULL,
        overridden_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX readiness_gate_overrides_by_bundle ON readiness_gate_overrides (bundle_id, manifest_sha256);

      -- Reviewers' decisions on a bundle as it was (manifest_sha256), with comments per check.
      CREATE TABLE readiness_reviews (
        id              INTEGER PRIMARY KEY,
        bundle_id       INTEGER NOT NULL REFERENCES bundles(id),
        manifest_sha256 TEXT NOT NULL,
        reviewer        TEXT NOT NULL,
        decision        TEXT NOT NULL CHECK (decision IN ('approve','request-changes')),
        summary         TEXT NOT NULL,
        comments        TEXT NOT NULL,          -- JSON [{checkId, text}]
        reviewed_at     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX readiness_reviews_by_bundle ON readiness_reviews (bundle_id, id);
    `);
  },
};
