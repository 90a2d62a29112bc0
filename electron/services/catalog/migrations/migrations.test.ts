import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test-support/temp.js';
import { catalogVersion, migrate } from '../migrate.js';
import type { Migration } from '../migration.js';
import { MIGRATIONS } from './index.js';

const fresh = () => {
  const db = new Database(join(tempDir(), 'catalog.db'));
  db.pragma('foreign_keys = ON');
  return db;
};
const tables = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_master WHERE type='table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

describe('migration 0001-init', () => {
  it('creates the meta table and an append-only audit log', () => {
    const db = fresh();
    expect(migrate(db, MIGRATIONS, 1)).toBe(1);
    expect(tables(db)).toEqual(expect.arrayContaining(['audit_log', 'workspace_meta']));
    db.prepare(`INSERT INTO audit_log (at, actor, action) VALUES ('t', 'me', 'x')`).run();
    expect(() => db.prepare(`UPDATE audit_log SET action='y'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM audit_log`).run()).toThrow(/append-only/);
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
  });
});

describe('migration 0002-jobs', () => {
  it('adds the jobs table and keeps what version 1 held', () => {
    const db = fresh();
    migrate(db, MIGRATIONS, 1);
    db.prepare(`INSERT INTO workspace_meta (key, value) VALUES ('name', 'kept')`).run();
    db.prepare(`INSERT INTO audit_log (at, actor, action) VALUES ('t', 'me', 'workspace.created')`).run();
    expect(migrate(db, MIGRATIONS, 2)).toBe(2);
    expect(db.prepare(`SELECT value FROM workspace_meta WHERE key='name'`).get()).toEqual({ value: 'kept' });
    expect(db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 1 });
    db.prepare(
      `INSERT INTO jobs (id, kind, title, state, owner_pid, owner_host, created_at) VALUES ('j', 'objects.verify', 'T', 'running', 1, 'h', 't')`,
    ).run();
    expect(() =>
      db.prepare(`INSERT INTO jobs (id, kind, title, state, owner_pid, owner_host, created_at) VALUES ('k', 'x', 'T', 'bogus', 1, 'h', 't')`).run(),
    ).toThrow(/CHECK/);
  });
});

describe('migrate', () => {
  it('applies every migration in order and is idempotent', () => {
    const db = fresh();
    expect(migrate(db, MIGRATIONS)).toBe(MIGRATIONS.length);
    expect(migrate(db, MIGRATIONS)).toBe(MIGRATIONS.length);
  });

  it('refuses a catalog written by a newer Greenhouse', () => {
    const db = fresh();
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db, MIGRATIONS)).toThrow(expect.objectContaining({ code: 'CATALOG_TOO_NEW' }));
  });

  it('leaves the catalog at the last whole version when a migration fails', () => {
    const db = fresh();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (x)');
        throw new Error('boom');
      },
    };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow('boom');
    expect(catalogVersion(db)).toBe(MIGRATIONS.length);
    expect(tables(db)).not.toContain('half_done');
  });

  it('rejects a list with a gap in the numbering', () => {
    const db = fresh();
    const skipped: Migration = { version: MIGRATIONS.length + 2, name: 'gap', up: () => undefined };
    expect(() => migrate(db, [...MIGRATIONS, skipped])).toThrow(/expected/);
  });
});

describe('migration 0003-datasets', () => {
  it('adds datasets and their versions, one version per content hash', () => {
    const db = fresh();
    migrate(db, MIGRATIONS, 2);
    db.prepare(`INSERT INTO workspace_meta (key, value) VALUES ('name', 'kept')`).run();
    expect(migrate(db, MIGRATIONS, 3)).toBe(3);
    expect(db.prepare(`SELECT value FROM workspace_meta WHERE key='name'`).get()).toEqual({ value: 'kept' });
    db.prepare(`INSERT INTO datasets (name, created_at) VALUES ('Churn', 't')`).run();
    expect(() => db.prepare(`INSERT INTO datasets (name, created_at) VALUES ('churn', 't')`).run()).toThrow(/UNIQUE/);
    const version = db.prepare(
      `INSERT INTO dataset_versions (dataset_id, version, sha256, bytes, format, source_path, files, snapshot, rows, column_count, profile, created_at, created_by)
       VALUES (1, ?, ?, 1, 'csv', '/x.csv', '[]', 'copy', 1, 1, '{}', 't', 'me')`,
    );
    version.run(1, 'aa');
    expect(() => version.run(2, 'aa')).toThrow(/UNIQUE/);
    expect(() => version.run(1, 'bb')).toThrow(/UNIQUE/);
    expect(() =>
      db.prepare(
        `INSERT INTO dataset_versions (dataset_id, version, sha256, bytes, format, source_path, files, snapshot, rows, column_count, profile, created_at, created_by)
         VALUES (99, 1, 'cc', 1, 'csv', '/x.csv', '[]', 'copy', 1, 1, '{}', 't', 'me')`,
      ).run(),
    ).toThrow(/FOREIGN KEY/);
  });
});

describe('migration 0004-notebooks', () => {
  it('adds notebooks, versions per source hash, file references and runs, keeping datasets', () => {
    const db = fresh();
    migrate(db, MIGRATIONS, 3);
    db.prepare(`INSERT INTO datasets (name, created_at) VALUES ('Churn', 't')`).run();
    expect(migrate(db, MIGRATIONS, 4)).toBe(4);
    expect(db.prepare(`SELECT name FROM datasets`).all()).toEqual([{ name: 'Churn' }]);
    expect(tables(db)).toEqual(expect.arrayContaining(['notebooks', 'notebook_versions', 'notebook_file_refs', 'notebook_runs']));
    db.prepare(`INSERT INTO notebooks (name, path, created_at) VALUES ('train', '/nb/train.ipynb', 't')`).run();
    const version = db.prepare(
      `INSERT INTO notebook_versions (notebook_id, version, sha256, source_sha256, bytes, path, analysis, cells, errors, warnings, infos, created_at, created_by)
       VALUES (1, ?, ?, ?, 1, '/nb/train.ipynb', '{}', '[]', 0, 0, 0, 't', 'me')`,
    );
    version.run(1, 'raw1', 'src1');
    // A re-run changes the raw bytes but not the sources: not a second version.
    expect(() => version.run(2, 'raw2', 'src1')).toThrow(/UNIQUE/);
    version.run(2, 'raw3', 'src2');
    const ref = db.prepare(`INSERT INTO notebook_file_refs (version_id, direction, path, sha256) VALUES (?, ?, '/d.csv', NULL)`);
    ref.run(1, 'read');
    expect(() => ref.run(1, 'delete')).toThrow(/CHECK/);
    expect(() => ref.run(99, 'read')).toThrow(/FOREIGN KEY/);
    const run = db.prepare(`INSERT INTO notebook_runs (id, version_id, state, python, started_at, duration_ms, result) VALUES (?, 1, ?, 'python3', 't', 5, '{}')`);
    run.run('r1', 'passed');
    expect(() => run.run('r2', 'maybe')).toThrow(/CHECK/);
  });
});

describe('migration 0005-models', () => {
  it('adds environments and models with their versions and training links, keeping what was there', () => {
    const db = fresh();
    migrate(db, MIGRATIONS, 4);
    db.prepare(`INSERT INTO datasets (name, created_at) VALUES ('customers', 't')`).run();
    db.prepare(
      `INSERT INTO dataset_versions (dataset_id, version, sha256, bytes, format, source_path, files, snapshot, rows, column_count, profile, created_at, created_by)
       VALUES (1, 1, 'aa', 1, 'csv', '/x.csv', '[]', 'copy', 1, 1, '{}', 't', 'me')`,
    ).run();
    expect(migrate(db, MIGRATIONS, 5)).toBe(5);
    expect(db.prepare('SELECT name FROM datasets').get()).toEqual({ name: 'customers' });
    db.prepare(`INSERT INTO environments (name, created_at) VALUES ('py', 't')`).run();
    const env = db.prepare(
      `INSERT INTO environment_versions (environment_id, version, sha256, source, path, packages, created_at, created_by) VALUES (1, ?, ?, ?, '/usr/bin/python3', '[]', 't', 'me')`,
    );
    env.run(1, 'e1', 'interpreter');
    expect(() => env.run(2, 'e1', 'interpreter')).toThrow(/UNIQUE/);
    expect(() => env.run(2, 'e2', 'docker')).toThrow(/CHECK/);
    db.prepare(`INSERT INTO models (name, created_at) VALUES ('churn', 't')`).run();
    const model = db.prepare(
      `INSERT INTO model_versions (model_id, version, sha256, bytes, format, framework, class_name, task, source_path, scan, introspection, signature, golden, card, environment_version, created_at, created_by)
       VALUES (1, ?, 'mm', 1, ?, 'scikit-learn', 'Pipeline', 'classification', '/m.joblib', '{}', '{}', '{}', '{}', '{}', ?, 't', 'me')`,
    );
    model.run(1, 'joblib', 1);
    expect(() => model.run(1, 'joblib', 1)).toThrow(/UNIQUE/);
    expect(() => model.run(2, 'h5', 1)).toThrow(/CHECK/);
    expect(() => model.run(3, 'joblib', 99)).toThrow(/FOREIGN KEY/);
    db.prepare('INSERT INTO model_training_data (model_version, dataset_version, target) VALUES (1, 1, ?)').run('churned');
    expect(() => db.prepare('INSERT INTO model_training_data (model_version, dataset_version, target) VALUES (1, 7, ?)').run('x')).toThrow(/FOREIGN KEY/);
  });
});

describe('migration 0006-bundles', () => {
  it('adds one bundle row per model version', () => {
    const db = fresh();
    migrate(db, MIGRATIONS, 5);
    db.prepare(`INSERT INTO models (name, created_at) VALUES ('churn', 't')`).run();
    db.prepare(
      `INSERT INTO model_versions (model_id, version, sha256, bytes, format, framework, class_name, task, source_path, scan, introspection, signature, golden, card, created_at, created_by)
       VALUES (1, 1, 'mm', 1, 'joblib', 'scikit-learn', 'Pipeline', 'classification', '/m.joblib', '{}', '{}', '{}', '{}', '{}', 't', 'me')`,
    ).run();
    expect(migrate(db, MIGRATIONS, 6)).toBe(6);
    const add = db.prepare(
      `INSERT INTO bundles (model_version, path, strategy, base_image, image_tag, files, manifest_sha256, fingerprint, created_at, created_by) VALUES (?, '/b', ?, 'python:3.11-slim', 'greenhouse/churn:1', '[]', 'x', 'y', 't', 'me')`,
    );
    add.run(1, 'pip');
    expect(() => add.run(1, 'pip')).toThrow(/UNIQUE/);
    expect(() => add.run(2, 'pip')).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare('DELETE FROM bundles').run() && add.run(1, 'conda')).toThrow(/CHECK/);
  });
});

describe('migration 0007-bundle-images', () => {
  it('adds image builds and smoke tests per bundle, keeping the bundles', () => {
    const db = fresh();
    migrate(db, MIGRATIONS, 6);
    seedBundle(db);
    expect(migrate(db, MIGRATIONS, 7)).toBe(7);
    expect(db.prepare('SELECT image_tag FROM bundles').get()).toEqual({ image_tag: 'greenhouse/churn:1' });
    const build = db.prepare(
      `INSERT INTO bundle_builds (bundle_id, manifest_sha256, state, image_id, image_tag, build_log_tail, built_at, built_by) VALUES (?, 'x', ?, ?, 'greenhouse/churn:1', '[]', 't', 'me')`,
    );
    build.run(1, 'succeeded', 'sha256:aa');
    build.run(1, 'failed', null);
    expect(() => build.run(1, 'succeeded', null)).toThrow(/CHECK/);
    expect(() => build.run(1, 'building', null)).toThrow(/CHECK/);
    expect(() => build.run(9, 'failed', null)).toThrow(/FOREIGN KEY/);
    const smoke = db.prepare(
      `INSERT INTO bundle_smoke_tests (bundle_id, image_id, passed, network, golden_examples, golden_matched, malformed_rejected, pytest_summary, result, started_at, duration_ms, run_by)
       VALUES (?, 'sha256:aa', 1, ?, 40, 40, 1, '6 passed', '{}', 't', 1, 'me')`,
    );
    smoke.run(1, 'host');
    expect(() => smoke.run(1, 'bridge')).toThrow(/CHECK/);
    expect(() => smoke.run(9, 'host')).toThrow(/FOREIGN KEY/);
  });
});

describe('migration 0008-bundle-exports', () => {
  it('adds exports per bundle, keeping builds', () => {
    const db = fresh();
    migrate(db, MIGRATIONS, 7);
    seedBundle(db);
    db.prepare(`INSERT INTO bundle_builds (bundle_id, manifest_sha256, state, image_id, image_tag, build_log_tail, built_at, built_by) VALUES (1, 'x', 'succeeded', 'sha256:aa', 't', '[]', 't', 'me')`).run();
    expect(migrate(db, MIGRATIONS, 8)).toBe(8);
    expect(db.prepare('SELECT image_id FROM bundle_builds').get()).toEqual({ image_id: 'sha256:aa' });
    const add = db.prepare(
      `INSERT INTO bundle_exports (bundle_id, manifest_sha256, archive, sha256, bytes, tar_sha256, image_id, exported_at, exported_by) VALUES (?, 'x', '/b.tar.gz', 'ss', ?, 'tt', NULL, 't', 'me')`,
    );
    add.run(1, 100);
    expect(() => add.run(9, 100)).toThrow(/FOREIGN KEY/);
    expect(() => add.run(1, 'many')).toThrow(/cannot store TEXT value in INTEGER column/);
  });
});

describe('migration 0009-readiness', () => {
  it('adds attestations (one in force per check), gate overrides and reviews per bundle', () => {
    const db = fresh();
    migrate(db, MIGRATIONS, 8);
    seedBundle(db);
    expect(migrate(db, MIGRATIONS, 9)).toBe(9);
    const attest = db.prepare(`INSERT INTO readiness_attestations (bundle_id, check_id, note, attested_by, attested_at) VALUES (?, ?, 'done', 'ana', 't')`);
    attest.run(1, 'data.3');
    expect(() => attest.run(1, 'data.3')).toThrow(/UNIQUE/);
    db.prepare(`UPDATE readiness_attestations SET withdrawn_at = 't2', withdrawn_by = 'ana'`).run();
    attest.run(1, 'data.3');
    expect(() => attest.run(9, 'data.6')).toThrow(/FOREIGN KEY/);
    const review = db.prepare(`INSERT INTO readiness_reviews (bundle_id, manifest_sha256, reviewer, decision, summary, comments, reviewed_at) VALUES (1, 'x', 'olga', ?, '', '[]', 't')`);
    review.run('approve');
    expect(() => review.run('maybe')).toThrow(/CHECK/);
    db.prepare(`INSERT INTO readiness_gate_overrides (bundle_id, manifest_sha256, gate_id, reason, overridden_by, overridden_at) VALUES (1, 'x', 'no-secrets', 'a test key', 'ana', 't')`).run();
  });
});

describe('migration 0010-drift', () => {
  it('adds drift checks per model version, thresholds per model and hand-backs linking a check to a dataset version, keeping what was there', () => {
    const db = fresh();
    migrate(db, MIGRATIONS, 9);
    db.prepare(`INSERT INTO models (name, created_at) VALUES ('churn', 't')`).run();
    db.prepare(
      `INSERT INTO model_versions (model_id, version, sha256, bytes, format, framework, class_name, task, source_path, scan, introspection, signature, golden, card, created_at, created_by)
       VALUES (1, 1, 'mm', 1, 'joblib', 'scikit-learn', 'Pipeline', 'classification', '/m.joblib', '{}', '{}', '{}', '{}', '{}', 't', 'me')`,
    ).run();
    db.prepare(`INSERT INTO datasets (name, created_at) VALUES ('batch', 't')`).run();
    db.prepare(
      `INSERT INTO dataset_versions (dataset_id, version, sha256, bytes, format, source_path, files, snapshot, rows, column_count, profile, created_at, created_by)
       VALUES (1, 1, 'bb', 1, 'csv', '/b.csv', '[]', 'copy', 1, 1, '{}', 't', 'me')`,
    ).run();
    expect(migrate(db, MIGRATIONS, 10)).toBe(10);
    expect(db.prepare('SELECT name FROM models').get()).toEqual({ name: 'churn' });
    const check = db.prepare(
      `INSERT INTO drift_checks (model_version, bundle_id, batch_path, batch_sha256, batch_format, rows, drift, features_checked, features_drifted, result, job_id, checked_at, checked_by)
       VALUES (?, NULL, '/b.csv', 'bb', ?, 10, ?, 4, 1, '{}', 'j', 't', 'me')`,
    );
    check.run(1, 'csv', 0);
    check.run(1, 'prediction-log', 1);
    expect(() => check.run(1, 'xlsx', 0)).toThrow(/CHECK/);
    expect(() => check.run(1, 'csv', 2)).toThrow(/CHECK/);
    expect(() => check.run(9, 'csv', 0)).toThrow(/FOREIGN KEY/);
    const settings = db.prepare(`INSERT INTO drift_settings (model_id, thresholds, updated_at, updated_by) VALUES (?, '{}', 't', 'me')`);
    settings.run(1);
    expect(() => settings.run(1)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => settings.run(9)).toThrow(/FOREIGN KEY/);
    const handBack = db.prepare(`INSERT INTO drift_handbacks (check_id, model_version, dataset_version, labelled, target, created_at, created_by) VALUES (?, 1, ?, 1, 'churned', 't', 'me')`);
    handBack.run(1, 1);
    expect(() => handBack.run(1, 1)).toThrow(/UNIQUE/);
    expect(() => handBack.run(7, 1)).toThrow(/FOREIGN KEY/);
    expect(() => handBack.run(2, 7)).toThrow(/FOREIGN KEY/);
  });
});

/** A model version and its bundle (id 1), as the bundle migrations' tests need them. */
function seedBundle(db: Database.Database) {
  db.prepare(`INSERT INTO models (name, created_at) VALUES ('churn', 't')`).run();
  db.prepare(
    `INSERT INTO model_versions (model_id, version, sha256, bytes, format, framework, class_name, task, source_path, scan, introspection, signature, golden, card, created_at, created_by)
     VALUES (1, 1, 'mm', 1, 'joblib', 'scikit-learn', 'Pipeline', 'classification', '/m.joblib', '{}', '{}', '{}', '{}', '{}', 't', 'me')`,
  ).run();
  db.prepare(
    `INSERT INTO bundles (model_version, path, strategy, base_image, image_tag, files, manifest_sha256, fingerprint, created_at, created_by) VALUES (1, '/b', 'base', 'b', 'greenhouse/churn:1', '[]', 'x', 'y', 't', 'me')`,
  ).run();
}
