import type { ColumnProfile, ColumnShift, DatasetDiff, DatasetVersion } from '../../../shared/contract/index.js';
import { psi, rebin, type NumericBin } from '../../../shared/stats/psi.js';

interface Side {
  version: DatasetVersion;
  columns: ColumnProfile[];
}

const toNumber = (v: unknown, kind: ColumnProfile['kind']): number =>
  kind === 'date' || kind === 'timestamp' ? Date.parse(String(v)) : Number(v);

const numericBins = (c: ColumnProfile): NumericBin[] | null =>
  c.histogram?.map((b) => ({ lower: toNumber(b.lower, c.kind), upper: toNumber(b.upper, c.kind), count: b.count })) ?? null;

/** PSI of `to` against `from`, over from's histogram bins or its frequent values plus "other". */
export function columnPsi(from: ColumnProfile, fromRows: number, to: ColumnProfile, toRows: number): number | null {
  if (from.kind !== to.kind) return null;
  const fromBins = numericBins(from);
  const toBins = numericBins(to);
  if (fromBins && toBins && fromBins.length > 0) {
    const edges = [fromBins[0]!.lower, ...fromBins.map((b) => b.upper)];
    return psi(
      rebin(fromBins, edges),
      rebin(toBins, edges),
    );
  }
  if (from.top && to.top && from.top.length > 0) {
    const key = (v: unknown) => String(v);
    const toCounts = new Map(to.top.map((t) => [key(t.value), t.count]));
    const expected = from.top.map((t) => t.count);
    const actual = from.top.map((t) => toCounts.get(key(t.value)) ?? 0);
    // Everything else, including values new in `to`, shares one "other" bin.
    expected.push(Math.max(0, fromRows - from.nulls - expected.reduce((s, c) => s + c, 0)));
    actual.push(Math.max(0, toRows - to.nulls - actual.reduce((s, c) => s + c, 0)));
    return psi(expected, actual);
  }
  return null;
}

export function diffProfiles(name: string, from: Side, to: Side): DatasetDiff {
  const fromCols = new Map(from.columns.map((c) => [c.name, c]));
  const toCols = new Map(to.columns.map((c) => [c.name, c]));
  const shifts: ColumnShift[] = [];
  const retyped: DatasetDiff['retyped'] = [];
  for (const a of from.columns) {
    const b = toCols.get(a.name);
    if (!b) continue;
    if (a.type !== b.type) retyped.push({ name: a.name, from: a.type, to: b.type });
    shifts.push({
      name: a.name,
      kind: b.kind,
      nullRate: { from: a.nulls / Math.max(1, from.version.rows), to: b.nulls / Math.max(1, to.version.rows) },
      mean: { from: a.mean, to: b.mean },
      std: { from: a.std, to: b.std },
      psi: columnPsi(a, from.version.rows, b, to.version.rows),
    });
  }
  return {
    name,
    from: from.version.version,
    to: to.version.version,
    rows: { from: from.version.rows, to: to.version.rows },
    added: to.columns.filter((c) => !fromCols.has(c.name)).map((c) => ({ name: c.name, type: c.type })),
    removed: from.columns.filter((c) => !toCols.has(c.name)).map((c) => ({ name: c.name, type: c.type })),
    retyped,
    shifts: shifts.sort((x, y) => (y.psi ?? -1) - (x.psi ?? -1)),
  };
}
