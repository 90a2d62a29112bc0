import type { Migration } from '../migration.js';

export const migration0007: Migration = {
  version: 7,
  name: 'bundle-images',
  up(db) {
    db.exec(`
      -- Every image build of a bundle (bundles.build), successful or not. A build belongs to the
      -- bundle as it was then: manifest_sha256 tells whether the bundle was written again since.
      CREATE TABLE bundle_builds (
        id              INTEGER PRIMARY KEY,
        bundle_id       INTEGER NOT NULL REFERENCES bundles(id),
        manifest_sha256 TEXT NOT NULL,
        state           TEXT NOT NULL CHECK (state IN ('succeeded','failed')),
        image_id        TEXT,                   -- sha256:…, when it succeeded
        image_tag       TEXT NOT NULL,
        image_bytes     INTEGER,
        manifest_ok     INTEGER CHECK (manifest_ok IN (0,1)),  -- the files matched the signed manifest
        error           TEXT,                   -- JSON {code, message, remedy}, when it failed
        build_log_tail  TEXT NOT NULL,          -- JSON [line, …]
        job_id          TEXT,
        duration_ms     INTEGER,
        built_at        TEXT NOT NULL,
        built_by        TEXT NOT NULL,
        CHECK ((state = 'succeeded') = (image_id IS NOT NULL))
      ) STRICT;
      CREATE INDEX bundle_builds_by_bundle ON bundle_builds (bundle_id, id);

      -- Every smoke test of a bundle's image (bundles.smokeTest): the summary in columns, the
      -- whole result (checks, parity, malformed requests, latency, metrics, pytest) as JSON.
      CREATE TABLE bundle_smoke_tests (
        id                 INTEGER PRIMARY KEY,
        bundle_id          INTEGER NOT NULL REFERENCES bundles(id),
        image_id           TEXT NOT NULL,
        passed             INTEGER NOT NULL CHECK (passed IN (0,1)),
        network            TEXT NOT NULL CHECK (network IN ('host','publish')),
        golden_examples    INTEGER NOT NULL,
        golden_matched     INTEGER NOT NULL,      -- rows that matched on both endpoints
        max_deviation      REAL,
        latency_p50_ms     REAL,
        latency_p95_ms     REAL,
        malformed_rejected INTEGER NOT NULL CHECK (malformed_rejected IN (0,1)),
        pytest_summary     TEXT NOT NULL,
        result             TEXT NOT NULL,
        job_id             TEXT,
        started_at         TEXT NOT NULL,
        duration_ms        INTEGER NOT NULL,
        run_by             TEXT NOT NULL
      ) STRICT;
      CREATE INDEX bundle_smoke_tests_by_bundle ON bundle_smoke_tests (bundle_id, id);
    `);
  },
};
