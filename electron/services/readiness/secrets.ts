// Secrets and personal data in text: the rules as data (in the manner of gitleaks and
// detect-secrets: provider token shapes, private key blocks, credentials assigned in code), each
// finding with its file, line and a masked excerpt, never the secret itself.

import { open } from 'node:fs/promises';
import { join } from 'node:path';

export interface SecretRule {
  id: string;
  title: string;
  /** 'secret' blocks the hand-off gate; 'pii' is evidence for the privacy check. */
  kind: 'secret' | 'pii';
  pattern: RegExp;
}

export const SECRET_RULES: readonly SecretRule[] = [
  { id: 'private-key', title: 'a private key', kind: 'secret', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/ },
  { id: 'aws-access-key', title: 'an AWS access key id', kind: 'secret', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { id: 'aws-secret-key', title: 'an AWS secret access key', kind: 'secret', pattern: /aws_?secret_?access_?key\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}\b/i },
  { id: 'github-token', title: 'a GitHub token', kind: 'secret', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/ },
  { id: 'gitlab-token', title: 'a GitLab token', kind: 'secret', pattern: /\bglpat-[A-Za-z0-9_-]{20}\b/ },
  { id: 'slack-token', title: 'a Slack token', kind: 'secret', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { id: 'google-api-key', title: 'a Google API key', kind: 'secret', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { id: 'stripe-key', title: 'a Stripe secret key', kind: 'secret', pattern: /\b(?:sk|rk)_live_[0-9A-Za-z]{24,}\b/ },
  { id: 'openai-key', title: 'an OpenAI API key', kind: 'secret', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b/ },
  { id: 'jwt', title: 'a JSON Web Token', kind: 'secret', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/ },
  { id: 'url-credentials', title: 'a password in a URL', kind: 'secret', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+:[^\s@/"']{3,}@[^\s"']+/i },
  {
    id: 'assigned-password',
    title: 'a password or API key assigned in code',
    kind: 'secret',
    pattern: /\b[A-Za-z0-9_]*(?:password|passwd|pwd|secret|api_?key|access_?token|auth_?token)\b["']?\s*[:=]\s*["'][^"'\s]{8,}["']/i,
  },
  { id: 'email', title: 'an e-mail address', kind: 'pii', pattern: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/ },
  { id: 'us-ssn', title: 'a US social security number', kind: 'pii', pattern: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/ },
  { id: 'iban', title: 'an IBAN', kind: 'pii', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}\b/ },
];

/** Placeholders that look like credentials but are not. */
const PLACEHOLDER = /(?:example|changeme|your[_-]?|xxxx|\*\*\*\*|<[^>]+>|\$\{|\{\{|dummy|placeholder|redacted)/i;

export interface SecretFinding {
  file: string;
  line: number;
  rule: string;
  title: string;
  kind: SecretRule['kind'];
  /** The line with the match masked: the first 4 characters of the match, then "…". */
  excerpt: string;
}

const mask = (line: string, match: string) => {
  const at = line.indexOf(match);
  const shown = `${line.slice(Math.max(0, at - 30), at)}${match.slice(0, 4)}…`;
  return shown.trim().slice(0, 120);
};

/** Every rule's matches in a text, line by line. */
export function scanText(text: string, file: string, kinds: SecretRule['kind'][] = ['secret', 'pii']): SecretFinding[] {
  const out: SecretFinding[] = [];
  const rules = SECRET_RULES.filter((r) => kinds.includes(r.kind));
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.length > 20_000) line = line.slice(0, 20_000);
    for (const rule of rules) {
      const m = rule.pattern.exec(line);
      if (!m) continue;
      if (rule.id === 'assigned-password' || rule.id === 'url-credentials') {
        if (PLACEHOLDER.test(m[0])) continue;
      }
      out.push({ file, line: i + 1, rule: rule.id, title: rule.title, kind: rule.kind, excerpt: mask(line, m[0]) });
    }
  });
  return out;
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
