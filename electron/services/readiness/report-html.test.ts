// @vitest-environment jsdom
// (for DOMParser: the report is parsed as a browser would, without running anything)
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LineageGraph } from '../../../shared/contract/index.js';
import { HOSTILE, reportFixture } from './report-fixture.js';
import { escapeHtml, formatInt, formatNumber, formatTime, layoutLineage, NODE_H, NODE_W, renderMarkdown, renderReportHtml, REPORT_CSP, reportDataOfHtml } from './report-html.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('renderReportHtml', () => {
  it('is deterministic: the same data gives the same bytes, whatever the clock says', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const first = renderReportHtml(reportFixture());
    vi.setSystemTime(new Date('1999-06-15T12:34:56Z'));
    const second = renderReportHtml(reportFixture());
    expect(second).toBe(first);
    expect(first).not.toContain('2030');
    expect(first).not.toContain('1999');
  });

  it('carries a strict CSP and references nothing outside the document', () => {
    const out = renderReportHtml(reportFixture());
    expect(REPORT_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'");
    expect(out).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    // Parsed as a browser would (jsdom runs no script): no element that loads anything or runs code.
    const doc = new DOMParser().parseFromString(out, 'text/html');
    expect(doc.querySelectorAll('script, link, img, iframe, object, embed, base, form, video, audio, source, picture').length).toBe(1);
    // The one script element is the inert data block (a type no browser runs; the CSP runs no script either).
    expect([...doc.querySelectorAll('script')].map((s) => s.getAttribute('type'))).toEqual(['application/json']);
    const attributes = [...doc.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => [el.tagName.toLowerCase(), a.name, a.value]));
    expect(attributes.filter(([, name]) => /^on/i.test(name!))).toEqual([]);
    expect(attributes.filter(([, name]) => ['src', 'srcset', 'action', 'formaction', 'background', 'poster', 'xlink:href'].includes(name!))).toEqual([]);
    expect(out.match(/@import|@font-face/gi)).toBeNull();
    // url(...) only for the lineage arrow marker inside the same document.
    expect(new Set(out.match(/url\([^)]*\)/g))).toEqual(new Set(['url(#lineage-arrow)']));
    // Links: in-page anchors that exist, and the card's one web link (a click, never a load).
    const hrefs = attributes.filter(([, name]) => name === 'href').map(([, , value]) => value!);
    expect(hrefs.filter((h) => !h.startsWith('#'))).toEqual(['https://wiki.example.org/churn/v3']);
    for (const h of hrefs.filter((h) => h.startsWith('#'))) expect(doc.getElementById(h.slice(1)), h).not.toBeNull();
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toBe(REPORT_CSP);
  });

  it('carries its data as an inert block, so another workspace can render it again with a review added', () => {
    const data = reportFixture();
    const out = renderReportHtml(data);
    const carried = reportDataOfHtml(out);
    expect(carried).toEqual(JSON.parse(JSON.stringify(data)));
    // Rendered again from what it carries: the same bytes.
    expect(renderReportHtml(carried!)).toBe(out);
    // Hostile strings cannot close the block: every "<" in it is escaped.
    const block = /<script type="application\/json" id="greenhouse-report-data">([^<]*)<\/script>/.exec(out)![1]!;
    expect(block).toContain('\\u003cscript>alert(1)');
    expect(out.match(/<script/g)).toHaveLength(1);
    // Without the block (older reports) or with a damaged one: nothing, not a failure.
    expect(reportDataOfHtml(out.replace(/<script type="application\/json"[^]*?<\/script>/, ''))).toBeNull();
    expect(reportDataOfHtml(out.replace('"readiness":', '"readiness":1,"x":'))).toBeNull();
  });

  it('escapes every string from the catalog', () => {
    const out = renderReportHtml(reportFixture());
    for (const hostile of Object.values(HOSTILE)) {
      expect(out).toContain(escapeHtml(hostile));
    }
    expect(out).not.toContain('<script>alert');
    expect(out).not.toContain('<img src=x');
    expect(out).not.toContain('<svg onload');
    expect(out).not.toContain('<b>threadpoolctl');
    expect(out).not.toContain('<follow-up>');
    // The card's raw HTML stays text, the javascript: and file: links are not links, the image is not loaded.
    expect(out).toContain('&lt;script&gt;alert(&quot;card&quot;)&lt;/script&gt;');
    expect(out).not.toMatch(/href="(javascript|file):/i);
    expect(out).toContain('[image: tracking pixel not shown]');
    expect(out).not.toContain('tracker.example/pixel.png"');
  });

  it('keeps hostile names out of the page style (the @page footer)', () => {
    const data = reportFixture();
    data.readiness.model.name = 'x"}</style><script>alert(6)</script>';
    const out = renderReportHtml(data);
    const style = out.slice(out.indexOf('<style>'), out.indexOf('</style>') + '</style>'.length);
    expect(style.match(/<\/style>/g)).toHaveLength(1);
    expect(style).not.toContain('<script>');
    expect(out).not.toContain('<script>alert(6)');
  });

  it('puts the verdict and score first, then the gates, the four sections, and the facts behind them', () => {
    const out = renderReportHtml(reportFixture());
    const order = [
      'Not ready for production',
      'Final score',
      '(2, 3] reasonably tested',
      'What is missing',
      'Hand-off gates',
      'id="section-data"',
      'id="section-model"',
      'id="section-infrastructure"',
      'id="section-monitoring"',
      'id="model"',
      'id="data-profile"',
      'id="lineage"',
      'id="environment"',
      'id="smoke-test"',
      'id="scan"',
      'id="drift"',
      'id="reviews"',
    ].map((s) => out.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('shows every check with its status, points, basis, evidence and remedy, and every gate', () => {
    const data = reportFixture();
    const out = renderReportHtml(data);
    for (const c of data.readiness.checks) {
      expect(out).toContain(`id="check-${c.id}" data-status="${c.status}"`);
      expect(out).toContain(escapeHtml(c.title));
      if (c.status !== 'pass' && c.remedy) expect(out).toContain(escapeHtml(c.remedy));
    }
    for (const g of data.readiness.gates) expect(out).toContain(`id="gate-${g.id}"`);
    expect(out).toContain('0.5 points · attested by Maria Keller');
    expect(out).toContain('1 point · earned automatically');
    expect(out).toContain('0 points · not earned');
    expect(out).toContain('<span class="file" title="A file in the bundle">model/metadata.json</span>');
    expect(out).toContain('<strong>Overridden by Oskar Lind</strong>, 2025-11-28 17:05 UTC');
    expect(out).toContain('Reviewed an earlier state of this bundle');
    // Per-check review comments appear beside the check too.
    expect(out).toMatch(/id="check-monitoring\.3"[\s\S]*?Review comments[\s\S]*?PSI 0\.27 on monthly_charges/);
  });

  it('draws the four section scores and marks the lowest as the final score', () => {
    const out = renderReportHtml(reportFixture());
    expect(out).toContain('aria-label="Section scores: Data 4.5, Model 3, Infrastructure 6, Monitoring 6"');
    expect(out.match(/class="bar bar--min"/g)).toHaveLength(1);
    expect(out).toContain('3 ← final');
  });

  it('draws a chart for every training column: histograms for numbers and dates, bars for categories', () => {
    const data = reportFixture();
    const out = renderReportHtml(data);
    expect(out.match(/aria-label="Histogram of /g)).toHaveLength(3);
    expect(out.match(/aria-label="Most frequent values of /g)).toHaveLength(5);
    expect(out).toContain('churned</span> <span class="tag">not a model input</span>');
  });

  it('renders what is missing without failing: no smoke test, no drift check, no metrics, no reviews, an empty card, N/A checks, a ready verdict', () => {
    const data = reportFixture();
    data.smoke = null;
    data.drift = null;
    data.metrics = null;
    data.readiness.reviews = [];
    data.card.factors = '';
    data.readiness.checks[0]!.status = 'na';
    data.readiness.verdict = { ready: true, summary: 'Ready: every gate passes.' };
    data.lineage = { nodes: [], edges: [] };
    data.training.columns[0]!.histogram = null;
    let out = renderReportHtml(data);
    expect(out).toContain('Ready for production');
    expect(out).toContain('No smoke test of this bundle');
    expect(out).toContain('No drift check has run yet');
    expect(out).toMatch(/<code>greenhouse drift [^ ]+@\d+ --data FILE<\/code>/);
    expect(out).toContain('No metrics recorded.');
    expect(out).toContain('No review recorded yet.');
    expect(out).toContain('Not written.');
    expect(out).toContain('No lineage recorded.');
    expect(out).toContain('id="show-na"');
    expect(out).toContain('No distribution recorded.');

    // The placeholders the readiness service uses when the model has no training data, environment or reference profile.
    data.training = { name: '', version: 0, rows: 0, columns: [] };
    data.environment = { name: '', version: 0, python: null, packages: [] };
    data.sbom = { components: [] };
    data.reference = { dataset: { name: '', version: 0, sha256: '', rows: 0 }, columns: [] };
    out = renderReportHtml(data);
    expect(out).toContain('No training dataset profile is linked to this model version.');
    expect(out).toContain('No captured environment is linked to this model version.');
    expect(out).toContain('The bundle holds no reference profile');
  });
});

describe('renderMarkdown (the model card)', () => {
  it('shows raw HTML as text, keeps only web links and leaves images out', () => {
    expect(renderMarkdown('<script>alert(1)</script> <b onclick="x()">b</b>').value).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b onclick=&quot;x()&quot;&gt;b&lt;/b&gt;</p>\n');
    expect(renderMarkdown('[a](javascript:alert(1)) [b](file:///etc/passwd) [c](data:text/html,x) [d](/relative)').value).not.toContain('href');
    expect(renderMarkdown('[docs](https://example.org/a?b=1&c=2)').value).toBe('<p><a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">docs</a></p>\n');
    expect(renderMarkdown('![a <b> "chart"](https://example.org/x.png)').value).toBe('<p><span class="md-omitted">[image: a &lt;b&gt; &quot;chart&quot; not shown]</span></p>\n');
  });

  it('moves headings under the report\'s own', () => {
    expect(renderMarkdown('# Top\n\n### Deep').value).toBe('<h4>Top</h4>\n<h6>Deep</h6>\n');
  });
});

describe('lineage layout', () => {
  it('lays the graph out in layers, left to right, with evaluation data next to the model', () => {
    const layout = layoutLineage(reportFixture().lineage);
    const layer = Object.fromEntries(layout.nodes.map((n) => [n.id, n.x]));
    const col = (id: string) => layer[id];
    expect(col('dataset:churn-train@2')).toBe(col('environment:churn-env@2'));
    expect(col('dataset:churn-train@2')).toBeLessThan(col('notebook:train@3')!);
    expect(col('dataset:churn-holdout@1')).toBe(col('notebook:train@3'));
    expect(col('notebook:train@3')).toBeLessThan(col('model:churn-classifier@3')!);
    expect(col('model:churn-classifier@3')).toBeLessThan(col('bundle:churn-classifier@3')!);
    // No two nodes overlap.
    for (const a of layout.nodes) {
      for (const b of layout.nodes) {
        if (a === b) continue;
        const apart = a.x + NODE_W <= b.x || b.x + NODE_W <= a.x || a.y + NODE_H <= b.y || b.y + NODE_H <= a.y;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    }
  });

  it('routes an edge that skips a layer through a free slot there, never under a node', () => {
    const layout = layoutLineage(reportFixture().lineage);
    const long = layout.edges.find((e) => e.source === 'dataset:churn-train@2' && e.target === 'model:churn-classifier@3')!;
    expect(long.points).toHaveLength(4);
    const [, enter, leave] = long.points;
    expect(leave!.x - enter!.x).toBe(NODE_W);
    expect(enter!.y).toBe(leave!.y);
    for (const n of layout.nodes.filter((n) => n.x === enter!.x)) {
      expect(enter!.y < n.y || enter!.y > n.y + NODE_H, `passes under ${n.id}`).toBe(true);
    }
  });

  it('survives cycles, unknown nodes, duplicates and an empty graph', () => {
    const graph: LineageGraph = {
      nodes: [
        { id: 'a', kind: 'dataset', name: 'a', version: 1, detail: '' },
        { id: 'b', kind: 'notebook', name: 'b', version: 1, detail: '' },
      ],
      edges: [
        { source: 'a', target: 'b', relation: 'read-by' },
        { source: 'a', target: 'b', relation: 'read-by' },
        { source: 'b', target: 'a', relation: 'wrote' },
        { source: 'a', target: 'missing', relation: 'read-by' },
        { source: 'a', target: 'a', relation: 'read-by' },
      ],
    };
    const layout = layoutLineage(graph);
    expect(layout.nodes).toHaveLength(2);
    expect(layout.edges).toHaveLength(2);
    expect(layoutLineage({ nodes: [], edges: [] })).toEqual({ nodes: [], edges: [], width: 24, height: 24 });
  });
});

describe('formatting without locales', () => {
  it('formats numbers and times the same on every machine', () => {
    expect(formatInt(7043)).toBe('7,043');
    expect(formatInt(-1234567)).toBe('-1,234,567');
    expect(formatNumber(0.5)).toBe('0.5');
    expect(formatNumber(3)).toBe('3');
    expect(formatNumber(64.7649)).toBe('64.765');
    expect(formatNumber(-0.25)).toBe('-0.25');
    expect(formatNumber(12345.5, 1)).toBe('12,345.5');
    expect(formatNumber(2.220446049250313e-16, 6)).toBe('2.2e-16');
    expect(formatNumber(1e-6)).toBe('1e-6');
    expect(formatTime('2025-11-29T09:12:00.000Z')).toBe('2025-11-29 09:12 UTC');
    expect(formatTime('2025-11-29T10:12:00+01:00')).toBe('2025-11-29 09:12 UTC');
    expect(formatTime('not a time')).toBe('not a time');
  });
});
