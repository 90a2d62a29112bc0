// Credentials written into a notebook: well-known token formats anywhere in the text, and
// secret-looking names assigned a literal (password = '…', "api_key": "…"). Every pattern is
// bounded and anchored on a literal prefix, so scanning a 100 MB output stays linear; a quick
// `includes` check skips patterns whose prefix does not occur at all.

export interface SecretHit {
  /** What it looks like, e.g. "an AWS access key". */
  kind: string;
  /** Never the secret itself: e.g. "sk-…9f2a". */
  masked: string;
  /** Offset in the scanned text. */
  index: number;
  /** The matched value, for de-duplication only; never shown. */
  value: string;
}

interface TokenPattern {
  kind: string;
  /** Literal strings one of which must occur for the pattern to match. */
  prefixes: string[];
  re: RegExp;
  /** How many leading characters of the match may be shown. */
  show: number;
  /** Extra check on the match. */
  accept?: (m: string) => boolean;
}

const hasDigitAndLetter = (s: string) => /\d/.test(s) && /[A-Za-z]/.test(s);

const TOKENS: TokenPattern[] = [
  { kind: 'an AWS access key', prefixes: ['AKIA', 'ASIA'], re: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, show: 4 },
  { kind: 'a GitHub token', prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], re: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g, show: 4 },
  { kind: 'a GitHub token', prefixes: ['github_pat_'], re: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g, show: 11 },
  {
    kind: 'an API key',
    prefixes: ['sk-'],
    re: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,200}/g,
    show: 3,
    accept: (m) => hasDigitAndLetter(m.slice(3)),
  },
  { kind: 'a Stripe secret key', prefixes: ['sk_live_', 'rk_live_'], re: /\b[rs]k_live_[A-Za-z0-9]{20,200}\b/g, show: 8 },
  { kind: 'a Slack token', prefixes: ['xox'], re: /\bxox[abposr]-[A-Za-z0-9-]{10,200}/g, show: 5 },
  { kind: 'a Google API key', prefixes: ['AIza'], re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, show: 4 },
  { kind: 'a Hugging Face token', prefixes: ['hf_'], re: /\bhf_[A-Za-z0-9]{30,60}\b/g, show: 3, accept: (m) => hasDigitAndLetter(m.slice(3)) },
  { kind: 'a private key', prefixes: ['-----BEGIN'], re: /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g, show: -1 },
  {
    kind: 'a JSON Web Token',
    prefixes: ['eyJ'],
    re: /\beyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,4096}/g,
    show: 3,
  },
];

/** Names that hold credentials: password, db_passwd, API_KEY, client_secret, auth_token, … */
const SECRET_NAME = /(?:password|passwd|passphrase|pwd|secret|token|apikey|accesskey|secretkey|privatekey|authkey|credential|credentials)$/;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.toLowerCase().replace(/[-_]/g, ''));
}

/** '', 'xxx', '<your-key>', 'YOUR_API_KEY', '${TOKEN}', 'changeme' … are not secrets. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length < 8) return true;
  if (/\s/.test(v)) return true;
  if (/^(.)\1+$/.test(v)) return true;
  if (/[<>{}[\]]/.test(v) || /^\$\{?\w+\}?$/.test(v) || /^%\(\w+\)s$/.test(v)) return true;
  if (/^(?:\/|\.\.?\/|~\/|[A-Za-z]:\\|https?:\/\/[^@]*$)/.test(v)) return true; // a path or a plain URL
  if (/^[*x.•#-]+$/i.test(v)) return true;
  if (/(your|my)[-_ ]?(api[-_ ]?)?(key|token|secret|password)|changeme|change[-_]me|placeholder|example|dummy|redacted|replace[-_]?me|insert[-_]|enter[-_]?your|^password\d*$|^secret$|^token$|^none$|^null$|^test(ing)?\d*$/i.test(v)) return true;
  if (/^[A-Z][A-Z0-9_]+$/.test(v) && v.includes('_')) return true; // YOUR_API_KEY, OPENAI_API_KEY (an env var's name)
  return false;
}

export function maskSecret(value: string, show: number): string {
  if (show < 0) return value;
  if (show > 0 && value.length > show + 8) return `${value.slice(0, show)}…${value.slice(-4)}`;
  return `${value.slice(0, 1)}… (${value.length} characters)`;
}

/**
 * `name = "literal"`, `name: "literal"`, `"name": "literal"`, `name <- "literal"` (R), with bounded
 * repetitions so that a long run of identifier characters cannot make it quadratic.
 */
const ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_-]{0,63})["']?[ \t]{0,8}(?:={1,2}|:=?|<-)[ \t]{0,8}[rbuRBU]?(["'])([^"'\r\n]{8,256})\2/g;
const NAME_HINT = /pass|pwd|secret|token|key|credential/i;

/** Find credentials in a piece of text (code or an output). */
export function scanSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const p of TOKENS) {
    if (!p.prefixes.some((x) => text.includes(x))) continue;
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      if (p.accept && !p.accept(m[0])) continue;
      hits.push({ kind: p.kind, masked: p.show < 0 ? m[0] : maskSecret(m[0], p.show), index: m.index, value: m[0] });
    }
  }
  if (NAME_HINT.test(text)) {
    ASSIGNMENT.lastIndex = 0;
    for (let m = ASSIGNMENT.exec(text); m; m = ASSIGNMENT.exec(text)) {
      const [, name, , value] = m as unknown as [string, string, string, string];
      if (!isSecretName(name) || isPlaceholder(value)) continue;
      // Already reported as a known token format.
      const at = m.index + m[0].length - value.length - 1;
      if (hits.some((h) => h.index >= at && h.index < at + value.length)) continue;
      hits.push({ kind: `a hard-coded ${name}`, masked: maskSecret(value, 0), index: at, value });
    }
  }
  return hits.sort((a, b) => a.index - b.index);
}
