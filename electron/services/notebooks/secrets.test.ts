import { describe, expect, it } from 'vitest';
import { isPlaceholder, isSecretName, maskSecret, scanSecrets } from './secrets.js';

// Fake credentials, built at run time so that no scanner flags this file.
const j = (...parts: string[]) => parts.join('');
const AWS = j('AKIA', 'IOSFODNN7', 'EXAMPLQ');
const GHP = j('ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8');
const GH_PAT = j('github_pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz');
const OPENAI = j('sk-', 'proj-', 'Ab3dEf5hIj7lMn9pQr1tUv3xYz59f2a');
const SLACK = j('xox', 'b-', '1234567890-0987654321-AbCdEfGhIjKl');
const GOOGLE = j('AIza', 'SyD-1234567890abcdefghijklmnopqrstu');
const HF = j('hf_', 'AbCdEfGhIjKlMnOpQrStUvWxYz01234567');
const JWT = j('eyJ', 'hbGciOiJIUzI1NiJ9', '.', 'eyJ', 'zdWIiOiIxMjM0NTY3ODkwIn0', '.', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U');
const KEY_BLOCK = j('-----BEGIN ', 'RSA PRIVATE KEY', '-----\nMIIEow...\n-----END RSA PRIVATE KEY-----');

const kinds = (text: string) => scanSecrets(text).map((h) => h.kind);

describe('scanSecrets: token formats', () => {
  it.each([
    ['an AWS access key', `aws_key = "${AWS}"`, 'AKIA…'],
    ['a GitHub token', `token: ${GHP}`, 'ghp_…'],
    ['a GitHub token', `GH = '${GH_PAT}'`, 'github_pat_…'],
    ['an API key', `openai.api_key = "${OPENAI}"`, 'sk-…9f2a'],
    ['a Slack token', `client = WebClient(${SLACK})`, 'xoxb-…'],
    ['a Google API key', `key=${GOOGLE}`, 'AIza…'],
    ['a Hugging Face token', `login("${HF}")`, 'hf_…'],
    ['a JSON Web Token', `headers = {"Authorization": "Bearer ${JWT}"}`, 'eyJ…'],
    ['a private key', `KEY = """${KEY_BLOCK}"""`, '-----BEGIN RSA PRIVATE KEY-----'],
  ])('finds %s', (kind, text, maskStart) => {
    const hits = scanSecrets(text);
    expect(hits.map((h) => h.kind)).toContain(kind);
    const hit = hits.find((h) => h.kind === kind)!;
    expect(hit.masked.startsWith(maskStart)).toBe(true);
    // Never the whole secret (private keys show only their header line).
    if (kind !== 'a private key') expect(hit.masked).not.toContain(hit.value);
  });

  it('masks like sk-…9f2a', () => {
    expect(scanSecrets(`k = "${OPENAI}"`)[0]!.masked).toBe('sk-…9f2a');
  });

  it('does not flag look-alikes', () => {
    expect(kinds('import sklearn\nsk-learn is a library name\nmask = "sk-" + suffix')).toEqual([]);
    expect(kinds('AKIA123')).toEqual([]); // too short
    expect(kinds('aws = "AKIAiosfodnn7exampl"')).toEqual([]); // lower case is not an access key id
    expect(kinds('# -----BEGIN PUBLIC KEY-----')).toEqual([]);
    expect(kinds('eyJhbGciOi only one part')).toEqual([]);
  });
});

describe('scanSecrets: secret-looking names', () => {
  it.each([
    ['password = "hunter2hunter2"'],
    ["DB_PASSWORD='S3cure!pass'"],
    ['conn = connect(user="me", passwd="Tr0ub4dor&3")'],
    ['api_key = "q8w7e6r5t4y3u2i1"'],
    ['config = {"client_secret": "abcd1234efgh5678"}'],
    ['AUTH_TOKEN = "f00dfeedcafe1234"'],
    ['secret <- "r-lang-secret-99"'],
  ])('finds %s', (text) => {
    const hits = scanSecrets(text);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.kind).toMatch(/^a hard-coded /);
    expect(hits[0]!.masked).toMatch(/^.… \(\d+ characters\)$/);
  });

  it.each([
    ['password = ""'],
    ['password = os.environ["DB_PASSWORD"]'],
    ['api_key = "<your-key>"'],
    ['api_key = "YOUR_API_KEY"'],
    ['token = "xxxxxxxxxxxx"'],
    ['password = getpass.getpass()'],
    ['pad_token = "<|endoftext|>"'],
    ['tokenizer = "bert-base-uncased"'],
    ['max_tokens = "1234567890"'],
    ['secret_name = "prod-db-credentials"'],
    ['password = "changeme123"'],
    ['token_path = "/home/me/.token"'],
    ['secret = "${SECRET}"'],
    ['pwd = "short"'],
  ])('ignores %s', (text) => {
    expect(scanSecrets(text)).toEqual([]);
  });
});

describe('helpers', () => {
  it('isSecretName', () => {
    expect(['password', 'DB_PASS_WORD', 'apiKey', 'api-key', 'aws_secret_access_key', 'GITHUB_TOKEN', 'credentials'].map(isSecretName)).toEqual([true, true, true, true, true, true, true]);
    expect(['tokenizer', 'num_tokens', 'secret_name', 'keyword', 'key'].map(isSecretName)).toEqual([false, false, false, false, false]);
  });

  it('isPlaceholder', () => {
    expect(['', 'xxx', '********', '<your-api-key>', 'YOUR_API_KEY', 'your-token-here', 'REDACTED_VALUE', 'has space inside'].every(isPlaceholder)).toBe(true);
    expect(isPlaceholder('q8w7e6r5t4y3u2i1')).toBe(false);
  });

  it('maskSecret', () => {
    expect(maskSecret('abcdefghijklmnop', 3)).toBe('abc…mnop');
    expect(maskSecret('abcdefgh', 0)).toBe('a… (8 characters)');
  });
});

describe('performance', () => {
  it('scans 20 MB of adversarial text in linear time', () => {
    const chunks = ['a-'.repeat(2_000_000), 'eyJ'.repeat(1_000_000), 'x'.repeat(5_000_000), 'password'.repeat(500_000), `${'sk-'.repeat(100_000)}`];
    const text = chunks.join('\n');
    const t = Date.now();
    expect(scanSecrets(text)).toEqual([]);
    expect(Date.now() - t).toBeLessThan(8000);
  });
});
