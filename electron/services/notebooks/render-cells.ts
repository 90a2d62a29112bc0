// Cells as the UI shows them: sources as stored (the renderer treats markdown as untrusted and
// sanitises it), outputs reduced to plain text, PNG/JPEG/GIF images (checked to be what they say)
// and notes for what is not shown. HTML, JavaScript, SVG and widget outputs are never passed on.

import { stripVTControlCharacters } from 'node:util';
import type { CellOutput, NotebookCell } from '../../../shared/contract/index.js';
import type { ParsedNotebook, RawOutput } from './nbformat.js';

export interface RenderOptions {
  /** Per text output (default 100 kB); longer text is cut and marked truncated. */
  maxTextBytes?: number;
  /** Per image, decoded (default 2 MB); larger images are omitted. */
  maxImageBytes?: number;
}

export const DEFAULT_MAX_TEXT_BYTES = 100 * 1024;
export const DEFAULT_MAX_IMAGE_BYTES = 2 * 1024 * 1024;

const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/gif'] as const;
type ImageMime = (typeof IMAGE_MIMES)[number];

const asText = (v: unknown): string | null => {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join('');
  return null;
};

/** Cut a string to at most `maxBytes` UTF-8 bytes, on a character boundary. */
export function cutToBytes(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // Each UTF-16 unit is at most 3 UTF-8 bytes: short strings need no measuring.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  let cut = text.slice(0, maxBytes);
  while (Buffer.byteLength(cut, 'utf8') > maxBytes) {
    // Drop the excess: each dropped unit removes at least one byte.
    const excess = Buffer.byteLength(cut, 'utf8') - maxBytes;
    cut = cut.slice(0, cut.length - Math.max(1, Math.ceil(excess / 3)));
  }
  // Do not end on half a surrogate pair.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return { text: cut, truncated: true };
}

/**
 * Terminal text as it looked: ANSI escapes removed, and a carriage return (progress bars)
 * overwrites the line it is on. The input is cut first so a huge output costs little.
 */
export function cleanText(raw: string, maxBytes: number): { text: string; truncated: boolean } {
  // Look at a bounded prefix only: cleaning shortens text, so 4× the budget is plenty.
  const window = raw.length > maxBytes * 4 ? raw.slice(0, maxBytes * 4) : raw;
  const windowCut = window.length < raw.length;
  let text = stripVTControlCharacters(window);
  if (text.includes('\r')) {
    text = text
      .replace(/\r\n/g, '\n')
      .split('\n')
      .map((line) => {
        const i = line.lastIndexOf('\r', line.length - 2);
        return (i === -1 ? line : line.slice(i + 1)).replace(/\r$/, '');
      })
      .join('\n');
  }
  const cut = cutToBytes(text, maxBytes);
  return { text: cut.text, truncated: cut.truncated || windowCut };
}

const SIGNATURES: Record<ImageMime, (b: Buffer) => boolean> = {
  'image/png': (b) => b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b.length >= 6 && (b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a'),
};

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A base64 image checked to be base64 and to start like the image type it claims; else why not. */
export function checkImage(mime: ImageMime, raw: unknown, maxBytes: number): { data: string } | { reason: string } {
  const s = asText(raw);
  const label = mime.slice(6).toUpperCase();
  if (s === null) return { reason: `The ${label} image is not stored as text and is not shown.` };
  const data = s.replace(/[\s]/g, '');
  const decodedBytes = Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
  if (decodedBytes > maxBytes) return { reason: `The ${label} image is ${(decodedBytes / 1024 / 1024).toFixed(1)} MB, too large to show.` };
  if (data.length === 0 || data.length % 4 !== 0 || !BASE64.test(data)) return { reason: `The ${label} image is not valid base64 and is not shown.` };
  const head = Buffer.from(data.slice(0, 16), 'base64');
  if (!SIGNATURES[mime](head)) return { reason: `The ${label} image's data is not a ${label} file and is not shown.` };
  return { data };
}

/** Why a MIME bundle with none of the shown types is left out. */
function omittedReason(mimes: string[]): string {
  const has = (re: RegExp) => mimes.some((m) => re.test(m));
  if (has(/^application\/vnd\.jupyter\.widget/)) return 'Interactive widget output is not shown';
  if (has(/^text\/html$/)) return 'HTML output is not shown';
  if (has(/javascript|ecmascript/)) return 'JavaScript output is not shown';
  if (has(/^image\/svg/)) return 'SVG images are not shown';
  if (has(/^application\/vnd\.plotly|^application\/vnd\.vega|^application\/vnd\.bokeh/)) return 'Interactive chart output is not shown';
  if (mimes.length === 0) return 'Empty output';
  return `Output of type ${mimes.slice(0, 3).join(', ')} is not shown`;
}

function renderBundle(o: RawOutput, opts: Required<RenderOptions>): CellOutput[] {
  const data = o.data && typeof o.data === 'object' && !Array.isArray(o.data) ? (o.data as Record<string, unknown>) : {};
  const mimes = Object.keys(data);
  // An image is the richest thing we show; matplotlib figures also carry "<Figure …>" as text/plain.
  for (const mime of IMAGE_MIMES) {
    if (!(mime in data)) continue;
    const img = checkImage(mime, data[mime], opts.maxImageBytes);
    if ('data' in img) return [{ type: 'image', mime, data: img.data }];
    const plain = asText(data['text/plain']);
    return plain !== null ? [{ type: 'omitted', reason: img.reason }, { type: 'text', ...cleanText(plain, opts.maxTextBytes) }] : [{ type: 'omitted', reason: img.reason }];
  }
  const plain = asText(data['text/plain']);
  // IPython's Markdown()/Latex() objects carry a useless "<IPython.core.display.Markdown object>" as text/plain.
  const placeholder = plain !== null && /^<[\w.]+ object(?: at 0x[0-9a-f]+)?>$/.test(plain.trim());
  for (const mime of ['text/markdown', 'text/latex']) {
    const t = asText(data[mime]);
    if (t !== null && (plain === null || placeholder)) return [{ type: 'text', ...cleanText(t, opts.maxTextBytes) }];
  }
  if (plain !== null) return [{ type: 'text', ...cleanText(plain, opts.maxTextBytes) }];
  const json = data['application/json'];
  if (json !== undefined) {
    let s: string;
    try {
      s = JSON.stringify(json, null, 2) ?? '';
    } catch {
      s = '';
    }
    return [{ type: 'text', ...cleanText(s, opts.maxTextBytes) }];
  }
  return [{ type: 'omitted', reason: omittedReason(mimes) }];
}

function renderOutputs(outputs: RawOutput[], opts: Required<RenderOptions>): CellOutput[] {
  const out: CellOutput[] = [];
  for (let i = 0; i < outputs.length; i++) {
    const o = outputs[i]!;
    switch (o.output_type) {
      case 'stream': {
        // Jupyter shows consecutive writes to one stream as one block.
        const name = o.name === 'stderr' ? 'stderr' : o.name === 'stdout' ? 'stdout' : String(o.name).slice(0, 20);
        const parts = [asText(o.text) ?? ''];
        let size = parts[0]!.length;
        while (outputs[i + 1]?.output_type === 'stream' && outputs[i + 1]!.name === o.name) {
          const t = asText(outputs[++i]!.text) ?? '';
          // Past the budget the rest is only cut away: do not build a huge string for it.
          if (size <= opts.maxTextBytes * 4) parts.push(t);
          size += t.length;
        }
        const cleaned = cleanText(parts.join(''), opts.maxTextBytes);
        out.push({ type: 'stream', name, text: cleaned.text, truncated: cleaned.truncated || size > opts.maxTextBytes * 4 });
        break;
      }
      case 'display_data':
      case 'execute_result':
        out.push(...renderBundle(o, opts));
        break;
      case 'error': {
        const tb = Array.isArray(o.traceback) ? o.traceback.filter((x): x is string => typeof x === 'string').join('\n') : '';
        const cut = cleanText(tb, opts.maxTextBytes);
        out.push({
          type: 'error',
          ename: cleanText(String(o.ename ?? ''), 1024).text,
          evalue: cleanText(String(o.evalue ?? ''), 8 * 1024).text,
          traceback: cut.truncated ? `${cut.text}\n… (traceback cut at ${Math.round(opts.maxTextBytes / 1024)} kB)` : cut.text,
        });
        break;
      }
      default:
        out.push({ type: 'omitted', reason: `Output of type ${String((o as { output_type?: unknown }).output_type).slice(0, 40)} is not shown` });
    }
  }
  return out;
}

/** Every cell, in order, with its source unchanged and its outputs made safe to show. */
export function renderCells(nb: ParsedNotebook, opts: RenderOptions = {}): NotebookCell[] {
  const o: Required<RenderOptions> = {
    maxTextBytes: opts.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES,
    maxImageBytes: opts.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
  };
  return nb.cells.map((c) => ({
    index: c.index,
    type: c.type,
    source: c.source,
    executionCount: c.type === 'code' ? c.executionCount : null,
    outputs: c.type === 'code' ? renderOutputs(c.outputs, o) : [],
  }));
}
