import type { Migration } from '../migration.js';

export const migration0002: Migration = {
  version: 2,
  name: 'jobs',
  up(db) {
    db.exec(`
      CREATE TABLE jobs (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        title       TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('queued','running','succeeded','failed','cancelled','interrupted')),
        progress    REAL,
        message     TEXT NOT NULL DEFAULT '',
        input       TEXT NOT NULL DEFAULT '{}',
        result      TEXT,
        error       TEXT,
        -- The process that runs the job: a job whose owner died is shown as interrupted.
        owner_pid   INTEGER NOT NULL,
        owner_host  TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        started_at  TEXT,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX jobs_created ON jobs(created_at DESC);
      CREATE INDEX jobs_state ON jobs(state);
    `);
  },
};
