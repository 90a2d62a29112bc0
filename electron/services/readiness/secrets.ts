// Secrets and personal data in a bundle's files and a notebook's sources, each finding with its
// file, line and a masked excerpt, never the secret itself. Credentials are found by the
// notebook scanner (notebooks/secrets.ts: token formats, secret names assigned a literal, linear
// time); personal data by the patterns below.

import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { scanSecrets } from '../notebooks/secrets.js';

/** Personal data patterns: evidence for the privacy check, not a gate. */
const PII_RULES: readonly { id: string; title: string; pattern: RegExp }[] = [
  { id: 'email', title: 'an e-mail address', pattern: /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b/g },
  { id: 'us-ssn', title: 'a US social security number', pattern: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g },
  { id: 'iban', title: 'an IBAN', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}\b/g },
];

export interface SecretFinding {
  file: string;
  line: number;
  /** A stable id: the rule, or the credential's kind in kebab case. */
  rule: string;
  title: string;
  /** 'secret' blocks the hand-off gate; 'pii' is evidence for the privacy check. */
  kind: 'secret' | 'pii';
  /** Never the whole value. */
  excerpt: string;
}

const slug = (s: string) => s.replace(/^an? /, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();

/** Line numbers (1-based) of character offsets in a text. */
function lineOf(text: string): (index: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Credentials (and, when asked, personal data) in a text, in order. */
export function scanText(text: string, file: string, kinds: SecretFinding['kind'][] = ['secret', 'pii']): SecretFinding[] {
  const line = lineOf(text);
  const out: SecretFinding[] = [];
  if (kinds.includes('secret')) {
    for (const h of scanSecrets(text)) out.push({ file, line: line(h.index), rule: slug(h.kind), title: h.kind, kind: 'secret', excerpt: h.masked.slice(0, 120) });
  }
  if (kinds.includes('pii')) {
    for (const r of PII_RULES) {
      r.pattern.lastIndex = 0;
      for (let m = r.pattern.exec(text); m; m = r.pattern.exec(text)) {
        out.push({ file, line: line(m.index), rule: r.id, title: r.title, kind: 'pii', excerpt: `${m[0].slice(0, 3)}… (${m[0].length} characters)` });
      }
    }
  }
  return out.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

/** Files bigger than this are scanned in their first bytes only. */
const SCAN_BYTES = 8 * 1024 * 1024;

/**
 * Scan a bundle's files for secrets: text files whole (up to 8 MiB), binary files (the model) as
 * Latin-1 so that strings pickled into them are seen too. The public key file is skipped.
 */
export async function scanBundleFiles(bundleDir: string, paths: string[], skip: string[] = []): Promise<SecretFinding[]> {
  const out: SecretFinding[] = [];
  for (const path of paths) {
    if (skip.includes(path)) continue;
    let handle;
    try {
      handle = await open(join(bundleDir, path), 'r');
    } catch {
      continue;
    }
    try {
      const { size } = await handle.stat();
      const buf = Buffer.alloc(Math.min(size, SCAN_BYTES));
      await handle.read(buf, 0, buf.length, 0);
      const binary = buf.includes(0);
      out.push(...scanText(buf.toString(binary ? 'latin1' : 'utf8'), path, ['secret']));
    } finally {
      await handle.close();
    }
  }
  return out;
}
