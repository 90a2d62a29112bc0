import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanBundleFiles, scanText } from './secrets.js';

// Built at run time so this file itself holds no token a scanner would flag.
const AWS = ['AKIA', 'Q3EGH7ZK', '2XRTN5PW'].join('');
const GH = `ghp_${'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'}`;
const PEM = ['-----BEGIN', 'RSA PRIVATE KEY-----'].join(' ');

describe('secret and personal data scan', () => {
  it('finds provider tokens, private keys and hard-coded passwords, with file, line and a masked excerpt', () => {
    const text = ['import os', `key = "${AWS}"`, `token = '${GH}'`, PEM, 'db_password = "Tr0ub4dor&3-horse"'].join('\n');
    const found = scanText(text, 'app/config.py', ['secret']);
    expect(found.map((f) => [f.rule, f.line])).toEqual([
      ['aws-access-key', 2],
      ['github-token', 3],
      ['private-key', 4],
      ['hard-coded-db-password', 5],
    ]);
    expect(found.every((f) => f.file === 'app/config.py' && f.kind === 'secret')).toBe(true);
    // The excerpt never carries the secret itself.
    for (const f of found) expect(f.excerpt).not.toMatch(new RegExp(`${AWS}|${GH}|Tr0ub4dor`));
  });

  it('ignores placeholders, public keys and ordinary code', () => {
    const text = [
      'password = "changeme-please"',
      'api_key = os.environ["API_KEY"]',
      'token = "<your token here>"',
      '-----BEGIN PUBLIC KEY-----',
      'url = "https://example.com/path"',
      'model = LogisticRegression(C=0.5)',
    ].join('\n');
    expect(scanText(text, 'x.py')).toEqual([]);
  });

  it('reports personal data separately from secrets, and only when asked', () => {
    const text = 'contact = "ana.lima@corp.example.org"\nssn = "123-45-6789"\nacct = "DE89 3704 0044 0532 0130 00"';
    expect(scanText(text, 'nb', ['secret'])).toEqual([]);
    expect(scanText(text, 'nb', ['pii']).map((f) => f.rule)).toEqual(['email', 'us-ssn', 'iban']);
  });

  it('scans bundle files, binary ones as Latin-1 so pickled strings are seen, and skips what it is told to', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gh-secrets-'));
    writeFileSync(join(dir, 'model.joblib'), Buffer.concat([Buffer.from([0x80, 0x04, 0x00, 0x95]), Buffer.from(`X\u0014\u0000\u0000\u0000${AWS}`, 'latin1'), Buffer.from([0x00, 0x2e])]));
    writeFileSync(join(dir, 'signing-key.pub.pem'), '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n');
    writeFileSync(join(dir, 'app.py'), `print("hello")\n`);
    const found = await scanBundleFiles(dir, ['model.joblib', 'signing-key.pub.pem', 'app.py', 'missing.txt'], ['signing-key.pub.pem']);
    expect(found.map((f) => [f.file, f.rule])).toEqual([['model.joblib', 'aws-access-key']]);
  });
});
