import type { Migration } from '../migration.js';

export const migration0005: Migration = {
  version: 5,
  name: 'environments and models',
  up(db) {
    db.exec(`
      CREATE TABLE environments (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE environment_versions (
        id              INTEGER PRIMARY KEY,
        environment_id  INTEGER NOT NULL REFERENCES environments(id),
        version         INTEGER NOT NULL,
        sha256          TEXT NOT NULL,          -- of the sorted package list: the identity
        source          TEXT NOT NULL CHECK (source IN ('interpreter','requirements','pyproject','conda-yml')),
        path            TEXT NOT NULL,
        python          TEXT,                   -- JSON PythonInfo, null for requirement files
        python_requires TEXT,
        packages        TEXT NOT NULL,          -- JSON EnvPackage[]
        created_at      TEXT NOT NULL,
        created_by      TEXT NOT NULL,
        UNIQUE (environment_id, version),
        UNIQUE (environment_id, sha256)
      ) STRICT;

      CREATE TABLE models (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE model_versions (
        id                  INTEGER PRIMARY KEY,
        model_id            INTEGER NOT NULL REFERENCES models(id),
        version             INTEGER NOT NULL,
        sha256              TEXT NOT NULL,
        bytes               INTEGER NOT NULL,
        format              TEXT NOT NULL CHECK (format IN ('pickle','joblib','onnx')),
        framework           TEXT NOT NULL,
        class_name          TEXT NOT NULL,
        task                TEXT NOT NULL,
        source_path         TEXT NOT NULL,
        scan                TEXT NOT NULL,      -- JSON ScanResult
        scan_override       TEXT,               -- JSON {by, reason, at} when loaded despite findings
        introspection       TEXT NOT NULL,      -- JSON Introspection
        signature           TEXT NOT NULL,      -- JSON Signature
        golden              TEXT NOT NULL,      -- JSON GoldenSet
        metrics             TEXT,               -- JSON ModelMetrics
        card                TEXT NOT NULL,      -- JSON ModelCard
        environment_version INTEGER REFERENCES environment_versions(id),
        notebook_version    INTEGER REFERENCES notebook_versions(id),
        evaluation_version  INTEGER REFERENCES dataset_versions(id),
        bundled             INTEGER NOT NULL DEFAULT 0,
        created_at          TEXT NOT NULL,
        created_by          TEXT NOT NULL,
        UNIQUE (model_id, version)
      ) STRICT;
      CREATE INDEX model_versions_sha ON model_versions(sha256);

      -- Training datasets of a model version (one or more), each with its target column.
      CREATE TABLE model_training_data (
        model_version   INTEGER NOT NULL REFERENCES model_versions(id),
        dataset_version INTEGER NOT NULL REFERENCES dataset_versions(id),
        target          TEXT NOT NULL,
        PRIMARY KEY (model_version, dataset_version)
      ) STRICT;
    `);
  },
};
