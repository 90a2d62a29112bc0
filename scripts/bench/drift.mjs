// npm run bench:drift — the drift check of a 1 GB batch against registering the same file as a
// dataset (target: the check takes at most 1.5 × the registration), in one run and from a warm page
// cache, with GNU time for wall time and peak memory.
//
// The batch is scripts/bench/generate-csv.mjs's deterministic CSV (the datasets bench's file,
// reused from --dir). The training data is the first --train-mb of the same generator, registered
// with its snapshot; on it Debian's /usr/bin/python3 trains a scikit-learn pipeline (imputer,
// scaler, one-hot encoder, logistic regression) predicting `active` from amount, tenure_months,
// segment and score, registered as the model whose batch is checked. Timed, through the CLI
// (bin/greenhouse.js over dist/, so `npm run build:node` first):
//   registration   greenhouse dataset add BATCH --no-snapshot (in a fresh workspace: hash + profile)
//   drift          greenhouse drift MODEL --data BATCH (hash + the check, stored in the history)
// and, for the record, two variants of the check: against a model whose training data has no
// snapshot (KS approximated from the profile), and the worst case, a model that also takes `id`
// (a training column of unique values, so the exact KS needs a second pass over the batch).
// Each timed command runs --repeat times, alternating; the fastest run of each is reported.
//
// Options: --mb N (batch size, default 1024), --train-mb N (default 20), --repeat N (default 2),
// --dir DIR (default $TMPDIR/greenhouse-bench: generated files are kept there and reused),
// --no-variants (only the two timed commands), --keep (keep the workspaces and print their path).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    mb: { type: 'string', default: '1024' },
    'train-mb': { type: 'string', default: '20' },
    repeat: { type: 'string', default: '2' },
    dir: { type: 'string', default: join(tmpdir(), 'greenhouse-bench') },
    'no-variants': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const TIME = '/usr/bin/time';
const PYTHON = '/usr/bin/python3';
const BIN = join(root, 'bin/greenhouse.js');
for (const [bin, pkg] of [[TIME, 'time'], ['/usr/bin/sha256sum', 'coreutils'], [PYTHON, 'python3-sklearn']]) {
  if (!existsSync(bin)) {
    console.error(`bench: ${bin} is missing; install the Debian package "${pkg}".`);
    process.exit(1);
  }
}
mkdirSync(opts.dir, { recursive: true });
const repeat = Math.max(1, Number(opts.repeat));

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
  const r = spawnSync(TIME, ['-f', '@@time %e %M', cmd, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  const m = /@@time ([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) {
    console.error(`bench: ${label} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}\n${r.stdout.slice(-2000)}`);
    process.exit(1);
  }
  return { label, seconds: Number(m[1]), peakMb: Number(m[2]) / 1024, stdout: r.stdout };
}

const gh = (ws, args, label) => measure(label, process.execPath, [BIN, '--workspace', ws, '--json', '--quiet', ...args], { GREENHOUSE_CONFIG_DIR: join(ws, '.config') });
const ghQuiet = (ws, args) => execFileSync(process.execPath, [BIN, '--workspace', ws, '--json', '--quiet', ...args], { env: { ...process.env, GREENHOUSE_CONFIG_DIR: join(ws, '.config') }, encoding: 'utf8', maxBuffer: 1 << 28 });

const TRAIN = String.raw`
import sys, joblib, pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
csv, out, with_id = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
df = pd.read_csv(csv)
numeric = ["amount", "tenure_months", "score"] + (["id"] if with_id else [])
X = df[numeric + ["segment"]]
pre = ColumnTransformer([("num", Pipeline([("impute", SimpleImputer()), ("scale", StandardScaler())]), numeric), ("cat", OneHotEncoder(handle_unknown="ignore"), ["segment"])])
joblib.dump(Pipeline([("preprocess", pre), ("clf", LogisticRegression(max_iter=200))]).fit(X, df["active"]), out)
`;

/** A workspace with the training data (snapshot or not) and the model trained on it. */
function workspaceWithModel(train, { snapshot, withId }) {
  const ws = mkdtempSync(join(opts.dir, 'drift-ws-'));
  execFileSync(process.execPath, [BIN, 'init', ws, '--json'], { stdio: 'ignore', env: { ...process.env, GREENHOUSE_CONFIG_DIR: join(ws, '.config') } });
  ghQuiet(ws, ['dataset', 'add', train, '--name', 'train', ...(snapshot ? [] : ['--no-snapshot'])]);
  const model = join(ws, 'model.joblib');
  execFileSync(PYTHON, ['-c', TRAIN, train, model, withId ? '1' : '0'], { stdio: ['ignore', 'ignore', 'inherit'] });
  ghQuiet(ws, ['model', 'add', model, '--name', 'bench', '--dataset', 'train', '--target', 'active', '--python', PYTHON]);
  return ws;
}

const fmt = (n, d = 1) => n.toFixed(d);
const mbOf = (file) => statSync(file).size / 1024 ** 2;
const fastest = (runs) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));

const batch = dataFile(Number(opts.mb));
const train = dataFile(Number(opts['train-mb']));
process.stderr.write('Registering the training data and the model…\n');
const wsMain = workspaceWithModel(train, { snapshot: true, withId: false });
const variants = opts['no-variants']
  ? []
  : [
      { name: 'drift, training data without snapshot (approximate KS)', ws: workspaceWithModel(train, { snapshot: false, withId: false }) },
      { name: 'drift, worst case: + id (unique values, exact KS in a second pass)', ws: workspaceWithModel(train, { snapshot: true, withId: true }) },
    ];
const wsRegister = mkdtempSync(join(opts.dir, 'register-ws-'));
execFileSync(process.execPath, [BIN, 'init', wsRegister, '--json'], { stdio: 'ignore', env: { ...process.env, GREENHOUSE_CONFIG_DIR: join(wsRegister, '.config') } });

execFileSync('/usr/bin/sha256sum', [batch], { stdio: 'ignore' }); // warm the page cache
const registrations = [];
const drifts = [];
let check = null;
for (let i = 0; i < repeat; i++) {
  registrations.push(gh(wsRegister, ['dataset', 'add', batch, '--no-snapshot', '--name', `batch${i}`], `greenhouse dataset add ${batch} (${i + 1}/${repeat})`));
  const d = gh(wsMain, ['drift', 'bench', '--data', batch], `greenhouse drift bench --data ${batch} (${i + 1}/${repeat})`);
  drifts.push(d);
  check = JSON.parse(d.stdout);
}
const extra = variants.map((v) => {
  const d = gh(v.ws, ['drift', 'bench', '--data', batch], v.name);
  return { ...v, run: d, check: JSON.parse(d.stdout) };
});
const reg = fastest(registrations);
const drift = fastest(drifts);

const lines = [];
const say = (s = '') => lines.push(s);
say(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 1024 ** 3)} GB RAM, Node ${process.version}, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}; warm page cache; fastest of ${repeat}.`);
say(`Batch: ${fmt(mbOf(batch), 0)} MB CSV, ${check.rows.toLocaleString('en')} rows; training data: ${fmt(mbOf(train), 0)} MB, ${check.reference.dataset.rows.toLocaleString('en')} rows; model inputs ${check.features.map((f) => f.name).join(', ')}.`);
say();
say('| run | wall s | peak MB |');
say('|---|---:|---:|');
say(`| Greenhouse registration (dataset add --no-snapshot: hash + profile) | ${fmt(reg.seconds, 2)} | ${fmt(reg.peakMb)} |`);
say(`| Greenhouse drift check (hash + check, exact KS over the training snapshot) | ${fmt(drift.seconds, 2)} | ${fmt(drift.peakMb)} |`);
for (const v of extra) say(`| ${v.name} | ${fmt(v.run.seconds, 2)} | ${fmt(v.run.peakMb)} |`);
say();
const ratio = drift.seconds / reg.seconds;
say(`Drift check / registration time: ${fmt(ratio, 2)}× (target ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'NOT met'})`);
for (const v of extra) say(`${v.name} / registration: ${fmt(v.run.seconds / reg.seconds, 2)}×`);
say(`All runs (s): registration ${registrations.map((r) => fmt(r.seconds, 2)).join(', ')}; drift ${drifts.map((r) => fmt(r.seconds, 2)).join(', ')}.`);
say(`Check: drift ${check.drift}, ${check.drifted.length} of ${check.checked} features drifted; tests ${check.features.map((f) => `${f.name} ${f.test ?? '-'}${f.testBasis === 'approximate' ? '~' : ''}`).join(', ')}; ${check.durationMs} ms inside the job.`);
console.log(lines.join('\n'));

if (opts.keep) console.error(`Kept: ${[wsMain, wsRegister, ...variants.map((v) => v.ws)].join(' ')}`);
else for (const ws of [wsMain, wsRegister, ...variants.map((v) => v.ws)]) rmSync(ws, { recursive: true, force: true });
