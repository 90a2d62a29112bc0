// readiness-report.html: one self-contained document for the reviewer on the operations team who
// decides whether the model can go to production. Verdict and score first, then the gates, every
// check with its evidence and remedy, and the facts behind them (model card, data profile,
// lineage, environment, smoke test, scan, drift, reviews).
//
// Rules the output keeps:
// - No network: inline <style> and inline SVG only; the CSP allows nothing else (no script at
//   all: the status filter is CSS radio buttons with :has()).
// - Every string from the catalog is escaped: the `html` tag escapes each interpolation unless it
//   is markup this file made (Markup). The model card is markdown rendered without raw HTML,
//   links limited to http(s) and images left out (they would be requests).
// - Deterministic: the same ReportData gives the same bytes. No clock, no locale-dependent
//   formatting (no toLocaleString/localeCompare), no random ids.
import MarkdownIt from 'markdown-it';
import {
  MODEL_CARD_SECTIONS,
  READINESS_SECTIONS,
  readinessReport,
  type CheckEvidence,
  type CheckStatus,
  type ColumnProfile,
  type LineageGraph,
  type LineageKind,
  type ModelCardSection,
  type ReadinessCheck,
  type ReadinessGate,
  type ReadinessSection,
  type Review,
  type Scalar,
} from '../../../shared/contract/index.js';
import { stableJson } from '../bundles/manifest.js';
import { APP_NAME, APP_VERSION } from '../version.js';
import type { ReportData } from './report-data.js';

// ---------------------------------------------------------------------------------------------
// Markup that escapes by default

/** HTML this file produced; everything else interpolated into `html` is escaped. */
export class Markup {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

type Part = Markup | string | number | null | undefined | false | Part[];

const renderPart = (part: Part): string => {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Markup) return part.value;
  if (Array.isArray(part)) return part.map(renderPart).join('');
  return escapeHtml(String(part));
};

/** A template whose interpolations are escaped unless they are Markup (arrays are joined). */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Markup {
  let out = strings[0]!;
  parts.forEach((part, i) => (out += renderPart(part) + strings[i + 1]!));
  return new Markup(out);
}

/** A string for a CSS string literal inside <style>: only safe characters stay as they are. */
const cssString = (value: string) => `"${value.replace(/[^A-Za-z0-9 .,:_-]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;

// ---------------------------------------------------------------------------------------------
// Formatting without locales

/** 7043 → "7,043" */
export function formatInt(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Up to `digits` decimals, trailing zeros dropped; very small and very large numbers in exponent form. */
export function formatNumber(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs < 10 ** -digits || abs >= 1e15) return n.toExponential(1).replace('.0e', 'e').replace('e+', 'e');
  let fixed = abs.toFixed(digits);
  if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  const [whole, frac] = fixed.split('.') as [string, string | undefined];
  return (n < 0 ? '-' : '') + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? `.${frac}` : '');
}

const formatPoints = (n: number) => formatNumber(n, 2);
const percent = (part: number, whole: number) => (whole > 0 ? `${formatNumber((100 * part) / whole, 1)} %` : '–');
const formatMs = (ms: number | null) => (ms === null ? '–' : `${formatNumber(ms, 1)} ms`);
const plural = (n: number, one: string, many = `${one}s`) => `${formatInt(n)} ${n === 1 ? one : many}`;

const pad = (n: number) => String(n).padStart(2, '0');

/** "2025-11-29 09:12 UTC"; the input unchanged when it is not a date. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

const formatDate = (iso: string) => formatTime(iso).slice(0, 10);
const formatScalar = (v: Scalar | null): string => (v === null ? '–' : typeof v === 'number' ? formatNumber(v, 3) : String(v));
const shortHash = (h: string) => (h.startsWith('sha256:') ? h.slice(7, 19) : h.slice(0, 12));
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Cut a label to `max` characters for a chart; the full text goes into the <title>. */
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const anchorId = (prefix: string, id: string) => `${prefix}-${id.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
const checkAnchor = (id: string) => anchorId('check', id);
const gateAnchor = (id: string) => anchorId('gate', id);

// ---------------------------------------------------------------------------------------------
// Words

const SECTION_TITLE: Record<ReadinessSection, string> = {
  data: 'Data',
  model: 'Model',
  infrastructure: 'Infrastructure',
  monitoring: 'Monitoring',
};

const STATUS: Record<CheckStatus, { label: string; icon: string }> = {
  pass: { label: 'Pass', icon: '✓' },
  warn: { label: 'Warn', icon: '!' },
  fail: { label: 'Fail', icon: '✗' },
  na: { label: 'N/A', icon: '–' },
};

const MODE: Record<ReadinessCheck['mode'], string> = {
  auto: 'automated',
  attest: 'attested by a named person, for half a point',
  'auto-or-attest': 'automated, or attested for half a point',
};

type Tone = 'pass' | 'warn' | 'fail' | 'na' | 'info';

const badge = (tone: Tone, icon: string, label: string) => html`<span class="badge badge--${tone}"><span class="badge__icon" aria-hidden="true">${icon}</span>${label}</span>`;
const statusBadge = (status: CheckStatus) => badge(status, STATUS[status].icon, STATUS[status].label);
const okBadge = (ok: boolean, yes = 'Passed', no = 'Failed') => (ok ? badge('pass', '✓', yes) : badge('fail', '✗', no));

type GateState = 'passed' | 'overridden' | 'failed';
const gateState = (g: ReadinessGate): GateState => (g.passed ? 'passed' : g.override ? 'overridden' : 'failed');
const gateBadge = (g: ReadinessGate) => {
  const state = gateState(g);
  return state === 'passed' ? badge('pass', '✓', 'Passed') : state === 'overridden' ? badge('warn', '!', 'Overridden') : badge('fail', '✗', 'Failed');
};

const decisionBadge = (d: Review['decision']) => (d === 'approve' ? badge('pass', '✓', 'Approved') : badge('fail', '✗', 'Changes requested'));

// ---------------------------------------------------------------------------------------------
// Markdown (the model card)

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
// Only web links: no javascript:, file:, data: or relative links (they point nowhere offline).
md.validateLink = (url: string) => /^https?:\/\//i.test(url.trim());
// An image would be a request when the report is opened: say what it was instead.
md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx]!;
  const alt = token.children ? token.children.map((t) => t.content).join('') : token.content;
  return `<span class="md-omitted">[image${alt ? `: ${escapeHtml(alt)}` : ''} not shown]</span>`;
};

/** Sanitised HTML for card markdown; headings moved under the report's own (h1 → h4). */
export function renderMarkdown(source: string, headingOffset = 3): Markup {
  const tokens = md.parse(source, {});
  for (const token of tokens) {
    if (token.type === 'heading_open' || token.type === 'heading_close') token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + headingOffset)}`;
    if (token.type === 'inline') {
      for (const child of token.children ?? []) {
        if (child.type === 'link_open') child.attrSet('rel', 'noopener noreferrer');
      }
    }
  }
  return new Markup(md.renderer.render(tokens, md.options, {}));
}

// ---------------------------------------------------------------------------------------------
// Pieces

const evidenceList = (evidence: CheckEvidence[]) =>
  evidence.length === 0
    ? html`<p class="muted">No evidence recorded.</p>`
    : html`<ul class="evidence">${evidence.map(
        (e) => html`<li><span class="evidence__label">${e.label}:</span> <span class="evidence__value">${e.value}</span>${e.file ? html` <span class="file" title="A file in the bundle">${e.file}</span>` : ''}</li>`,
      )}</ul>`;

function table(head: Part[], rows: Part[][], className = ''): Markup {
  return html`<div class="table-wrap"><table${className ? html` class="${className}"` : ''}><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

const facts = (items: [string, Part][]) => html`<dl class="facts">${items.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
const hash = (h: string) => html`<code class="hash">${h}</code>`;

// ---------------------------------------------------------------------------------------------
// The score chart: four horizontal bars on the rubric's scale with its bands marked.

const BAND_MARKS = [1, 2, 3, 5];

function scoreChart(score: ReportData['readiness']['score']): Markup {
  const W = 560;
  const labelW = 118;
  const rowH = 30;
  const top = 26;
  const max = Math.max(7, Math.ceil(Math.max(...READINESS_SECTIONS.map((s) => score[s]))));
  const plotW = W - labelW - 56;
  const x = (v: number) => labelW + (Math.max(0, v) / max) * plotW;
  const H = top + READINESS_SECTIONS.length * rowH + 22;
  const lowest = Math.min(...READINESS_SECTIONS.map((s) => score[s]));
  const bars = READINESS_SECTIONS.map((s, i) => {
    const y = top + i * rowH + 5;
    const isMin = score[s] === lowest;
    return html`<g><title>${SECTION_TITLE[s]}: ${formatPoints(score[s])} points${isMin ? ' (the lowest: the final score)' : ''}</title>
<text x="${labelW - 10}" y="${y + 14}" text-anchor="end" class="chart-label">${SECTION_TITLE[s]}</text>
<rect x="${labelW}" y="${y}" width="${formatNumber(Math.max(1.5, x(score[s]) - labelW), 2)}" height="19" class="${isMin ? 'bar bar--min' : 'bar'}"/>
<text x="${formatNumber(x(score[s]) + 6, 2)}" y="${y + 14}" class="chart-value">${formatPoints(score[s])}${isMin ? ' ← final' : ''}</text></g>`;
  });
  const ticks = BAND_MARKS.filter((m) => m <= max).map(
    (m) => html`<line x1="${formatNumber(x(m), 2)}" x2="${formatNumber(x(m), 2)}" y1="${top - 6}" y2="${H - 20}" class="band-line"/><text x="${formatNumber(x(m), 2)}" y="${top - 10}" text-anchor="middle" class="chart-tick">${m}</text>`,
  );
  return html`<svg class="chart score-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Section scores: ${READINESS_SECTIONS.map((s) => `${SECTION_TITLE[s]} ${formatPoints(score[s])}`).join(', ')}">
<line x1="${labelW}" x2="${labelW}" y1="${top - 6}" y2="${H - 20}" class="axis"/>
${ticks}
${bars}
<text x="${labelW}" y="${H - 4}" class="chart-note">points per section (7 tests each); lines mark the rubric's bands at 1, 2, 3 and 5</text>
</svg>`;
}

// ---------------------------------------------------------------------------------------------
// Data profile charts

const CHART_W = 300;
const CHART_H = 96;

function histogramChart(col: ColumnProfile, id: string): Markup {
  const bins = col.histogram ?? [];
  const peak = Math.max(1, ...bins.map((b) => b.count));
  const plotH = CHART_H - 22;
  const barW = CHART_W / Math.max(1, bins.length);
  const bars = bins.map((b, i) => {
    const h = (b.count / peak) * plotH;
    return html`<rect x="${formatNumber(i * barW + 0.5, 2)}" y="${formatNumber(plotH - h, 2)}" width="${formatNumber(Math.max(1, barW - 1), 2)}" height="${formatNumber(Math.max(h, b.count > 0 ? 1 : 0), 2)}" class="bar"><title>${formatScalar(b.lower)} – ${formatScalar(b.upper)}: ${formatInt(b.count)}</title></rect>`;
  });
  const first = bins[0];
  const last = bins[bins.length - 1];
  return html`<svg class="chart" id="${id}" viewBox="0 0 ${CHART_W} ${CHART_H}" width="${CHART_W}" height="${CHART_H}" role="img" aria-label="Histogram of ${col.name} in ${bins.length} bins">
${bars}
<line x1="0" x2="${CHART_W}" y1="${plotH}" y2="${plotH}" class="axis"/>
<text x="0" y="${CHART_H - 6}" class="chart-tick">${first ? formatScalar(first.lower) : ''}</text>
<text x="${CHART_W}" y="${CHART_H - 6}" text-anchor="end" class="chart-tick">${last ? formatScalar(last.upper) : ''}</text>
<text x="${CHART_W / 2}" y="${CHART_H - 6}" text-anchor="middle" class="chart-tick">peak ${formatInt(peak)} rows</text>
</svg>`;
}

const MAX_CATEGORIES = 8;

function categoryChart(col: ColumnProfile, rows: number, id: string): Markup {
  const top = (col.top ?? []).slice(0, MAX_CATEGORIES);
  const peak = Math.max(1, ...top.map((t) => t.count));
  const rowH = 18;
  const labelW = 128;
  const valueW = 78;
  const H = top.length * rowH + 4;
  const plotW = CHART_W - labelW - valueW;
  const bars = top.map((t, i) => {
    const y = i * rowH + 2;
    const label = formatScalar(t.value);
    return html`<g><title>${label}: ${formatInt(t.count)} rows (${percent(t.count, rows)})</title>
<text x="${labelW - 6}" y="${y + 12}" text-anchor="end" class="chart-label">${clip(label, 20)}</text>
<rect x="${labelW}" y="${y + 2}" width="${formatNumber(Math.max(1, (t.count / peak) * plotW), 2)}" height="12" class="bar"/>
<text x="${CHART_W}" y="${y + 12}" text-anchor="end" class="chart-value">${formatInt(t.count)}</text></g>`;
  });
  return html`<svg class="chart" id="${id}" viewBox="0 0 ${CHART_W} ${H}" width="${CHART_W}" height="${H}" role="img" aria-label="Most frequent values of ${col.name}">
${bars}
</svg>`;
}

function columnCard(col: ColumnProfile, index: number, rows: number, inputs: Set<string>): Markup {
  const id = `profile-chart-${index}`;
  const numeric = col.kind === 'integer' || col.kind === 'number';
  const stats: [string, Part][] = [
    ['Type', `${col.kind} (${col.type})`],
    ['Nulls', `${formatInt(col.nulls)} (${percent(col.nulls, rows)})`],
    ['Distinct', `≈ ${formatInt(col.distinct)}`],
  ];
  if (col.min !== null || col.max !== null) stats.push(['Range', `${formatScalar(col.min)} … ${formatScalar(col.max)}`]);
  if (numeric && col.mean !== null) stats.push(['Mean ± std', `${formatNumber(col.mean)} ± ${col.std === null ? '–' : formatNumber(col.std)}`]);
  if (col.textLength) stats.push(['Text length', `${formatInt(col.textLength.min)} … ${formatInt(col.textLength.max)}`]);
  const useHistogram = (col.histogram?.length ?? 0) > 0 && (numeric || col.kind === 'date' || col.kind === 'timestamp' || !col.top?.length);
  const chart = useHistogram
    ? histogramChart(col, id)
    : col.top?.length
      ? categoryChart(col, rows, id)
      : html`<p class="muted">No distribution recorded.</p>`;
  const more = !useHistogram && col.top && col.distinct > Math.min(col.top.length, MAX_CATEGORIES) ? html`<p class="muted small">Top ${Math.min(col.top.length, MAX_CATEGORIES)} of ≈ ${formatInt(col.distinct)} values.</p>` : '';
  return html`<figure class="column-card">
<figcaption><span class="column-card__name">${col.name}</span>${inputs.has(col.name) ? '' : html` <span class="tag">not a model input</span>`}</figcaption>
${facts(stats)}
${chart}${more}
</figure>`;
}

// ---------------------------------------------------------------------------------------------
// Lineage: a layered left-to-right layout, computed here so the function stays synchronous.

export interface LineageBox {
  id: string;
  kind: LineageKind;
  name: string;
  version: number;
  detail: string;
  layer: number;
  x: number;
  y: number;
}

export interface LineageRoute {
  source: string;
  target: string;
  relation: string;
  /**
   * From the source's right side to the target's left side. Between layers the segments are
   * curves; an edge that spans several layers also passes straight through each layer between
   * (points[2k+1] → points[2k+2]), in a slot kept free for it, so it never runs under a node.
   * `vertical`: an edge within one layer (only where a cycle was cut), bottom to top.
   */
  points: { x: number; y: number }[];
  vertical: boolean;
}

export interface LineageLayout {
  nodes: LineageBox[];
  edges: LineageRoute[];
  width: number;
  height: number;
}

export const NODE_W = 176;
export const NODE_H = 54;
const SLOT_H = 10;
const LAYER_GAP = 58;
const ROW_GAP = 16;
const PAD = 12;
const KIND_ORDER: LineageKind[] = ['dataset', 'notebook', 'environment', 'model', 'bundle'];

/**
 * A layered left-to-right layout (Sugiyama style, small): layers by longest path from the
 * sources, and a node that only feeds others moves right to sit just before the nearest node it
 * feeds (an evaluation dataset next to the model, not with the training data). An edge spanning
 * several layers gets a slot in each layer between. Order within a layer: by the mean position of
 * the neighbours, one sweep each way, ties by kind and name. Edges to unknown nodes, self-loops and
 * duplicates are dropped; a cycle cannot hang it.
 */
export function layoutLineage(graph: LineageGraph): LineageLayout {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const edges = graph.edges.filter((e) => {
    const key = `${e.source}\u0000${e.target}\u0000${e.relation}`;
    if (!byId.has(e.source) || !byId.has(e.target) || e.source === e.target || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const count = graph.nodes.length;
  // Longest path, bounded so that a cycle ends.
  const layer = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  for (let round = 0; round < count; round++) {
    let changed = false;
    for (const e of edges) {
      const want = layer.get(e.source)! + 1;
      if (want > layer.get(e.target)! && want < count) {
        layer.set(e.target, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const hasPred = new Set(edges.map((e) => e.target));
  for (const n of graph.nodes) {
    const out = edges.filter((e) => e.source === n.id).map((e) => layer.get(e.target)!);
    if (!hasPred.has(n.id) && out.length > 0) layer.set(n.id, Math.max(0, Math.min(...out) - 1));
  }
  const layerCount = count ? Math.max(...layer.values()) + 1 : 0;

  // The items of each layer: nodes, and slots for the edges passing through.
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    (succs.get(a) ?? succs.set(a, []).get(a)!).push(b);
    (preds.get(b) ?? preds.set(b, []).get(b)!).push(a);
  };
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (const n of graph.nodes) layers[layer.get(n.id)!]!.push(n.id);
  const slotsOf = edges.map((e, k) => {
    const from = layer.get(e.source)!;
    const to = layer.get(e.target)!;
    if (to <= from) return [];
    const slots: string[] = [];
    for (let l = from + 1; l < to; l++) {
      const id = `\u0000slot:${k}:${l}`;
      slots.push(id);
      layers[l]!.push(id);
    }
    [e.source, ...slots, e.target].reduce((a, b) => (link(a, b), b));
    return slots;
  });
  const isSlot = (id: string) => id.startsWith('\u0000slot:');
  const nodeKey = (id: string) => {
    if (isSlot(id)) return `~${id.split(':')[1]!.padStart(6, '0')}`;
    const n = byId.get(id)!;
    return `${KIND_ORDER.indexOf(n.kind)}\u0001${n.name}\u0001${String(n.version).padStart(9, '0')}\u0001${id}`;
  };
  layers.forEach((l) => l.sort((a, b) => byText(nodeKey(a), nodeKey(b))));
  const position = new Map<string, number>();
  const place = () => layers.forEach((l) => l.forEach((id, i) => position.set(id, i)));
  place();
  const mean = (ids: string[] | undefined) => (ids?.length ? ids.reduce((s, id) => s + position.get(id)!, 0) / ids.length : Number.POSITIVE_INFINITY);
  const sweep = (i: number, neighbours: Map<string, string[]>) => {
    const l = layers[i]!;
    const m = new Map(l.map((id) => [id, mean(neighbours.get(id))]));
    // Items without neighbours on that side keep their place relative to the others.
    l.forEach((id, j) => m.get(id) === Number.POSITIVE_INFINITY && m.set(id, j));
    l.sort((a, b) => m.get(a)! - m.get(b)! || byText(nodeKey(a), nodeKey(b)));
    place();
  };
  for (let i = 1; i < layers.length; i++) sweep(i, preds);
  for (let i = layers.length - 2; i >= 0; i--) sweep(i, succs);

  const itemH = (id: string) => (isSlot(id) ? SLOT_H : NODE_H);
  const stackH = (ids: string[]) => ids.reduce((h, id) => h + itemH(id), 0) + Math.max(0, ids.length - 1) * ROW_GAP;
  const height = PAD * 2 + Math.max(0, ...layers.map(stackH));
  const width = PAD * 2 + layerCount * NODE_W + Math.max(0, layerCount - 1) * LAYER_GAP;
  const top = new Map<string, number>();
  const layerX = (l: number) => PAD + l * (NODE_W + LAYER_GAP);
  layers.forEach((ids) => {
    let y = (height - stackH(ids)) / 2;
    for (const id of ids) {
      top.set(id, y);
      y += itemH(id) + ROW_GAP;
    }
  });
  const boxes = new Map<string, LineageBox>();
  for (const n of graph.nodes) {
    const l = layer.get(n.id)!;
    boxes.set(n.id, { id: n.id, kind: n.kind, name: n.name, version: n.version, detail: n.detail, layer: l, x: layerX(l), y: top.get(n.id)! });
  }
  return {
    nodes: layers.flat().filter((id) => !isSlot(id)).map((id) => boxes.get(id)!),
    edges: edges.map((e, k) => {
      const s = boxes.get(e.source)!;
      const t = boxes.get(e.target)!;
      if (t.layer <= s.layer) {
        return { source: e.source, target: e.target, relation: e.relation, vertical: true, points: [{ x: s.x + NODE_W / 2, y: s.y + NODE_H }, { x: t.x + NODE_W / 2, y: t.y }] };
      }
      const through = slotsOf[k]!.flatMap((id, i) => {
        const y = top.get(id)! + SLOT_H / 2;
        const x = layerX(s.layer + 1 + i);
        return [{ x, y }, { x: x + NODE_W, y }];
      });
      return {
        source: e.source,
        target: e.target,
        relation: e.relation,
        vertical: false,
        points: [{ x: s.x + NODE_W, y: s.y + NODE_H / 2 }, ...through, { x: t.x, y: t.y + NODE_H / 2 }],
      };
    }),
    width,
    height,
  };
}

const RELATION_TEXT: Record<string, string> = {
  'read-by': 'read by',
  wrote: 'wrote',
  trained: 'trained',
  evaluated: 'evaluated',
  'environment-of': 'environment of',
  'packaged-in': 'packaged in',
  'handed-back': 'handed back',
};

const KIND_LABEL: Record<LineageKind, string> = { dataset: 'Dataset', notebook: 'Notebook', environment: 'Environment', model: 'Model', bundle: 'Bundle' };

function lineageSvg(data: ReportData): Markup {
  const layout = layoutLineage(data.lineage);
  if (layout.nodes.length === 0) return html`<p class="muted">No lineage recorded.</p>`;
  const focus = `model:${data.readiness.model.name}@${data.readiness.model.version}`;
  const n2 = (v: number) => formatNumber(v, 1);
  const edges = layout.edges.map((e) => {
    const [first, ...rest] = e.points;
    let d = `M${n2(first!.x)},${n2(first!.y)}`;
    let prev = first!;
    rest.forEach((p, i) => {
      if (e.vertical) d += ` C${n2(prev.x)},${n2(prev.y + 30)} ${n2(p.x)},${n2(p.y - 30)} ${n2(p.x)},${n2(p.y)}`;
      else if (i % 2 === 1) d += ` L${n2(p.x)},${n2(p.y)}`;
      else d += ` C${n2(prev.x + LAYER_GAP / 2)},${n2(prev.y)} ${n2(p.x - LAYER_GAP / 2)},${n2(p.y)} ${n2(p.x)},${n2(p.y)}`;
      prev = p;
    });
    const s = data.lineage.nodes.find((n) => n.id === e.source)!;
    const t = data.lineage.nodes.find((n) => n.id === e.target)!;
    return html`<path d="${d}" class="edge" marker-end="url(#lineage-arrow)"><title>${s.name} v${s.version} ${RELATION_TEXT[e.relation] ?? e.relation} ${t.name} v${t.version}</title></path>`;
  });
  const nodes = layout.nodes.map(
    (n) => html`<g class="node node--${n.kind}${n.id === focus ? ' node--focus' : ''}"><title>${KIND_LABEL[n.kind]} ${n.name} v${n.version}: ${n.detail}</title>
<rect x="${n2(n.x)}" y="${n2(n.y)}" width="${NODE_W}" height="${NODE_H}" rx="6"/>
<text x="${n2(n.x + 10)}" y="${n2(n.y + 15)}" class="node__kind">${KIND_LABEL[n.kind].toUpperCase()}</text>
<text x="${n2(n.x + 10)}" y="${n2(n.y + 31)}" class="node__name">${clip(`${n.name} v${n.version}`, 23)}</text>
<text x="${n2(n.x + 10)}" y="${n2(n.y + 46)}" class="node__detail">${clip(n.detail, 27)}</text></g>`,
  );
  return html`<svg class="chart lineage" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" role="img" aria-label="Lineage graph: ${layout.nodes.length} nodes, ${layout.edges.length} links">
<defs><marker id="lineage-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" class="arrow"/></marker></defs>
${edges}
${nodes}
</svg>`;
}

function lineageList(data: ReportData): Markup {
  const name = new Map(data.lineage.nodes.map((n) => [n.id, `${KIND_LABEL[n.kind].toLowerCase()} ${n.name} v${n.version}`]));
  const layout = layoutLineage(data.lineage);
  if (layout.edges.length === 0) return html``;
  return html`<ul class="lineage-list">${layout.edges.map((e) => html`<li>${name.get(e.source)} <span class="muted">${RELATION_TEXT[e.relation] ?? e.relation}</span> ${name.get(e.target)}</li>`)}</ul>`;
}

// ---------------------------------------------------------------------------------------------
// Sections of the report

function header(data: ReportData): Markup {
  const r = data.readiness;
  return html`<header class="report-head">
<p class="eyebrow">Readiness report · ${APP_NAME}</p>
<h1>${r.model.name} <span class="version">v${r.model.version}</span></h1>
<p class="subtitle">Bundle ${r.bundle.name} v${r.bundle.version} · evaluated ${formatTime(r.evaluatedAt)}</p>
${facts([
  ['Model', `${r.model.className} (${r.model.framework}, ${r.model.task})`],
  ['Image', html`${r.bundle.imageTag}${r.bundle.imageId ? html` <span class="muted">${shortHash(r.bundle.imageId)}</span>` : html` <span class="muted">(not built)</span>`}`],
  ['Base image', `${r.bundle.baseImage} · ${r.bundle.strategy} install`],
  ['Bundle written', `${formatTime(r.bundle.createdAt)} by ${r.bundle.createdBy}`],
  ['Manifest SHA-256', hash(r.bundle.manifestSha256)],
  ['Model SHA-256', hash(r.model.sha256)],
])}
</header>`;
}

const TOC: [string, string][] = [
  ['summary', 'Verdict'],
  ['gates', 'Gates'],
  ['checks', 'Checks'],
  ['model', 'Model'],
  ['data-profile', 'Training data'],
  ['lineage', 'Lineage'],
  ['environment', 'Environment'],
  ['smoke-test', 'Smoke test'],
  ['scan', 'Scan'],
  ['drift', 'Drift'],
  ['reviews', 'Reviews'],
];

const toc = () => html`<nav class="toc" aria-label="Contents"><ul>${TOC.map(([id, label]) => html`<li><a href="#${id}">${label}</a></li>`)}</ul></nav>`;

function counts<T extends string>(values: T[]): Record<T, number> {
  const out = {} as Record<T, number>;
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function statusCounts(checks: ReadinessCheck[]): Markup {
  const c = counts(checks.map((x) => x.status));
  const parts = (['pass', 'warn', 'fail', 'na'] as CheckStatus[]).filter((s) => c[s]).map((s) => `${c[s]} ${STATUS[s].label.toLowerCase()}`);
  return html`${parts.join(' · ')}`;
}

function summary(data: ReportData): Markup {
  const r = data.readiness;
  const g = counts(r.gates.map(gateState));
  const latest = [...r.reviews].sort((a, b) => byText(b.at, a.at) || b.id - a.id)[0];
  const gateText = [g.passed ? `${g.passed} passed` : '', g.overridden ? `${g.overridden} overridden` : '', g.failed ? `${g.failed} failed` : ''].filter(Boolean).join(', ') || 'none';
  const ready = r.verdict.ready;
  return html`<section id="summary" class="verdict ${ready ? 'verdict--ready' : 'verdict--not-ready'}" aria-labelledby="verdict-title">
<div class="verdict__main">
<h2 id="verdict-title" class="verdict__label"><span aria-hidden="true">${ready ? '✓' : '✗'}</span> ${ready ? 'Ready for production' : 'Not ready for production'}</h2>
<p class="verdict__summary">${r.verdict.summary}</p>
<ul class="verdict__facts">
<li><strong>Gates:</strong> ${gateText} of ${r.gates.length}${r.gatesPassed ? ' — export is not blocked' : ' — export is blocked'}</li>
<li><strong>Checks:</strong> ${statusCounts(r.checks)}</li>
<li><strong>Latest review:</strong> ${latest ? html`${decisionBadge(latest.decision)} by ${latest.reviewer}, ${formatTime(latest.at)}` : 'none yet'}</li>
</ul>
</div>
<div class="verdict__score">
<p class="score-label">Final score</p>
<p class="score-number">${formatPoints(r.score.final)}</p>
<p class="score-band">${r.score.band.range} ${r.score.band.label}</p>
<p class="muted small">The lowest of the four section scores (ML Test Score, Breck et al. 2017)</p>
</div>
<figure class="score-figure">${scoreChart(r.score)}</figure>
</section>
${missing(data)}`;
}

/** "What is missing": every failed or overridden gate and every check that does not pass, linked. */
function missing(data: ReportData): Markup {
  const r = data.readiness;
  const gates = r.gates.filter((g) => !g.passed);
  const order: CheckStatus[] = ['fail', 'warn'];
  const checks = order.flatMap((s) => r.checks.filter((c) => c.status === s));
  if (gates.length === 0 && checks.length === 0) return html`<section class="todo"><h2>What is missing</h2><p>Every gate passes and every check that applies passes.</p></section>`;
  return html`<section class="todo" aria-labelledby="todo-title"><h2 id="todo-title">What is missing</h2>
<ol>${gates.map((gate) => html`<li>${gateBadge(gate)} <a href="#${gateAnchor(gate.id)}">Gate: ${gate.title}</a></li>`)}${checks.map(
    (c) => html`<li>${statusBadge(c.status)} <a href="#${checkAnchor(c.id)}"><span class="check-id">${c.id}</span> ${c.title}</a></li>`,
  )}</ol></section>`;
}

function gatesSection(data: ReportData): Markup {
  const r = data.readiness;
  const rows = r.gates.map((g) => {
    let outcome: Part = '';
    if (g.passed) outcome = '';
    else if (g.override)
      outcome = html`<div class="override"><strong>Overridden by ${g.override.by}</strong>, ${formatTime(g.override.at)}:<blockquote>${g.override.reason}</blockquote></div>${g.remedy ? html`<p class="remedy-inline"><strong>Still to do:</strong> ${g.remedy}</p>` : ''}`;
    else outcome = html`<p class="remedy-inline"><strong>To do:</strong> ${g.remedy ?? 'No remedy recorded.'}</p>`;
    return html`<tr id="${gateAnchor(g.id)}" class="gate gate--${gateState(g)}"><td>${gateBadge(g)}</td><th scope="row">${g.title}<br><span class="muted small">${g.id}</span></th><td>${evidenceList(g.evidence)}${outcome}</td></tr>`;
  });
  return html`<section id="gates" class="report-section" aria-labelledby="gates-title">
<h2 id="gates-title" class="section-title">Hand-off gates</h2>
<p class="lead">Export is blocked while a gate fails, unless it is overridden with a recorded reason. ${r.gatesPassed ? 'All gates pass or are overridden.' : 'At least one gate fails.'}</p>
<div class="table-wrap"><table class="gates"><thead><tr><th scope="col">Status</th><th scope="col">Gate</th><th scope="col">Evidence, and the override or what to do</th></tr></thead><tbody>${rows}</tbody></table></div>
</section>`;
}

function commentsFor(data: ReportData, id: string): { review: Review; text: string }[] {
  return data.readiness.reviews.flatMap((review) => review.comments.filter((c) => c.checkId === id).map((c) => ({ review, text: c.text })));
}

function checkArticle(data: ReportData, c: ReadinessCheck): Markup {
  const pointsText = c.points === 1 ? '1 point' : `${formatPoints(c.points)} points`;
  const basis =
    c.basis === 'automated'
      ? 'earned automatically'
      : c.basis === 'attested'
        ? `attested${c.attestation ? ` by ${c.attestation.by}` : ''}`
        : c.status === 'na'
          ? 'does not apply'
          : 'not earned';
  const comments = commentsFor(data, c.id);
  return html`<article class="check check--${c.status}" id="${checkAnchor(c.id)}" data-status="${c.status}">
<header class="check__head">${statusBadge(c.status)}<h4><span class="check-id">${c.id}</span> ${c.title}</h4><span class="check__points">${pointsText} · ${basis}</span></header>
<dl class="check__body">
<div><dt>How it is evaluated</dt><dd>${c.evaluation} <span class="muted">Earned: ${MODE[c.mode]}.</span></dd></div>
<div><dt>Evidence</dt><dd>${evidenceList(c.evidence)}</dd></div>
${c.attestation ? html`<div class="attestation"><dt>Attestation</dt><dd><strong>${c.attestation.by}</strong>, ${formatTime(c.attestation.at)}<blockquote>${c.attestation.note}</blockquote></dd></div>` : ''}
${c.remedy && c.status !== 'pass' ? html`<div class="remedy"><dt>To do</dt><dd>${c.remedy}</dd></div>` : ''}
${comments.length ? html`<div class="check__comments"><dt>Review comments</dt><dd><ul>${comments.map((x) => html`<li><strong>${x.review.reviewer}</strong> (${x.review.decision === 'approve' ? 'approved' : 'requested changes'}, ${formatDate(x.review.at)}): ${x.text}</li>`)}</ul></dd></div>` : ''}
</dl>
</article>`;
}

function checksSection(data: ReportData): Markup {
  const r = data.readiness;
  const all = r.checks;
  const c = counts(all.map((x) => x.status));
  const open = all.filter((x) => x.status === 'fail' || x.status === 'warn').length;
  const filters = ([
    ['all', 'All', all.length],
    ['open', 'Not passing', open],
    ['fail', 'Fail', c.fail ?? 0],
    ['warn', 'Warn', c.warn ?? 0],
    ['pass', 'Pass', c.pass ?? 0],
    ['na', 'N/A', c.na ?? 0],
  ] as [string, string, number][]).filter(([id, , n], i) => i === 0 || n > 0 || id === 'open');
  const sections = READINESS_SECTIONS.map((s) => {
    const checks = all.filter((x) => x.section === s);
    return html`<section id="section-${s}" class="rubric-section" aria-labelledby="section-${s}-title">
<h3 id="section-${s}-title" class="rubric-title">${SECTION_TITLE[s]} <span class="rubric-score">${formatPoints(r.score[s])} points</span> <span class="rubric-counts">${statusCounts(checks)}</span></h3>
${checks.length ? checks.map((x) => checkArticle(data, x)) : html`<p class="muted">No checks in this section.</p>`}
</section>`;
  });
  // Checks whose section the report does not know (a newer engine) are still shown.
  const other = all.filter((x) => !(READINESS_SECTIONS as readonly string[]).includes(x.section));
  return html`<section id="checks" class="report-section" aria-labelledby="checks-title">
<h2 id="checks-title" class="section-title">Checks</h2>
<p class="lead">One point for a test Greenhouse runs automatically, half a point for a manual test a named person attests; a section's score is the sum of its points.</p>
<div class="filter" role="radiogroup" aria-label="Show checks">${filters.map(
    ([id, label, n], i) => html`<input type="radio" name="show" id="show-${id}" value="${id}"${i === 0 ? html` checked` : ''}><label for="show-${id}">${label} <span class="filter__n">${n}</span></label>`,
  )}</div>
${sections}
${other.length ? html`<section class="rubric-section"><h3 class="rubric-title">Other</h3>${other.map((x) => checkArticle(data, x))}</section>` : ''}
</section>`;
}

function modelSection(data: ReportData): Markup {
  const { signature, metrics, card, readiness: r } = data;
  const inputs = table(
    ['Input', 'Type', 'Nullable'],
    signature.inputs.map((i) => [html`<code>${i.name}</code>`, i.dtype, i.nullable ? 'yes' : 'no']),
  );
  const outputs = table(
    ['Output', 'Kind', 'Type', 'Class'],
    signature.outputs.map((o) => [html`<code>${o.name}</code>`, o.kind, o.dtype, o.class === null ? '–' : String(o.class)]),
  );
  let metricsBlock: Markup;
  if (!metrics) metricsBlock = html`<p class="muted">No metrics recorded.</p>`;
  else {
    const names = Object.keys(metrics.values).sort(byText);
    const base = metrics.baseline?.values ?? {};
    metricsBlock = html`<p class="small muted">${metrics.source === 'computed' ? 'Computed' : metrics.source === 'file' ? 'Read from a file' : 'Entered by hand'}${metrics.dataset ? ` on ${metrics.dataset.name} v${metrics.dataset.version}` : ''}${metrics.rows !== null ? ` (${formatInt(metrics.rows)} rows)` : ''}, ${formatTime(metrics.recordedAt)}.${metrics.baseline ? ` Baseline: ${metrics.baseline.strategy === 'majority' ? 'the majority class' : 'the training mean'}.` : ''}</p>
${table(
  ['Metric', 'Model', 'Baseline'],
  names.map((n) => [n, formatNumber(metrics.values[n]!, 4), base[n] === undefined ? '–' : formatNumber(base[n], 4)]),
  'numeric',
)}`;
  }
  const sections = (Object.keys(MODEL_CARD_SECTIONS) as ModelCardSection[]).map((k) => {
    const text = (card[k] ?? '').trim();
    return html`<section class="card-section"><h4>${MODEL_CARD_SECTIONS[k]}</h4>${text ? html`<div class="markdown">${renderMarkdown(text)}</div>` : html`<p class="muted">Not written.</p>`}</section>`;
  });
  return html`<section id="model" class="report-section" aria-labelledby="model-title">
<h2 id="model-title" class="section-title">Model</h2>
${facts([
  ['Model', `${r.model.name} v${r.model.version}`],
  ['Class', `${r.model.className} (${r.model.framework})`],
  ['Task', r.model.task],
  ['Inputs from', signature.inputsFrom === 'model' ? 'the model (feature names)' : 'the training dataset'],
])}
<div class="two-col"><div><h3>Signature: inputs</h3>${inputs}</div><div><h3>Signature: outputs</h3>${outputs}<h3>Metrics</h3>${metricsBlock}</div></div>
<h3>Model card</h3><p class="small muted">As written in <span class="file">model-card.md</span>; raw HTML is shown as text and only web links are kept.</p>
${sections}
</section>`;
}

function profileSection(data: ReportData): Markup {
  const t = data.training;
  const inputs = new Set(data.signature.inputs.map((i) => i.name));
  if (!t.name || t.columns.length === 0) {
    return html`<section id="data-profile" class="report-section" aria-labelledby="profile-title">
<h2 id="profile-title" class="section-title">Training data</h2>
<p>${badge('warn', '!', 'Missing')} No training dataset profile is linked to this model version. Link the training dataset to the model so that its profile, the reference for drift, is recorded.</p>
</section>`;
  }
  return html`<section id="data-profile" class="report-section" aria-labelledby="profile-title">
<h2 id="profile-title" class="section-title">Training data</h2>
<p class="lead">${t.name} v${t.version}: ${plural(t.rows, 'row')}, ${plural(t.columns.length, 'column')}. Histograms for numbers and dates, the most frequent values for the rest.</p>
<div class="columns-grid">${t.columns.map((c, i) => columnCard(c, i, t.rows, inputs))}</div>
</section>`;
}

function lineageSection(data: ReportData): Markup {
  return html`<section id="lineage" class="report-section" aria-labelledby="lineage-title">
<h2 id="lineage-title" class="section-title">Lineage</h2>
<p class="lead">Where the model comes from: the datasets, notebook and environment that made it, and the bundle it is packaged in.</p>
<div class="lineage-wrap">${lineageSvg(data)}</div>
${lineageList(data)}
</section>`;
}

function environmentSection(data: ReportData): Markup {
  const env = data.environment;
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '-');
  const sbom = new Map(data.sbom.components.map((c) => [norm(c.name), c]));
  const packages = [...env.packages].sort((a, b) => byText(a.name, b.name));
  const names = new Set(packages.map((p) => norm(p.name)));
  const sbomOnly = data.sbom.components.filter((c) => !names.has(norm(c.name))).sort((a, b) => byText(a.name, b.name));
  const pinned = packages.filter((p) => p.version !== null && p.specifier === null).length;
  const rows: Part[][] = packages.map((p) => {
    const comp = sbom.get(norm(p.name));
    const isPinned = p.version !== null && p.specifier === null;
    return [
      html`<code>${p.name}</code>`,
      p.version ?? html`<span class="muted">–</span>`,
      isPinned ? badge('pass', '✓', 'Pinned') : html`${badge('warn', '!', 'Not pinned')} <code>${p.specifier ?? 'any version'}</code>`,
      comp?.license ?? html`<span class="muted">unknown</span>`,
      comp?.purl ? html`<code class="purl">${comp.purl}</code>` : html`<span class="muted">not in the SBOM</span>`,
    ];
  });
  for (const c of sbomOnly) rows.push([html`<code>${c.name}</code>`, c.version, html`<span class="muted">SBOM only</span>`, c.license ?? html`<span class="muted">unknown</span>`, c.purl ? html`<code class="purl">${c.purl}</code>` : '–']);
  return html`<section id="environment" class="report-section" aria-labelledby="env-title">
<h2 id="env-title" class="section-title">Environment and SBOM</h2>
${env.name ? '' : html`<p>${badge('warn', '!', 'Missing')} No captured environment is linked to this model version.</p>`}
${facts([
  ['Environment', env.name ? `${env.name} v${env.version}` : 'none'],
  ['Python', env.python ?? 'unknown'],
  ['Packages', `${formatInt(packages.length)} (${formatInt(pinned)} pinned exactly${packages.length - pinned ? `, ${formatInt(packages.length - pinned)} not` : ''})`],
  ['SBOM', html`${plural(data.sbom.components.length, 'component')} in <span class="file">sbom.cdx.json</span> (CycloneDX)`],
])}
${table(['Package', 'Version', 'Pin', 'Licence', 'Package URL'], rows, 'packages')}
</section>`;
}

function smokeSection(data: ReportData): Markup {
  const s = data.smoke;
  const head = html`<h2 id="smoke-title" class="section-title">Smoke test</h2>`;
  if (!s) {
    return html`<section id="smoke-test" class="report-section" aria-labelledby="smoke-title">${head}
<p>${badge('fail', '✗', 'Not run')} No smoke test of this bundle's image is recorded. Build the image and run the smoke test (greenhouse bundle build, then greenhouse bundle smoke).</p></section>`;
  }
  const p = s.parity;
  const within = p.maxDifference === null ? 'no probabilities or values to compare' : p.maxDifference <= p.tolerance ? `within the tolerance of ${formatNumber(p.tolerance)}` : `above the tolerance of ${formatNumber(p.tolerance)}`;
  const parityOk = p.predict.mismatched === 0 && p.v2.mismatched === 0 && (p.maxDifference === null || p.maxDifference <= p.tolerance);
  const mismatches = p.mismatches.length
    ? html`<h4>First differences</h4>${table(
        ['Endpoint', 'Row', 'Output', 'Expected', 'Actual'],
        p.mismatches.map((m) => [m.endpoint, m.row === null ? 'all' : String(m.row), html`<code>${m.output}</code>`, html`<code>${JSON.stringify(m.expected) ?? 'undefined'}</code>`, html`<code>${JSON.stringify(m.actual) ?? 'undefined'}</code>`]),
      )}`
    : '';
  const malformedOk = s.malformed.filter((m) => m.ok).length;
  const py = s.pytest;
  return html`<section id="smoke-test" class="report-section" aria-labelledby="smoke-title">${head}
<p class="status-line">${okBadge(s.passed)} The image ${s.image.tag} <span class="muted">(${shortHash(s.image.id)})</span> ran on ${s.network === 'host' ? 'host networking' : 'a published loopback port'}${s.port !== null ? `, port ${s.port}` : ''}, ${formatTime(s.startedAt)}, for ${formatNumber(s.durationMs / 1000, 1)} s; ${s.readyMs === null ? 'it never became ready' : `ready after ${formatMs(s.readyMs)}`}.</p>
${table(
  ['Check', 'Result', 'What it found'],
  s.checks.map((c) => [html`<code>${c.id}</code>`, okBadge(c.ok), c.message]),
  'smoke-checks',
)}
<div class="two-col">
<div><h3>Golden parity</h3>
<p>${okBadge(parityOk, 'Holds', 'Does not hold')} ${plural(p.examples, 'golden example')}; the largest difference ${p.maxDifference === null ? '–' : formatNumber(p.maxDifference, 6)} is ${within}.</p>
${table(
  ['Endpoint', 'Matched', 'Mismatched'],
  [
    ['/predict', formatInt(p.predict.matched), formatInt(p.predict.mismatched)],
    ['V2 infer', formatInt(p.v2.matched), formatInt(p.v2.mismatched)],
  ],
  'numeric',
)}${mismatches}</div>
<div><h3>Latency</h3>
${facts([
  ['p50', formatMs(s.latencyMs.p50)],
  ['p95', formatMs(s.latencyMs.p95)],
  ['Max', formatMs(s.latencyMs.max)],
  ['Requests', formatInt(s.latencyMs.requests)],
])}
<h3>Metrics endpoint</h3>
<p>${okBadge(s.metrics.ok, 'Valid', 'Invalid')} ${plural(s.metrics.families, 'metric family', 'metric families')}${s.metrics.predictRequests !== null ? `, ${formatInt(s.metrics.predictRequests)} /predict requests counted` : ''}${s.metrics.clientErrors !== null ? `, ${formatInt(s.metrics.clientErrors)} client errors` : ''}.</p></div>
</div>
<h3>Malformed requests</h3>
<p>${okBadge(s.malformedRejected, 'All refused', 'Not all refused')} ${malformedOk} of ${s.malformed.length} bad requests got a 4xx answer.</p>
${table(
  ['Case', 'Endpoint', 'Status', 'Refused', 'Kind'],
  s.malformed.map((m) => [m.case, html`<code>${m.endpoint}</code>`, m.status === null ? 'no answer' : String(m.status), okBadge(m.ok, 'Yes', 'No'), m.kind ?? '–']),
  'malformed',
)}
<h3>Tests in the container</h3>
${py.ran
  ? html`<p>${okBadge(py.failed === 0 && py.errors === 0 && py.exitCode === 0)} ${py.summary} <span class="muted">(${formatInt(py.passed)} passed, ${formatInt(py.failed)} failed, ${formatInt(py.errors)} errors, ${formatInt(py.skipped)} skipped; exit code ${py.exitCode === null ? '–' : String(py.exitCode)})</span></p>${py.output.trim() ? html`<pre class="log">${py.output.trimEnd()}</pre>` : ''}`
  : html`<p>${badge('warn', '!', 'Not run')} ${py.summary || 'The generated tests did not run.'}</p>`}
${s.containerLogs ? html`<h3>Container log (end)</h3><pre class="log">${s.containerLogs.trimEnd()}</pre>` : ''}
</section>`;
}

const SEVERITY_TONE: Record<string, Tone> = { critical: 'fail', high: 'fail', medium: 'warn', low: 'info', info: 'info' };

function scanSection(data: ReportData): Markup {
  const s = data.scan;
  const versions = Object.entries(s.recordedVersions).sort(([a], [b]) => byText(a, b));
  return html`<section id="scan" class="report-section" aria-labelledby="scan-title">
<h2 id="scan-title" class="section-title">Artifact scan</h2>
<p class="status-line">${okBadge(s.safe, 'Safe', 'Unsafe')} The model file was scanned without loading it: ${s.safe ? 'no critical, high or medium finding.' : 'it holds code that would run when it is loaded.'}</p>
${facts([
  ['Format', `${s.format}${s.compression ? ` (${s.compression})` : ''}${s.protocol !== null ? `, pickle protocol ${s.protocol}` : ''}`],
  ['Size', `${formatInt(s.bytes)} bytes`],
  ['SHA-256', hash(s.sha256)],
  ['Recorded versions', versions.length ? versions.map(([k, v]) => `${k} ${v}`).join(', ') : 'none'],
])}
<h3>Findings</h3>
${s.findings.length
  ? table(
      ['Severity', 'Kind', 'Global', 'Offset', 'Message'],
      s.findings.map((f) => [badge(SEVERITY_TONE[f.severity] ?? 'info', f.severity === 'info' || f.severity === 'low' ? 'i' : '!', f.severity), f.kind, f.module || f.name ? html`<code>${[f.module, f.name].filter(Boolean).join('.')}</code>` : '–', f.offset === null ? '–' : formatInt(f.offset), f.message]),
    )
  : html`<p>No findings.</p>`}
<h3>Globals the file imports</h3>
${s.globals.length
  ? table(
      ['Global', 'Allowed', 'Uses'],
      s.globals.map((g) => [html`<code>${g.module}.${g.name}</code>`, okBadge(g.allowed, 'Allowed', 'Not allowed'), formatInt(g.count)]),
    )
  : html`<p class="muted">None${s.format === 'onnx' ? ' (ONNX holds no code)' : ''}.</p>`}
</section>`;
}

function driftSection(data: ReportData): Markup {
  const ref = data.reference;
  const d = data.drift;
  const driftBlock = d
    ? html`<h3>Latest drift check</h3>
<p>${d.drift ? badge('fail', '✗', 'Drift') : badge('pass', '✓', 'No drift')} ${formatTime(d.at)}: ${d.features.filter((f) => f.drifted).length} of ${d.features.length} features drifted.</p>
${table(
  ['Feature', 'PSI', 'Jensen–Shannon', 'Drifted'],
  d.features.map((f) => [html`<code>${f.name}</code>`, f.psi === null ? 'not comparable' : formatNumber(f.psi, 3), f.js === null ? '–' : formatNumber(f.js, 3), f.drifted ? badge('fail', '✗', 'Yes') : badge('pass', '✓', 'No')]),
)}`
    : html`<h3>Latest drift check</h3><p class="muted">No drift check has run yet. Check a batch of production inputs or the serving app's prediction log against this reference: <code>greenhouse drift ${data.readiness.model.name}@${data.readiness.model.version} --data FILE</code> (or the app's Monitoring page; <span class="file">app/drift.py</span> runs the same check inside the container).</p>`;
  return html`<section id="drift" class="report-section" aria-labelledby="drift-title">
<h2 id="drift-title" class="section-title">Drift monitoring</h2>
<p class="lead">The drift check compares serving inputs with the training data's reference profile (<span class="file">monitoring/reference-profile.json</span>).</p>
${ref.dataset.name
  ? facts([
      ['Reference', `${ref.dataset.name} v${ref.dataset.version}, ${plural(ref.dataset.rows, 'row')}`],
      ['SHA-256', hash(ref.dataset.sha256)],
      ['Columns compared', `${ref.columns.length}`],
    ])
  : html`<p>${badge('warn', '!', 'Missing')} The bundle holds no reference profile, so the drift check has nothing to compare with.</p>`}
<p class="column-list">${ref.columns.map((c, i) => html`${i ? ', ' : ''}<code>${c.name}</code> <span class="muted">(${c.kind})</span>`)}</p>
${driftBlock}
</section>`;
}

function reviewsSection(data: ReportData): Markup {
  const r = data.readiness;
  const titles = new Map<string, string>([...r.checks.map((c) => [c.id, c.title] as [string, string]), ...r.gates.map((g) => [g.id, `Gate: ${g.title}`] as [string, string])]);
  const isGate = new Set<string>(r.gates.map((g) => g.id));
  const reviews = [...r.reviews].sort((a, b) => byText(b.at, a.at) || b.id - a.id);
  const body = reviews.length
    ? reviews.map(
        (v) => html`<article class="review review--${v.decision}">
<header class="review__head">${decisionBadge(v.decision)} <strong>${v.reviewer}</strong> <span class="muted">${formatTime(v.at)}</span></header>
<p class="small ${v.manifestSha256 === r.bundle.manifestSha256 ? 'muted' : 'stale'}">${v.manifestSha256 === r.bundle.manifestSha256 ? 'Reviewed this bundle as it is now' : 'Reviewed an earlier state of this bundle'} (manifest ${shortHash(v.manifestSha256)}).</p>
${v.summary ? html`<blockquote>${v.summary}</blockquote>` : html`<p class="muted">No summary.</p>`}
${v.comments.length
  ? html`<ul class="review__comments">${v.comments.map((c) => {
      const target = c.checkId === null ? html`<span class="muted">General</span>` : titles.has(c.checkId) ? html`<a href="#${isGate.has(c.checkId) ? gateAnchor(c.checkId) : checkAnchor(c.checkId)}"><span class="check-id">${c.checkId}</span> ${titles.get(c.checkId)}</a>` : html`<span class="check-id">${c.checkId}</span>`;
      return html`<li>${target}: ${c.text}</li>`;
    })}</ul>`
  : ''}
</article>`,
      )
    : html`<p class="muted">No review recorded yet.</p>`;
  return html`<section id="reviews" class="report-section" aria-labelledby="reviews-title">
<h2 id="reviews-title" class="section-title">Review history</h2>
<p class="lead">Newest first. Reviews are kept in the catalog and in the bundle's signed reviews file.</p>
${body}
</section>`;
}

function footer(data: ReportData): Markup {
  const r = data.readiness;
  return html`<footer class="report-foot">
<p>Written by ${APP_NAME} ${APP_VERSION} from <span class="file">readiness.json</span> (${r.schema}), evaluated ${formatTime(r.evaluatedAt)}. The same evidence gives the same report.</p>
<p>Bundle ${r.bundle.name} v${r.bundle.version}, manifest SHA-256 ${hash(r.bundle.manifestSha256)}.</p>
</footer>`;
}

// ---------------------------------------------------------------------------------------------
// Styles

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root{--text:#1c2127;--muted:#59626c;--border:#d9dde2;--border-strong:#b9c0c8;--surface:#fff;--bg:#eef1f3;--soft:#f5f7f8;--accent:#1d7a4c;
--pass:#17683f;--pass-bg:#e2f2e8;--warn:#7a4f00;--warn-bg:#fcefcf;--fail:#b3261e;--fail-bg:#fbe7e5;--na:#4f5964;--na-bg:#eceff2;--info:#1f5fb8;--info-bg:#e7effb;color-scheme:light}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Ubuntu,Cantarell,'Helvetica Neue',Arial,sans-serif;font-size:15px;line-height:1.5;color:var(--text);background:var(--bg);-webkit-text-size-adjust:100%}
body{margin:0}
main{max-width:1000px;margin:0 auto;padding:28px 32px 48px;background:var(--surface);min-height:100vh}
h1,h2,h3,h4{line-height:1.25;margin:0}
h1{font-size:1.9rem;font-weight:700}
h2{font-size:1.35rem}
h3{font-size:1.05rem;margin:20px 0 8px}
h4{font-size:1rem}
p{margin:8px 0}
a{color:#1a5fb4}
code,pre,.file,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono','Liberation Mono',monospace;font-size:.86em}
code{background:var(--soft);border-radius:4px;padding:0 3px}
.hash,.purl{word-break:break-all;background:none;padding:0}
.file{background:var(--soft);border:1px solid var(--border);border-radius:4px;padding:0 4px;white-space:nowrap}
.muted{color:var(--muted)}
.small{font-size:.87rem}
.lead{color:var(--muted);margin:4px 0 14px}
.status-line{margin:6px 0 12px}
.stale{color:var(--warn);font-weight:600}
blockquote{margin:6px 0 0;padding:6px 12px;border-left:3px solid var(--border-strong);background:var(--soft);white-space:pre-wrap;overflow-wrap:anywhere}
.eyebrow{text-transform:uppercase;letter-spacing:.06em;font-size:.78rem;font-weight:600;color:var(--accent);margin:0 0 4px}
.version{color:var(--muted);font-weight:500}
.subtitle{color:var(--muted);margin:4px 0 14px}
.report-head{border-bottom:1px solid var(--border);padding-bottom:14px}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px 20px;margin:10px 0}
.facts div{min-width:0}
.facts dt{font-size:.76rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}
.facts dd{margin:0;overflow-wrap:anywhere}
.toc{position:sticky;top:0;z-index:2;background:var(--surface);border-bottom:1px solid var(--border);margin:0 -32px;padding:8px 32px}
[id]{scroll-margin-top:56px}
.toc ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;margin:0;padding:0;font-size:.9rem}
.toc a{text-decoration:none}
.toc a:hover{text-decoration:underline}
.badge{display:inline-flex;align-items:center;gap:4px;border:1px solid currentColor;border-radius:999px;padding:0 8px;font-size:.8rem;font-weight:700;line-height:1.55;white-space:nowrap;vertical-align:baseline}
.badge__icon{font-weight:700}
.badge--pass{color:var(--pass);background:var(--pass-bg)}
.badge--warn{color:var(--warn);background:var(--warn-bg)}
.badge--fail{color:var(--fail);background:var(--fail-bg)}
.badge--na{color:var(--na);background:var(--na-bg)}
.badge--info{color:var(--info);background:var(--info-bg)}
.verdict{display:grid;grid-template-columns:1fr auto;gap:8px 28px;margin:20px 0 8px;padding:18px 22px;border:2px solid;border-radius:10px}
.verdict--ready{border-color:var(--pass);background:linear-gradient(var(--pass-bg),var(--surface) 70%)}
.verdict--not-ready{border-color:var(--fail);background:linear-gradient(var(--fail-bg),var(--surface) 70%)}
.verdict__label{font-size:1.6rem}
.verdict--ready .verdict__label{color:var(--pass)}
.verdict--not-ready .verdict__label{color:var(--fail)}
.verdict__summary{font-size:1.08rem;margin:6px 0 10px}
.verdict__facts{margin:0;padding-left:18px}
.verdict__facts li{margin:3px 0}
.verdict__score{text-align:center;width:230px;border-left:1px solid var(--border);padding-left:24px}
.score-label{margin:0;font-weight:600;color:var(--muted);text-transform:uppercase;font-size:.78rem;letter-spacing:.05em}
.score-number{font-size:3.4rem;font-weight:800;line-height:1.05;margin:2px 0}
.score-band{font-weight:700;margin:0 0 4px}
.score-figure{grid-column:1 / -1;margin:8px 0 0}
.chart{max-width:100%;height:auto;font-family:inherit;overflow:visible}
.chart .bar{fill:#3f8f66}
.chart .bar--min{fill:#a3322a}
.chart .axis{stroke:#6b747d;stroke-width:1}
.chart .band-line{stroke:#8a939c;stroke-width:1;stroke-dasharray:3 3}
.chart-label{font-size:13px;fill:var(--text)}
.chart-value{font-size:12.5px;font-weight:700;fill:var(--text)}
.chart-tick{font-size:11px;fill:var(--muted)}
.chart-note{font-size:11px;fill:var(--muted)}
.todo{margin:14px 0 0;padding:12px 20px;background:var(--soft);border:1px solid var(--border);border-radius:10px}
.todo h2{font-size:1.1rem}
.todo ol{margin:8px 0 0;padding-left:22px;columns:2;column-gap:28px}
.todo li{margin:4px 0;break-inside:avoid}
.check-id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:.85em;color:var(--muted);margin-right:2px}
.report-section{margin-top:36px}
.section-title{border-bottom:2px solid var(--text);padding-bottom:4px;margin-bottom:6px}
.table-wrap{overflow-x:auto;margin:8px 0 12px}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{text-align:left;vertical-align:top;padding:6px 10px;border-bottom:1px solid var(--border);overflow-wrap:anywhere}
thead th{font-size:.78rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);border-bottom:1px solid var(--border-strong);white-space:nowrap}
tbody th{font-weight:600}
table.numeric{width:auto;min-width:min(100%,360px)}
table.numeric td+td,table.numeric th+th{text-align:right;font-variant-numeric:tabular-nums}
.gates td:first-child{width:1%;white-space:nowrap}
.gates th[scope=row]{width:24%}
.gates .override,.gates .remedy-inline{margin-top:6px}
.gate--failed{background:var(--fail-bg)}
.gate--overridden{background:#fdf7e6}
.override blockquote{background:var(--surface)}
.gate--failed .remedy-inline,.gate--overridden .remedy-inline{font-weight:400}
.remedy-inline{margin:0}
.evidence{margin:0;padding-left:16px}
.evidence li{margin:2px 0}
.evidence__label{font-weight:600}
.filter{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0 4px;align-items:center}
.filter input{position:absolute;opacity:0;width:1px;height:1px}
.filter label{border:1px solid var(--border-strong);border-radius:999px;padding:2px 12px;cursor:pointer;font-size:.88rem;user-select:none}
.filter input:checked+label{background:var(--text);color:#fff;border-color:var(--text)}
.filter input:focus-visible+label{outline:2px solid #2f7de1;outline-offset:2px}
.filter__n{opacity:.75;font-variant-numeric:tabular-nums}
body:has(#show-open:checked) .check:is([data-status=pass],[data-status=na]),
body:has(#show-fail:checked) .check:not([data-status=fail]),
body:has(#show-warn:checked) .check:not([data-status=warn]),
body:has(#show-pass:checked) .check:not([data-status=pass]),
body:has(#show-na:checked) .check:not([data-status=na]){display:none}
.rubric-section{margin-top:22px}
.rubric-title{font-size:1.15rem;margin:0 0 8px;display:flex;flex-wrap:wrap;gap:4px 14px;align-items:baseline}
.rubric-score{font-weight:700;color:var(--text)}
.rubric-counts{font-weight:400;color:var(--muted);font-size:.9rem}
.check{border:1px solid var(--border);border-left:5px solid var(--na);border-radius:8px;padding:10px 14px;margin:10px 0;background:var(--surface)}
.check--pass{border-left-color:var(--pass)}
.check--warn{border-left-color:#c98a00}
.check--fail{border-left-color:var(--fail)}
.check__head{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 10px}
.check__head h4{flex:1 1 300px;font-size:1.02rem}
.check__points{color:var(--muted);font-size:.88rem;white-space:nowrap}
.check__body{margin:6px 0 0}
.check__body>div{display:grid;grid-template-columns:150px 1fr;gap:10px;padding:4px 0;border-top:1px dashed var(--border)}
.check__body dt{color:var(--muted);font-size:.86rem;font-weight:600}
.check__body dd{margin:0;min-width:0;overflow-wrap:anywhere}
.check__body .remedy{background:var(--warn-bg);border-top:0;border-radius:6px;padding:6px 8px;margin:4px -8px 0;grid-template-columns:158px 1fr}
.check__body .remedy dt{color:var(--warn)}
.check__body .attestation blockquote{margin-top:4px}
.check__comments ul{margin:0;padding-left:16px}
.two-col{display:grid;grid-template-columns:1fr 1fr;gap:0 28px}
.card-section{border-top:1px solid var(--border);padding:8px 0 4px}
.card-section h4{font-size:.95rem;margin-bottom:2px}
.markdown table{width:auto}
.markdown :is(h4,h5,h6){font-size:.95rem;margin:10px 0 4px}
.markdown ul,.markdown ol{padding-left:22px}
.md-omitted{color:var(--muted);font-style:italic}
.columns-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:14px}
.column-card{margin:0;border:1px solid var(--border);border-radius:8px;padding:10px 12px;min-width:0}
.column-card figcaption{font-weight:700;overflow-wrap:anywhere}
.column-card .facts{grid-template-columns:1fr 1fr;gap:4px 12px;font-size:.86rem;margin:6px 0 8px}
.column-card .facts dt{font-size:.7rem}
.tag{display:inline-block;font-size:.72rem;font-weight:600;color:var(--muted);border:1px solid var(--border-strong);border-radius:4px;padding:0 5px;vertical-align:middle}
.lineage-wrap{overflow-x:auto;border:1px solid var(--border);border-radius:8px;padding:6px;background:var(--soft)}
.lineage .edge{fill:none;stroke:#7b848e;stroke-width:1.4}
.lineage .arrow{fill:#7b848e}
.lineage .node rect{fill:#fff;stroke:#8a939c;stroke-width:1.2}
.lineage .node--dataset rect{fill:#eaf1fb;stroke:#4a78b5}
.lineage .node--notebook rect{fill:#fdf1e4;stroke:#b8772e}
.lineage .node--environment rect{fill:#f1ecf9;stroke:#7a5bab}
.lineage .node--model rect{fill:#e5f3eb;stroke:#2d7d52}
.lineage .node--bundle rect{fill:#eef0f2;stroke:#68717b}
.lineage .node--focus rect{stroke-width:3}
.node__kind{font-size:9.5px;letter-spacing:.06em;font-weight:700;fill:var(--muted)}
.node__name{font-size:13px;font-weight:700;fill:var(--text)}
.node__detail{font-size:11px;fill:var(--muted)}
.lineage-list{columns:2;column-gap:28px;font-size:.88rem;padding-left:18px}
.packages td:nth-child(-n+2),.smoke-checks td:first-child,.malformed td:nth-child(n+3){white-space:nowrap}
.column-list{line-height:1.9}
pre.log{background:var(--soft);border:1px solid var(--border);border-radius:6px;padding:8px 10px;white-space:pre-wrap;overflow-wrap:anywhere;max-height:none;font-size:.82rem}
.review{border:1px solid var(--border);border-radius:8px;padding:10px 14px;margin:10px 0}
.review__head{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}
.review__comments{margin:8px 0 0;padding-left:18px}
.review__comments li{margin:3px 0}
.report-foot{margin-top:40px;padding-top:10px;border-top:1px solid var(--border);color:var(--muted);font-size:.85rem}
@media (max-width:720px){main{padding:16px}.toc{position:static;margin:0 -16px;padding:8px 16px}[id]{scroll-margin-top:0}.verdict{grid-template-columns:1fr}.verdict__score{border-left:0;padding-left:0;text-align:left}.two-col{grid-template-columns:1fr}.check__body>div{grid-template-columns:1fr}.todo ol,.lineage-list{columns:1}}
@media print{
html{background:#fff;font-size:10pt}
.facts{grid-template-columns:repeat(3,minmax(0,1fr))}
.column-card .facts{grid-template-columns:1fr 1fr}
.verdict{padding:12px 16px;margin-top:12px}
.score-number{font-size:2.8rem}
.score-chart{width:440px}
.rubric-section+.rubric-section{break-before:page}
.two-col{grid-template-columns:1fr}
main{max-width:none;padding:0;min-height:0}
.toc,.filter{display:none!important}
.check{display:block!important}
a{color:inherit;text-decoration:none}
.markdown a[href]::after{content:" (" attr(href) ")";font-size:.85em;color:var(--muted)}
.report-section>.section-title{break-before:page}
.section-title,h3,h4,.check__head{break-after:avoid}
.check,.column-card,.review,.verdict,.todo li,figure,tr,.card-section,pre.log{break-inside:avoid}
thead{display:table-header-group}
.table-wrap,.lineage-wrap{overflow:visible}
.lineage-wrap{padding:0;border:0;background:none}
.lineage{width:100%;height:auto}
.verdict,.check,.badge,.chart,.gate--failed,.gate--overridden,.remedy{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.verdict{background:none}
.file{white-space:normal}
}
`;

function pageStyle(data: ReportData): string {
  const r = data.readiness;
  const title = cssString(`${r.model.name} v${r.model.version} - readiness report - evaluated ${formatTime(r.evaluatedAt)}`);
  return `@page{size:A4;margin:16mm 14mm 18mm;@bottom-left{content:${title};font-size:8pt;color:#59626c}@bottom-right{content:"Page " counter(page) " of " counter(pages);font-size:8pt;color:#59626c}}`;
}

/** The whole report as one self-contained HTML document. Pure: the same data gives the same bytes. */
export function renderReportHtml(data: ReportData): string {
  const r = data.readiness;
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${new Markup(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${APP_NAME} ${APP_VERSION}">
<meta name="referrer" content="no-referrer">
<title>Readiness report: ${r.model.name} v${r.model.version} (${r.verdict.ready ? 'ready' : 'not ready'}, score ${formatPoints(r.score.final)})</title>
<style>${new Markup(STYLE)}${new Markup(pageStyle(data))}</style>
</head>
<body>
<main>
${header(data)}
${toc()}
${summary(data)}
${gatesSection(data)}
${checksSection(data)}
${modelSection(data)}
${profileSection(data)}
${lineageSection(data)}
${environmentSection(data)}
${smokeSection(data)}
${scanSection(data)}
${driftSection(data)}
${reviewsSection(data)}
${footer(data)}
</main>
<script type="application/json" id="${new Markup(DATA_ID)}">${new Markup(embedData(data))}</script>
</body>
</html>
`;
  return doc.value;
}

// The report's data travels inside it, as an inert JSON data block (never executed; the CSP allows
// no script), so that a reviewer's workspace can render it again with their review in it.
const DATA_ID = 'greenhouse-report-data';
const embedData = (data: ReportData) => stableJson(data).trimEnd().replace(/</g, '\\u003c');
const DATA_BLOCK = new RegExp(`<script type="application/json" id="${DATA_ID}">([^<]*)</script>`);

/** The data a report was rendered from (null when the HTML holds none, from an older Greenhouse, or it is damaged). */
export function reportDataOfHtml(page: string): ReportData | null {
  const m = DATA_BLOCK.exec(page);
  if (!m) return null;
  try {
    const data = JSON.parse(m[1]!) as ReportData;
    return readinessReport.safeParse(data.readiness).success ? data : null;
  } catch {
    return null;
  }
}

/** The Content-Security-Policy the report carries (exported for tests). */
export const REPORT_CSP = CSP;
