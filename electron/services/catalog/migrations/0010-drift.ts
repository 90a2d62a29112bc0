import type { Migration } from '../migration.js';

export const migration0010: Migration = {
  version: 10,
  name: 'drift',
  up(db) {
    db.exec(`
      -- Drift checks of production batches against a model version's training reference: the
      -- batch by path and hash, the verdict, and the whole result (JSON DriftResult).
      CREATE TABLE drift_checks (
        id               INTEGER PRIMARY KEY,
        model_version    INTEGER NOT NULL REFERENCES model_versions(id),
        bundle_id        INTEGER REFERENCES bundles(id),      -- checked against the workspace's bundle
        batch_path       TEXT NOT NULL,
        batch_sha256     TEXT NOT NULL,
        batch_format     TEXT NOT NULL CHECK (batch_format IN ('csv','tsv','jsonl','parquet','prediction-log')),
        rows             INTEGER NOT NULL,
        drift            INTEGER NOT NULL CHECK (drift IN (0,1)),
        features_checked INTEGER NOT NULL,
        features_drifted INTEGER NOT NULL,
        result           TEXT NOT NULL,
        job_id           TEXT,
        checked_at       TEXT NOT NULL,
        checked_by       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX drift_checks_by_model ON drift_checks (model_version, checked_at);

      -- Thresholds per model (all its versions); none stored means the defaults.
      CREATE TABLE drift_settings (
        model_id   INTEGER PRIMARY KEY REFERENCES models(id),
        thresholds TEXT NOT NULL,                             -- JSON DriftThresholds
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      ) STRICT;

      -- A checked batch registered as a dataset version: candidate retraining data of the model.
      CREATE TABLE drift_handbacks (
        id              INTEGER PRIMARY KEY,
        check_id        INTEGER NOT NULL REFERENCES drift_checks(id),
        model_version   INTEGER NOT NULL REFERENCES model_versions(id),
        dataset_version INTEGER NOT NULL REFERENCES dataset_versions(id),
        labelled        INTEGER NOT NULL CHECK (labelled IN (0,1)),
        target          TEXT,
        created_at      TEXT NOT NULL,
        created_by      TEXT NOT NULL,
        UNIQUE (check_id, dataset_version)
      ) STRICT;
      CREATE INDEX drift_handbacks_by_model ON drift_handbacks (model_version);
    `);
  },
};
