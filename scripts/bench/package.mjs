// npm run bench:package — packaging a model and serving it, against the targets:
// - image size added on top of the base image ≤ the model file's size + 1 MB (strategy base);
// - a rebuild after a model-only change ≤ 3 s (and which layers it rebuilt);
// - container start to ready (reported);
// - serving overhead: p50 of a single-row POST /predict over keep-alive HTTP minus p50 of the
//   in-process model.predict on the same row in the same container ≤ 1 ms;
// - throughput: ≥ 1500 requests/s of single-row /predict from concurrent keep-alive clients.
//
// Everything runs in a temporary workspace through the CLI (bin/greenhouse.js over dist/, so run
// `npm run build:node` first): a LogisticRegression trained by Debian's /usr/bin/python3 on
// generated data is registered twice (version 2: the same data and features, another C), both
// versions are bundled with --strategy base, version 1 is built, then version 2 (the model-only
// change). The container runs with host networking on a free 127.0.0.1 port with the image's own
// defaults (access log on stdout, prediction log on). The containers and images the bench made are
// always removed.
//
// Options: --clients N (concurrent keep-alive clients, default 16), --seconds S (throughput run,
// default 8), --requests N (sequential requests for the latency p50, default 2000), --starts N
// (container starts timed, default 3), --base-image IMAGE (default greenhouse/python-base:bookworm),
// --server FILE (bundle this serving app instead of resources/serving/server.py, to compare two
// versions of it; the build then warns that the bundle no longer matches its signed manifest),
// --keep (keep the temporary workspace and print its path).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '8' },
    requests: { type: 'string', default: '2000' },
    starts: { type: 'string', default: '3' },
    'base-image': { type: 'string', default: 'greenhouse/python-base:bookworm' },
    server: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const CLIENTS = Number(opts.clients);
const SECONDS = Number(opts.seconds);
const REQUESTS = Number(opts.requests);
const STARTS = Number(opts.starts);
const BASE = opts['base-image'];
const PYTHON = '/usr/bin/python3';
const BIN = join(root, 'bin/greenhouse.js');

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}
if (!existsSync(PYTHON)) fail(`${PYTHON} is missing (Debian's python3 with python3-sklearn: bash scripts/setup.sh).`);
if (!existsSync(join(root, 'dist/host'))) fail('dist/ is missing: run npm run build:node first.');
const docker = (args, options = {}) => execFileSync('docker', args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options }).trim();
try {
  docker(['version', '--format', '{{.Server.Version}}']);
} catch {
  fail('the Docker engine does not answer (docker version); start dockerd (bash scripts/setup.sh).');
}
try {
  docker(['image', 'inspect', BASE, '--format', '{{.Id}}']);
} catch {
  fail(`the base image ${BASE} is missing: bash scripts/base-image.sh builds it.`);
}

// A unique model name, so the image tags (greenhouse/NAME:VERSION) cannot touch anyone else's.
const NAME = `bench-churn-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
const TAGS = [`greenhouse/${NAME}:1`, `greenhouse/${NAME}:2`];
const containers = new Set();
const work = mkdtempSync(join(tmpdir(), 'gh-bench-package-'));
const ws = join(work, 'ws');
const env = { ...process.env, GREENHOUSE_CONFIG_DIR: join(work, 'config') };

function cleanup() {
  for (const c of containers) spawnSync('docker', ['rm', '-f', c], { stdio: 'ignore' });
  containers.clear();
  // Removing the tags removes their untagged parents (the classic builder's layer chain) too.
  spawnSync('docker', ['rmi', '-f', ...TAGS], { stdio: 'ignore' });
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
}
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

const log = (s) => process.stderr.write(`${s}\n`);
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const median = (xs) => percentile(xs, 0.5);
function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
}

/** The CLI with --json; returns the parsed output and the wall time in seconds. */
function greenhouse(args, { cwd = ws } = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, '--json', '--quiet', ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`greenhouse ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { out: r.stdout.trim() ? JSON.parse(r.stdout) : null, seconds };
}

// ---------------------------------------------------------------------------------------------
// data and models

const TRAIN = String.raw`
import sys, joblib, numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
out = sys.argv[1]
rng = np.random.default_rng(7)
n = 2000
df = pd.DataFrame({
    'age': rng.integers(18, 80, n),
    'income': np.round(rng.uniform(20000, 100000, n), 2),
    'tenure': rng.integers(0, 120, n),
    'score': np.round(rng.normal(0, 1, n), 4),
})
z = -1 + 0.03 * (df.age - 50) - 0.00002 * (df.income - 60000) + 0.01 * df.tenure + df.score + rng.normal(0, 1, n)
df['churned'] = (z > 0).astype(int)
df.to_csv(out + '/customers.csv', index=False)
X = df[['age', 'income', 'tenure', 'score']]
joblib.dump(LogisticRegression(C=1.0, max_iter=1000).fit(X, df.churned), out + '/churn-v1.joblib')
joblib.dump(LogisticRegression(C=0.1, max_iter=1000).fit(X, df.churned), out + '/churn-v2.joblib')
`;

/** Timings inside the container, of the model alone: the row as the analyst would call it. */
const IN_PROCESS = String.raw`
import json, sys, time, warnings, joblib, pandas as pd
sys.path.insert(0, 'app')
import server
n = int(sys.argv[1])
meta = server.load_metadata('.')
golden = server.load_golden('.')
model = joblib.load(meta['modelFile'])
row = pd.DataFrame([golden['rows'][0]], columns=golden['columns'])
def p50(f):
    for _ in range(200): f()
    xs = []
    for _ in range(n):
        t = time.perf_counter(); f(); xs.append(time.perf_counter() - t)
    xs.sort()
    return xs[len(xs) // 2] * 1000
out = {'predict': p50(lambda: model.predict(row)), 'predict_proba': p50(lambda: model.predict_proba(row))}
out['predict_and_proba'] = p50(lambda: (model.predict(row), model.predict_proba(row)))
# The serving app's own model call on a validated one-row batch (no HTTP, no JSON, no logs).
sm = server.ServingModel.load('.')
inputs = sm.inputs
batch = server.parse_records([dict(zip(golden['columns'], golden['rows'][0]))], inputs, 1)
if hasattr(sm, 'enable_array_input'):
    full = server.parse_records([dict(zip(golden['columns'], r)) for r in golden['rows']], inputs, len(golden['rows']))
    out['array_path'] = sm.enable_array_input(full) is None
    out['serving_model'] = p50(lambda: sm.predict_batch(batch))
else:
    out['array_path'] = False
    out['serving_model'] = p50(lambda: sm.predict(server.to_frame(batch, inputs)))
print(json.dumps(out))
`;

// ---------------------------------------------------------------------------------------------
// HTTP load

async function freePort() {
  const srv = createServer();
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
  const { port } = srv.address();
  await new Promise((ok) => srv.close(ok));
  return port;
}

function post(port, agent, path, body) {
  return new Promise((ok, bad) => {
    const t = process.hrtime.bigint();
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t) / 1e6, body: Buffer.concat(chunks).toString() }));
        res.on('error', bad);
      },
    );
    req.on('error', bad);
    req.end(body);
  });
}

async function ready(port, deadline) {
  for (;;) {
    const status = await new Promise((ok) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/v2/health/ready', agent: false }, (res) => {
        res.resume();
        res.on('end', () => ok(res.statusCode));
      });
      req.on('error', () => ok(0));
      req.setTimeout(1000, () => req.destroy());
    });
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error('the container did not become ready within 60 s');
    await sleep(5);
  }
}

/** `docker run` of an image with host networking on 127.0.0.1:port; seconds until ready answers 200. */
async function start(tag, port, name) {
  const t = process.hrtime.bigint();
  containers.add(name);
  docker(['run', '-d', '--name', name, '--label', 'io.greenhouse.role=bench', '--network', 'host', '-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1', tag]);
  await ready(port, Date.now() + 60_000);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** CPU seconds a process has used (user + system), from /proc (the container's PID as the host sees it). */
function processCpu(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ 100)
}

/** CPU seconds the whole machine has been busy (all but idle and iowait), from /proc/stat. */
function machineBusy() {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - cpu[3] - cpu[4]) / 100;
}

function stop(name) {
  const t = process.hrtime.bigint();
  spawnSync('docker', ['stop', '-t', '30', name], { stdio: 'ignore' });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const code = docker(['inspect', name, '--format', '{{.State.ExitCode}}']);
  spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
  containers.delete(name);
  return { seconds, code: Number(code) };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  log(`Workspace ${work}`);
  const data = join(work, 'data');
  execFileSync('mkdir', ['-p', data]);
  execFileSync(PYTHON, ['-c', TRAIN, data], { stdio: ['ignore', 'ignore', 'inherit'] });
  const modelFile = join(data, 'churn.joblib');

  log('Registering the dataset and two model versions…');
  greenhouse(['init', ws], { cwd: work });
  greenhouse(['dataset', 'add', join(data, 'customers.csv'), '--name', 'customers']);
  for (const v of [1, 2]) {
    writeFileSync(modelFile, readFileSync(join(data, `churn-v${v}.joblib`)));
    greenhouse(['model', 'add', modelFile, '--name', NAME, '--dataset', 'customers', '--target', 'churned', '--python', PYTHON]);
  }
  const bundles = [1, 2].map((v) => greenhouse(['bundle', 'create', `${NAME}@${v}`, '--strategy', 'base', '--base-image', BASE]).out);
  const modelBytes = statSync(join(bundles[0].path, 'model/model.joblib')).size;
  if (opts.server) for (const b of bundles) writeFileSync(join(b.path, 'app/server.py'), readFileSync(opts.server));

  log(`Building ${TAGS[0]}…`);
  const first = greenhouse(['bundle', 'build', `${NAME}@1`]);
  log(`Building ${TAGS[1]} (the model-only change)…`);
  const second = greenhouse(['bundle', 'build', `${NAME}@2`]);
  log(`Building ${TAGS[1]} again (nothing changed)…`);
  const again = greenhouse(['bundle', 'build', `${NAME}@2`]);

  // Which of version 2's layers the engine reused from version 1's build (same image id in both chains).
  const history = (tag) => docker(['history', '-q', '--no-trunc', tag]).split('\n').filter((id) => id && id !== '<missing>');
  const baseIds = new Set(history(BASE));
  const v1 = new Set(history(TAGS[0]));
  const v2 = history(TAGS[1]).filter((id) => !baseIds.has(id));
  const reused = v2.filter((id) => v1.has(id)).length;
  const inspectSize = (tag) => Number(docker(['image', 'inspect', tag, '--format', '{{.Size}}']));
  const baseSize = inspectSize(BASE);
  const added = inspectSize(TAGS[0]) - baseSize;
  const added2 = inspectSize(TAGS[1]) - baseSize;

  log(`Starting ${TAGS[1]} ${STARTS} times…`);
  const starts = [];
  const stops = [];
  for (let i = 0; i < STARTS; i++) {
    const port = await freePort();
    const name = `${NAME}-start-${i}`;
    starts.push(await start(TAGS[1], port, name));
    stops.push(stop(name));
  }

  const port = await freePort();
  const name = `${NAME}-serve`;
  await start(TAGS[1], port, name);
  const golden = JSON.parse(readFileSync(join(bundles[1].path, 'model/golden.json'), 'utf8'));
  const record = Object.fromEntries(golden.columns.map((c, i) => [c, golden.rows[0][i]]));
  const body = Buffer.from(JSON.stringify({ records: [record] }));

  log('Timing the model in-process inside the container…');
  const inProcess = JSON.parse(docker(['exec', name, 'python3', '-c', IN_PROCESS, String(REQUESTS)]));

  log(`Timing ${REQUESTS} sequential single-row requests…`);
  const one = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const check = await post(port, one, '/predict', body);
  if (check.status !== 200) throw new Error(`POST /predict answered ${check.status}: ${check.body}`);
  const answer = JSON.parse(check.body);
  if (answer.predictions[0] !== golden.predictions[0]) throw new Error(`POST /predict answered ${answer.predictions[0]}, the golden set says ${golden.predictions[0]}`);
  for (let i = 0; i < 200; i++) await post(port, one, '/predict', body);
  const sequential = [];
  for (let i = 0; i < REQUESTS; i++) {
    const r = await post(port, one, '/predict', body);
    if (r.status !== 200) throw new Error(`POST /predict answered ${r.status}: ${r.body}`);
    sequential.push(r.ms);
  }
  one.destroy();

  log(`Throughput: ${CLIENTS} keep-alive clients for ${SECONDS} s…`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  for (let i = 0; i < CLIENTS * 20; i++) await post(port, agent, '/predict', body); // open and warm the connections
  const latencies = [];
  let errors = 0;
  const serverPid = Number(docker(['inspect', name, '--format', '{{.State.Pid}}']));
  const cpu0 = { server: processCpu(serverPid), client: process.cpuUsage(), machine: machineBusy() };
  const t0 = process.hrtime.bigint();
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < end) {
        const r = await post(port, agent, '/predict', body);
        if (r.status === 200) latencies.push(r.ms);
        else errors++;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const clientCpu = process.cpuUsage(cpu0.client);
  const cpu = {
    server: processCpu(serverPid) - cpu0.server,
    client: (clientCpu.user + clientCpu.system) / 1e6,
    machine: machineBusy() - cpu0.machine,
  };
  agent.destroy();
  const perSecond = latencies.length / elapsed;
  const served_ = latencies.length + errors;
  const served = stop(name);

  // ---------------------------------------------------------------------------------------------
  const lines = [];
  const say = (s = '') => lines.push(s);
  const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '?');
  const check_ = (ok) => (ok ? 'met' : 'NOT met');
  const [l1, l5] = loadavg();
  say(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 1024 ** 3, 1)} GB RAM, Node ${process.version}, Docker ${docker(['version', '--format', '{{.Server.Version}}'])}; load average at the end ${fmt(l1)} / ${fmt(l5)} (1 / 5 min).`);
  if (opts.server) say(`Serving app: ${opts.server} (--server), not resources/serving/server.py.`);
  say(`Model: LogisticRegression on 4 numeric columns, ${modelBytes} B (joblib); base image ${BASE}; strategy base; the serving app's input path: ${inProcess.array_path ? 'array' : 'DataFrame'}.`);
  say();
  say('| measure | value |');
  say('|---|---:|');
  say(`| base image size | ${fmt(baseSize / 1e6, 1)} MB |`);
  say(`| added on top of the base (version 1 / version 2) | ${fmt(added / 1e3, 1)} kB / ${fmt(added2 / 1e3, 1)} kB |`);
  say(`| first build of version 1 (CLI wall / engine job) | ${fmt(first.seconds)} s / ${fmt(first.out.durationMs / 1000)} s, ${first.out.steps} steps |`);
  say(`| build of version 2 after version 1 (CLI wall / engine job) | ${fmt(second.seconds)} s / ${fmt(second.out.durationMs / 1000)} s |`);
  say(`| layers of version 2 reused from version 1's build | ${reused} of ${v2.length} |`);
  say(`| rebuild of version 2, nothing changed (CLI wall / engine job) | ${fmt(again.seconds)} s / ${fmt(again.out.durationMs / 1000)} s |`);
  say(`| container start to ready (\`docker run\` to 200 on /v2/health/ready), median of ${STARTS} | ${fmt(median(starts))} s (${starts.map((s) => fmt(s)).join(', ')}) |`);
  say(`| \`docker stop\` (SIGTERM to exit), median | ${fmt(median(stops.map((s) => s.seconds)))} s, exit codes ${[...new Set(stops.map((s) => s.code))].join(', ')} |`);
  say(`| in-process model.predict, one-row DataFrame, p50 | ${fmt(inProcess.predict, 3)} ms |`);
  say(`| in-process model.predict + predict_proba, one-row DataFrame, p50 | ${fmt(inProcess.predict_and_proba, 3)} ms |`);
  say(`| in-process serving-app model call (validated row → labels + probabilities), p50 | ${fmt(inProcess.serving_model, 3)} ms |`);
  say(`| POST /predict, one row, sequential keep-alive, p50 / p95 | ${fmt(percentile(sequential, 0.5), 3)} / ${fmt(percentile(sequential, 0.95), 3)} ms |`);
  say(`| ${CLIENTS} concurrent keep-alive clients, ${fmt(elapsed, 1)} s | ${fmt(perSecond, 0)} requests/s, p50 ${fmt(percentile(latencies, 0.5))} ms, p99 ${fmt(percentile(latencies, 0.99))} ms, ${errors} errors |`);
  say(`| CPU per request during that run: the server / the Node clients | ${fmt((cpu.server / served_) * 1e6, 0)} µs / ${fmt((cpu.client / served_) * 1e6, 0)} µs |`);
  say(`| cores busy during that run: the server, the clients, everything else on the machine | ${fmt(cpu.server / elapsed)}, ${fmt(cpu.client / elapsed)}, ${fmt(Math.max(0, cpu.machine - cpu.server - cpu.client) / elapsed)} of ${cpus().length} |`);
  say();
  const limit = modelBytes + 1e6;
  const overhead = percentile(sequential, 0.5) - inProcess.predict;
  say('| target | measured | |');
  say('|---|---|---|');
  say(`| image size added ≤ model + 1 MB (${fmt(limit / 1e6, 3)} MB) | ${fmt(added / 1e6, 3)} MB | ${check_(added <= limit)} |`);
  say(`| rebuild after a model-only change ≤ 3 s | ${fmt(second.seconds)} s (CLI wall; ${v2.length - reused} of ${v2.length} layers rebuilt) | ${check_(second.seconds <= 3)} |`);
  say(`| container start to ready | ${fmt(median(starts))} s | reported |`);
  say(
    `| serving overhead ≤ 1 ms (HTTP p50 − in-process predict p50) | ${fmt(percentile(sequential, 0.5), 3)} − ${fmt(inProcess.predict, 3)} = ${fmt(overhead, 3)} ms (against the serving app's own model call: ${fmt(percentile(sequential, 0.5) - inProcess.serving_model, 3)} ms) | ${check_(overhead <= 1)} |`,
  );
  say(`| ≥ 1500 requests/s, ${CLIENTS} clients, ${cpus().length} cores | ${fmt(perSecond, 0)} requests/s | ${check_(perSecond >= 1500 && errors === 0)} |`);
  const others = Math.max(0, cpu.machine - cpu.server - cpu.client) / elapsed;
  if (others > 0.25) say(`\nNote: other processes kept ${fmt(others)} of the ${cpus().length} cores busy during the throughput run, so the figures above are lower than on an idle machine (one server process can answer at most about ${fmt(served_ / cpu.server, 0)} requests/s at the CPU it used per request).`);
  if (served.code !== 0) say(`\nWarning: the serving container exited ${served.code} on docker stop (expected 0).`);
  console.log(lines.join('\n'));
}

try {
  await main();
} catch (e) {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  cleanup();
  if (opts.keep) console.error(`Kept ${work}`);
}
