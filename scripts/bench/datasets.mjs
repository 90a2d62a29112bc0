// npm run bench:datasets — Greenhouse's dataset registration (hash + full profile) against
// sha256sum of the same bytes and pandas read_csv + describe(include='all'), on a deterministic
// CSV of about 1 GB; then a 4 GB file to show that peak memory does not grow with the file.
//
// Options: --mb N (default 1024), --big-mb N (default 4096, 0 skips), --dir DIR (default
// $TMPDIR/greenhouse-bench; generated files are kept there and reused), --no-pandas.
// Every run reads from the page cache (a warm-up sha256sum comes first), so the figures compare
// CPU work, not the disk. Wall time and peak RSS come from GNU time.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    mb: { type: 'string', default: '1024' },
    'big-mb': { type: 'string', default: '4096' },
    dir: { type: 'string', default: join(tmpdir(), 'greenhouse-bench') },
    'no-pandas': { type: 'boolean', default: false },
  },
});
const TIME = '/usr/bin/time';
const PYTHON = '/usr/bin/python3';
for (const [bin, pkg] of [[TIME, 'time'], ['/usr/bin/sha256sum', 'coreutils']]) {
  if (!existsSync(bin)) {
    console.error(`bench: ${bin} is missing; install the Debian package "${pkg}".`);
    process.exit(1);
  }
}
mkdirSync(opts.dir, { recursive: true });

function dataFile(mb) {
  const path = join(opts.dir, `bench-${mb}mb.csv`);
  if (!existsSync(path)) {
    process.stderr.write(`Generating ${path}…\n`);
    execFileSync(process.execPath, [join(root, 'scripts/bench/generate-csv.mjs'), path, String(mb)], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return path;
}

/** Run a command under GNU time: wall seconds and peak resident memory in MB. */
function measure(label, cmd, args, env = {}) {
  process.stderr.write(`Running ${label}…\n`);
  const r = spawnSync(TIME, ['-f', '@@time %e %M', cmd, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  const m = /@@time ([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) {
    console.error(`bench: ${label} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
    process.exit(1);
  }
  return { label, seconds: Number(m[1]), peakMb: Number(m[2]) / 1024, stdout: r.stdout };
}

function greenhouse(file) {
  const ws = mkdtempSync(join(opts.dir, 'ws-'));
  try {
    const bin = join(root, 'bin/greenhouse.js');
    execFileSync(process.execPath, [bin, 'init', ws, '--json'], { stdio: 'ignore' });
    const r = measure(`greenhouse dataset add ${file}`, process.execPath, [bin, '--workspace', ws, '--json', '--quiet', 'dataset', 'add', file, '--no-snapshot'], {
      GREENHOUSE_CONFIG_DIR: join(ws, '.config'),
    });
    const out = JSON.parse(r.stdout);
    return { ...r, rows: out.rows, columns: out.columns.length };
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

const sha256sum = (file) => measure(`sha256sum ${file}`, '/usr/bin/sha256sum', [file]);
const pandas = (file) =>
  measure(`pandas read_csv + describe ${file}`, PYTHON, [
    '-c',
    "import sys, pandas as pd\ndf = pd.read_csv(sys.argv[1])\nd = df.describe(include='all')\nprint(len(df))",
    file,
  ]);

const fmt = (n, d = 1) => n.toFixed(d);
const mbOf = (file) => statSync(file).size / 1024 ** 2;

const file = dataFile(Number(opts.mb));
sha256sum(file); // warm the page cache
const base = sha256sum(file);
const gh = greenhouse(file);
const pd = opts['no-pandas'] ? null : pandas(file);

let big = null;
if (Number(opts['big-mb']) > 0) {
  const bigFile = dataFile(Number(opts['big-mb']));
  sha256sum(bigFile);
  big = { sha: sha256sum(bigFile), gh: greenhouse(bigFile), mb: mbOf(bigFile) };
}

const lines = [];
const say = (s = '') => lines.push(s);
say(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}; warm page cache.`);
say(`File: ${fmt(mbOf(file), 0)} MB CSV, ${gh.rows.toLocaleString('en')} rows × ${gh.columns} columns.`);
say();
say('| run | wall s | peak MB |');
say('|---|---:|---:|');
say(`| sha256sum | ${fmt(base.seconds, 2)} | ${fmt(base.peakMb)} |`);
say(`| Greenhouse registration (hash + profile) | ${fmt(gh.seconds, 2)} | ${fmt(gh.peakMb)} |`);
if (pd) say(`| pandas read_csv + describe(include='all') | ${fmt(pd.seconds, 2)} | ${fmt(pd.peakMb)} |`);
if (big) {
  say(`| sha256sum, ${fmt(big.mb, 0)} MB | ${fmt(big.sha.seconds, 2)} | ${fmt(big.sha.peakMb)} |`);
  say(`| Greenhouse registration, ${fmt(big.mb, 0)} MB | ${fmt(big.gh.seconds, 2)} | ${fmt(big.gh.peakMb)} |`);
}
say();
const check = (ok) => (ok ? 'met' : 'NOT met');
const vsSha = gh.seconds / base.seconds;
say(`Registration / sha256sum time: ${fmt(vsSha, 2)}× (target ≤ 1.5×: ${check(vsSha <= 1.5)})`);
if (pd) {
  const vsPandas = pd.seconds / gh.seconds;
  say(`pandas / registration time: ${fmt(vsPandas, 2)}× faster (target ≥ 5×: ${check(vsPandas >= 5)})`);
}
say(`Registration peak memory: ${fmt(gh.peakMb)} MB (target ≤ 512 MB: ${check(gh.peakMb <= 512)})`);
if (big) {
  const growth = big.gh.peakMb / gh.peakMb - 1;
  say(`Peak memory, ${fmt(big.mb, 0)} MB vs ${fmt(mbOf(file), 0)} MB file: ${growth >= 0 ? '+' : ''}${fmt(growth * 100)}% (target within 10%: ${check(Math.abs(growth) <= 0.1)})`);
  say(`Registration / sha256sum time, ${fmt(big.mb, 0)} MB: ${fmt(big.gh.seconds / big.sha.seconds, 2)}×`);
}
console.log(lines.join('\n'));
