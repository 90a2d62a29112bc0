import type { ColumnProfile, ColumnShift, DatasetDiff, DatasetVersion } from '../../../shared/contract/index.js';
import { psi, type NumericBin } from '../../../shared/stats/psi.js';

interface Side {
  version: DatasetVersion;
  columns: ColumnProfile[];
}

const toNumber = (v: unknown, kind: ColumnProfile['kind']): number =>
  kind === 'date' || kind === 'timestamp' ? Date.parse(String(v)) : Number(v);

const numericBins = (c: ColumnProfile): NumericBin[] | null =>
  c.histogram?.map((b) => ({ lower: toNumber(b.lower, c.kind), upper: toNumber(b.upper, c.kind), count: b.count })) ?? null;

interface Knot {
  x: number;
  f: number;
}

/**
 * The cumulative distribution of a numeric (or date) column as points (x, F(x)), linear in
 * between: exact at its histogram edges, refined by its quantiles where they fall. The quantiles
 * matter for skewed data: with 20 equal-width bins most of the mass can sit in one or two bins,
 * and spreading it evenly across another version's narrower bins would show a shift that is not
 * there.
 */
function cdfKnots(c: ColumnProfile): Knot[] | null {
  const bins = numericBins(c);
  const total = bins?.reduce((s, b) => s + b.count, 0) ?? 0;
  if (!bins || bins.length === 0 || total === 0) return null;
  const edges: Knot[] = [{ x: bins[0]!.lower, f: 0 }];
  let cum = 0;
  for (const b of bins) {
    cum += b.count;
    edges.push({ x: b.upper, f: cum / total });
  }
  const knots = [...edges];
  for (const [p, v] of Object.entries(c.quantiles ?? {})) {
    const x = toNumber(v, c.kind);
    if (!Number.isFinite(x)) continue;
    // Between the histogram edges around it, F is known to lie between theirs.
    const hi = edges.findIndex((e) => e.x >= x);
    if (hi <= 0) continue;
    knots.push({ x, f: Math.min(Math.max(Number(p), edges[hi - 1]!.f), edges[hi]!.f) });
  }
  knots.sort((a, b) => a.x - b.x || a.f - b.f);
  for (let i = 1; i < knots.length; i++) knots[i]!.f = Math.max(knots[i]!.f, knots[i - 1]!.f);
  return knots;
}

function cdfAt(knots: Knot[], x: number): number {
  if (x < knots[0]!.x) return 0;
  if (x >= knots.at(-1)!.x) return 1;
  let i = 0;
  while (knots[i + 1]!.x <= x) i++;
  const a = knots[i]!;
  const b = knots[i + 1]!;
  return a.f + ((b.f - a.f) * (x - a.x)) / (b.x - a.x);
}

/**
 * PSI of `to` against `from`, over from's histogram bins or its frequent values plus "other".
 * `to`'s share of each bin is read off its own histogram and quantiles; its count of a frequent
 * value of `from` is exact when `to` lists it too, else estimated (see below).
 */
export function columnPsi(from: ColumnProfile, fromRows: number, to: ColumnProfile, toRows: number): number | null {
  if (from.kind !== to.kind) return null;
  const fromBins = numericBins(from);
  const toCdf = cdfKnots(to);
  if (fromBins && fromBins.length > 0 && toCdf) {
    // `to`'s share of each of from's bins; below the first and above the last count in them.
    const inner = fromBins.slice(0, -1).map((b) => cdfAt(toCdf, b.upper));
    const actual = [...inner, 1].map((f, i) => f - (i === 0 ? 0 : inner[i - 1]!));
    return psi(
      fromBins.map((b) => b.count),
      actual,
    );
  }
  if (from.top && to.top && from.top.length > 0) {
    const key = (v: unknown) => String(v);
    const toCounts = new Map(to.top.map((t) => [key(t.value), t.count]));
    // A frequent value of `from` missing from to's list is not necessarily absent from `to`: it
    // is only less frequent than to's listed values (unless that list holds every value). Count
    // it as an average one of to's unlisted values, not as zero, which would show a shift from
    // mere reordering.
    const toNonNull = toRows - to.nulls;
    const listedInTo = to.top.reduce((s, t) => s + t.count, 0);
    const complete = to.distinct <= to.top.length;
    const unlisted = complete ? 0 : Math.min(to.top.at(-1)?.count ?? 0, Math.max(0, toNonNull - listedInTo) / Math.max(1, to.distinct - to.top.length));
    const expected = from.top.map((t) => t.count);
    const actual = from.top.map((t) => toCounts.get(key(t.value)) ?? unlisted);
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
