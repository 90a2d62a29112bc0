// The drift.* methods: what the catalog knows resolved on the main thread (the model version, its
// training reference, the thresholds), the reading done by jobs (the check; the hand-back is a
// datasets.register job of the checked batch).

import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DriftCheck, DriftHandBackResult, DriftResult, MethodParsedInput } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { hashSource } from '../datasets/hash.js';
import type { RegisterTaskInput, RegisterTaskOutput } from '../datasets/register-task.js';
import type { Handlers } from '../rpc/dispatch.js';
import type { WorkspaceSession } from '../workspace/workspace-session.js';
import { asDriftError, ident, inspectBatch, lit, openBatch, type BatchColumn } from './batch.js';
import type { DriftTaskInput } from './drift-task.js';
import { workspaceReference } from './reference.js';

export interface DriftHost {
  requireWorkspace(): WorkspaceSession;
  readonly actor: string;
}

type DriftMethods = 'drift.check' | 'drift.history' | 'drift.latest' | 'drift.get' | 'drift.handBack' | 'drift.settings' | 'drift.updateSettings';

const DUCKDB_TYPES: Record<string, string> = { int64: 'BIGINT', float64: 'DOUBLE', bool: 'BOOLEAN', datetime: 'TIMESTAMP' };

/**
 * A prediction log is not a table: its records sit under "inputs". The hand-back writes them (with
 * the model's prediction) as a Parquet file beside the catalog, read as the check read them (the
 * same malformed lines skipped), each input typed as in the training data.
 */
async function flattenPredictionLog(ws: WorkspaceSession, check: DriftCheck): Promise<string> {
  const { source, encoding } = await inspectBatch(check.batch.path);
  const dir = join(ws.paths.meta, 'monitoring');
  await mkdir(dir, { recursive: true });
  const out = join(dir, `check-${check.id}-inputs.parquet`);
  const types = new Map(ws.datasets.profile(check.reference.dataset.name, check.reference.dataset.version).columns.map((c) => [c.name, c.type]));
  const label = ws.models.get(check.reference.model.name, check.reference.model.version, () => []).signature.outputs.find((o) => o.kind === 'label' || o.kind === 'value');
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '256MB', temp_directory: ws.paths.tmp });
  const con = await instance.connect();
  try {
    const batch = await openBatch(con, source, encoding);
    const typed = (c: BatchColumn, type: string | undefined) => `${type && type !== 'VARCHAR' ? `TRY_CAST(${c.sql} AS ${type})` : c.sql} AS ${ident(c.name)}`;
    const cols = [...batch.columns.map((c) => typed(c, types.get(c.name))), ...(batch.prediction ? [typed(batch.prediction, label ? DUCKDB_TYPES[label.dtype] : undefined)] : [])];
    await con.run(`COPY (SELECT ${cols.join(', ')} FROM ${batch.from} WHERE NOT (${batch.bad ?? 'false'})) TO ${lit(out)} (FORMAT parquet)`);
    return out;
  } catch (e) {
    await rm(out, { force: true });
    if (e instanceof AppError) throw e;
    throw new AppError('INVALID_INPUT', `The prediction log ${check.batch.path} could not be turned into a table: ${(e as Error).message.split('\n')[0]}`, { remedy: 'Check that the log is the serving app\'s JSON Lines prediction log, then hand it back again.' });
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

export function driftHandlers(host: DriftHost): Pick<Handlers, DriftMethods> {
  const check = async ({ model, version, bundle, data, thresholds }: MethodParsedInput<'drift.check'>) => {
    const ws = host.requireWorkspace();
    const { reference, modelVersionId, bundleId } = await workspaceReference(ws, model, version, bundle);
    const input: DriftTaskInput = { batchPath: resolve(data), reference, thresholds: ws.drift.thresholdsFor(reference.model.name, thresholds) };
    const subject = `${reference.model.name}@${reference.model.version}`;
    return ws.jobs.start<DriftResult>('drift.check', input, {
      title: `Drift check of ${subject}${bundle ? ' (bundle)' : ''}`,
      commit: (tx, out, jobId) => ws.drift.record(tx, modelVersionId, bundleId, out, jobId, host.actor),
    });
  };

  const handBack = async ({ id, name, snapshot }: MethodParsedInput<'drift.handBack'>) => {
    const ws = host.requireWorkspace();
    const c = ws.drift.get(id);
    let path = c.batch.path;
    let expectedSha: string | null = c.batch.sha256;
    if (c.batch.format === 'prediction-log') {
      // The log must still be the one checked before it is turned into a table.
      const { source } = await inspectBatch(path).catch((e: unknown) => {
        throw asDriftError(e);
      });
      const now = await hashSource(source);
      if (now.sha256 !== c.batch.sha256) throw changed(path, id);
      path = await flattenPredictionLog(ws, c);
      expectedSha = null;
    }
    const input: RegisterTaskInput = { path, snapshot, snapshotLimitBytes: ws.settings().snapshotLimitBytes, knownSha256: ws.datasets.knownHashes(name) };
    const labelled = c.batch.hasTarget && c.batch.format !== 'prediction-log';
    const model = c.reference.model;
    return ws.jobs.start<RegisterTaskOutput>('datasets.register', input, {
      title: `Hand back drift check ${id} as ${name}`,
      commit: (tx, out): DriftHandBackResult => {
        if (expectedSha !== null && out.sha256 !== expectedSha) throw changed(path, id);
        const r = ws.datasets.recordRegistration(tx, name, out, host.actor);
        ws.drift.recordHandBack(tx, c, { name: r.name, version: r.version }, labelled, host.actor);
        return { ...r, checkId: id, model, labelled, target: c.reference.target };
      },
    });
  };

  return {
    'drift.check': check,
    'drift.history': ({ model, version, limit }) => host.requireWorkspace().drift.history(model, version, limit),
    'drift.latest': () => host.requireWorkspace().drift.latestPerModel(),
    'drift.get': ({ id }) => {
      const { modelVersionId: _id, ...c } = host.requireWorkspace().drift.get(id);
      return c;
    },
    'drift.handBack': handBack,
    'drift.settings': ({ model }) => host.requireWorkspace().drift.settings(model),
    'drift.updateSettings': ({ model, thresholds, reset }) => host.requireWorkspace().drift.updateSettings(model, thresholds, reset, host.actor),
  };
}

const changed = (path: string, id: number) =>
  new AppError('CONFLICT', `${path} changed since drift check ${id} read it, so it is not the batch that was checked.`, {
    remedy: 'Check the file again (greenhouse drift MODEL --data FILE), then hand back the new check.',
  });
