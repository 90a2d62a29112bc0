// `greenhouse package` end to end against the real Docker engine and the local base image, for
// the three models of the models issue (a classifier, a regressor, a mixed-type pipeline):
// write, build, smoke-test on host networking, export; then verify the archives on their own,
// one with its image (loaded again into the engine and smoke-tested again), a tampered one, a
// base image whose scikit-learn differs from the analyst's, and Docker down.
// CI starts the engine and the base image and sets CI=true, where a missing engine is a failure.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../test-support/cli.js';
import { DEBIAN_PYTHON, trainModel, writeCustomersCsv, type TestModelKind } from '../../test-support/models.js';
import { DockerService } from '../docker/docker-service.js';
import { parseManifest } from './manifest.js';

const BASE_IMAGE = process.env.GREENHOUSE_BASE_IMAGE ?? 'greenhouse/python-base:bookworm';
const SKEWED_BASE = 'greenhouse-test/skewed-base:1';
const engine = new DockerService();
const available = await engine.status().then(() => true, () => false);
const hasBase = available && (await (await engine.client()).docker.getImage(BASE_IMAGE).inspect().then(() => true, () => false));
const runIt = Boolean(available && hasBase);
if (!runIt && process.env.CI) throw new Error(`CI needs a running Docker engine and ${BASE_IMAGE} (scripts/base-image.sh).`);

const DOCKER_ENV = { DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock' };
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

interface PackageJson {
  bundleDir: string;
  archive: string | null;
  export: { sha256: string; bytes: number; includesImage: boolean } | null;
  image: { id: string; tag: string; size: number | null } | null;
  build: { state: string; reason: string };
  smoke: {
    passed: boolean;
    parity: { examples: number; matched: number; mismatched: number; maxDifference: number | null; tolerance: number };
    latencyMs: { p50: number | null; p95: number | null };
    malformedRejected: boolean;
    failed: string[];
  } | null;
}

describe.skipIf(!runIt)(`greenhouse package and verify on ${BASE_IMAGE} (needs an engine and the base image)`, () => {
  let root: string;
  let ws: string;
  const cli = (args: string[], env: NodeJS.ProcessEnv = DOCKER_ENV) => runCliCaptured([...args, '--workspace', ws], ws, env);
  const packaged = new Map<TestModelKind, PackageJson>();

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gh-package-'));
    ws = join(root, 'ws');
    expect((await runCliCaptured(['init', ws])).code).toBe(0);
    mkdirSync(join(ws, 'data'));
    const csv = writeCustomersCsv(join(ws, 'data', 'customers.csv'), 300);
    expect((await cli(['dataset', 'add', csv, '--name', 'customers'])).code).toBe(0);
    for (const [kind, target] of [['classifier', 'churned'], ['regressor', 'spend'], ['pipeline', 'churned']] as const) {
      const model = trainModel(csv, join(ws, `${kind}.joblib`), kind);
      const added = await cli(['model', 'add', model, '--name', kind, '--dataset', 'customers', '--target', target, '--python', DEBIAN_PYTHON, '--sample-size', '30']);
      expect(added.code, added.err).toBe(0);
    }
  }, 180_000);

  afterAll(async () => {
    const { docker } = await engine.client();
    for (const tag of ['greenhouse/classifier:1', 'greenhouse/regressor:1', 'greenhouse/pipeline:1', SKEWED_BASE]) {
      await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it.each(['classifier', 'regressor', 'pipeline'] as const)('packages the %s: written, built, smoke-tested with every golden example matching, exported', async (kind) => {
    const args = ['package', kind, '--strategy', 'base', '--base', BASE_IMAGE, '--network', 'host', '--json'];
    // The classifier goes with its image, for the air-gapped verify below.
    const r = await cli(kind === 'classifier' ? [...args, '--include-image'] : args);
    expect(r.code, r.err + r.out).toBe(0);
    const out = JSON.parse(r.out) as PackageJson;
    packaged.set(kind, out);
    expect(out.bundleDir).toBe(join(ws, 'bundles', `${kind}-1`));
    expect(out.image).toMatchObject({ id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), tag: `greenhouse/${kind}:1` });
    expect(out.image!.size).toBeGreaterThan(0);
    expect(out.build.state).toBe('built');
    expect(out.smoke).toMatchObject({ passed: true, malformedRejected: true, failed: [] });
    expect(out.smoke!.parity).toMatchObject({ examples: 30, matched: 30, mismatched: 0 });
    expect(out.smoke!.parity.maxDifference!).toBeLessThanOrEqual(out.smoke!.parity.tolerance);
    expect(out.smoke!.latencyMs.p50).toBeGreaterThan(0);
    expect(out.smoke!.latencyMs.p95).toBeGreaterThanOrEqual(out.smoke!.latencyMs.p50!);
    expect(out.archive).toBe(join(ws, 'bundles', `${kind}-1.tar.gz`));
    expect(out.export).toMatchObject({ includesImage: kind === 'classifier', sha256: sha256(out.archive!) });

    // The build signed the image id into the manifest, so the archive names its exact image.
    const manifest = parseManifest(readFileSync(join(out.bundleDir, 'manifest.json')));
    expect(manifest.image).toMatchObject({ id: out.image!.id, tag: `greenhouse/${kind}:1`, base: BASE_IMAGE });

    const listed = JSON.parse((await cli(['bundle', 'list', '--json'])).out) as { name: string; status: string; lastExport: { sha256: string } | null }[];
    expect(listed.find((b) => b.name === kind)).toMatchObject({ status: 'tested', lastExport: { sha256: out.export!.sha256 } });
  }, 600_000);

  it('exports deterministically: the same bundle gives the same archive bytes, whatever the files\' times', async () => {
    const first = packaged.get('regressor')!;
    const again = await cli(['bundle', 'export', 'regressor', '--json']);
    expect(again.code, again.err).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ sha256: first.export!.sha256, bytes: first.export!.bytes });
    utimesSync(join(first.bundleDir, 'Dockerfile'), new Date('2030-01-01'), new Date('2030-01-01'));
    const touched = await cli(['bundle', 'export', 'regressor', '--json']);
    expect(JSON.parse(touched.out).sha256).toBe(first.export!.sha256);
    // With the image too: docker save of one image gives the same bytes.
    const withImage = packaged.get('classifier')!;
    const again2 = await cli(['bundle', 'export', 'classifier', '--with-image', '--json']);
    expect(again2.code, again2.err).toBe(0);
    expect(JSON.parse(again2.out)).toMatchObject({ sha256: withImage.export!.sha256, includesImage: true, imageId: withImage.image!.id });
  }, 180_000);

  it('verifies an archive that includes its image on a machine without it: loads the image and reruns the smoke test', async () => {
    const out = packaged.get('classifier')!;
    const { docker } = await engine.client();
    // As if on the operations team's machine: the image is not there until verify loads it.
    await docker.getImage(out.image!.tag).remove({ force: true });
    await expect(docker.getImage(out.image!.id).inspect()).rejects.toThrow();
    const copy = join(root, 'received', 'classifier-1.tar.gz');
    mkdirSync(join(root, 'received'));
    writeFileSync(copy, readFileSync(out.archive!));
    const r = await runCliCaptured(['verify', copy, '--network', 'host', '--json'], join(root, 'received'), DOCKER_ENV);
    expect(r.code, r.err + r.out).toBe(0);
    const report = JSON.parse(r.out) as { ok: boolean; image: { present: boolean; ok: boolean }; rerun: { state: string; smoke: { passed: boolean; image: { id: string }; parity: { examples: number } } }; checks: { id: string; ok: boolean }[] };
    expect(report).toMatchObject({ ok: true, valid: true, problems: [] });
    expect(report.image).toMatchObject({ present: true, ok: true });
    expect(report.rerun).toMatchObject({ state: 'passed', smoke: { passed: true, image: { id: out.image!.id }, parity: { examples: 30 } } });
    expect(report.checks.find((c) => c.id === 'rerun')).toMatchObject({ ok: true });
    expect((await docker.getImage(out.image!.tag).inspect()).Id).toBe(out.image!.id);

    // --no-rerun checks the hashes only.
    const quick = await runCliCaptured(['verify', copy, '--no-rerun', '--json'], join(root, 'received'), DOCKER_ENV);
    expect(JSON.parse(quick.out)).toMatchObject({ ok: true, rerun: { state: 'skipped', reason: expect.stringMatching(/--no-rerun/) } });

    // The operations team reviews the archive in their own workspace: the review is written into
    // it, the image travels on unchanged, and the archive still verifies.
    const ops = join(root, 'ops');
    expect((await runCliCaptured(['init', ops])).code).toBe(0);
    const reviewed = await runCliCaptured(['review', copy, '--approve', '--summary', 'Loaded and smoke-tested here.', '--json', '--workspace', ops], join(root, 'received'), DOCKER_ENV);
    expect(reviewed.code, reviewed.err).toBe(0);
    expect(JSON.parse(reviewed.out)).toMatchObject({ includesImage: true, pendingReviews: 0, lastReview: { decision: 'approve' } });
    const after = JSON.parse((await runCliCaptured(['verify', copy, '--no-rerun', '--json'], join(root, 'received'), DOCKER_ENV)).out) as typeof report;
    expect(after).toMatchObject({ ok: true, image: { present: true, ok: true } });
    expect(after.checks.find((c) => c.id === 'reviews')).toMatchObject({ ok: true });
  }, 600_000);

  it('rejects a tampered archive and a tampered folder, naming the file', async () => {
    const out = packaged.get('pipeline')!;
    const work = join(root, 'tamper');
    mkdirSync(work);
    execFileSync('tar', ['-xzf', out.archive!, '-C', work]);
    const golden = join(work, 'pipeline-1', 'model', 'golden.json');
    // One golden value changed: still valid JSON, a different answer.
    const text = readFileSync(golden, 'utf8');
    const changed = text.replace(/("predictions":\s*\[\s*)(-?[\d.]+)/, (_m, head: string, v: string) => `${head}${Number(v) + 1}`);
    expect(changed).not.toBe(text);
    writeFileSync(golden, changed);
    const tampered = join(root, 'pipeline-1-tampered.tar.gz');
    execFileSync('tar', ['-czf', tampered, '-C', work, 'pipeline-1']);
    const r = await runCliCaptured(['verify', tampered, '--json'], root, DOCKER_ENV);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { ok: boolean; valid: boolean; problems: string[]; files: { mismatched: { path: string }[] }; rerun: { state: string } };
    expect(report.ok).toBe(false);
    expect(report.valid).toBe(false);
    expect(report.problems.join(' ')).toContain('model/golden.json');
    expect(report.files.mismatched.map((m) => m.path)).toEqual(['model/golden.json']);
    expect(report.rerun.state).toBe('skipped');

    const folder = await runCliCaptured(['verify', join(work, 'pipeline-1')], root, DOCKER_ENV);
    expect(folder.code).toBe(1);
    expect(folder.out).toMatch(/FAIL .*model\/golden\.json/);
  }, 120_000);

  it('greenhouse check, attest, review and report: gates, the score and its minimum rule, an archive checked offline', async () => {
    const check = await cli(['check', 'pipeline', '--json']);
    expect(check.code, check.err).toBe(0);
    const r = JSON.parse(check.out) as { passed: boolean; gatesPassed: boolean; gates: { id: string; passed: boolean }[]; score: { data: number; model: number; infrastructure: number; monitoring: number; final: number }; checks: { id: string; section: string; status: string; points: number; evidence: unknown[]; remedy: string | null }[] };
    expect(r.passed).toBe(true);
    expect(r.gates.every((x) => x.passed)).toBe(true);
    expect(r.checks).toHaveLength(28);
    const byId = Object.fromEntries(r.checks.map((c) => [c.id, c]));
    // What the real bundle earns on its own: the smoke test, parity, tests in the image, pins.
    for (const id of ['data.1', 'data.4', 'data.5', 'data.7', 'infrastructure.2', 'infrastructure.3', 'infrastructure.4', 'infrastructure.6', 'infrastructure.7', 'monitoring.2', 'monitoring.5', 'monitoring.6', 'monitoring.7']) {
      expect(byId[id], id).toMatchObject({ status: 'pass', points: 1 });
    }
    expect(byId['data.3']).toMatchObject({ status: 'fail', points: 0, remedy: expect.stringMatching(/^Attest/) });
    expect(check.err + (await cli(['check', 'pipeline'])).out).toContain('greenhouse attest pipeline@1 data.3 --note');
    const sum = (section: string) => r.checks.filter((c) => c.section === section).reduce((n, c) => n + c.points, 0);
    for (const section of ['data', 'model', 'infrastructure', 'monitoring'] as const) expect(r.score[section]).toBe(sum(section));
    expect(r.score.final).toBe(Math.min(r.score.data, r.score.model, r.score.infrastructure, r.score.monitoring));

    // --min-score above the weakest section fails, naming it.
    const strict = await cli(['check', 'pipeline', '--min-score', String(r.score.final + 1)]);
    expect(strict.code).toBe(1);
    expect(strict.out).toMatch(/below --min-score/);

    // Two attestations in the weakest section (model) raise it by half a point each.
    expect((await cli(['attest', 'pipeline', 'model.3', '--note', 'Grid search over C in 0.01..10, 5-fold CV.'])).code).toBe(0);
    const after = JSON.parse((await cli(['attest', 'pipeline', 'model.7', '--note', 'Reviewed error rates per plan and age band.', '--json'])).out) as { score: { model: number }; checks: { id: string; basis: string }[] };
    expect(after.score.model).toBe(r.score.model + 1);
    expect(after.checks.find((c) => c.id === 'model.3')).toMatchObject({ basis: 'attested' });
    expect((await cli(['attest', 'pipeline', 'infrastructure.3', '--note', 'ran it'])).code).toBe(1);

    const reviewed = await cli(['review', 'pipeline', '--request-changes', '--comment', 'model.1=Write the intended use.', '--json']);
    expect(reviewed.code, reviewed.err).toBe(0);
    expect(JSON.parse(reviewed.out).reviews).toEqual([expect.objectContaining({ decision: 'request-changes', comments: [{ checkId: 'model.1', text: 'Write the intended use.' }] })]);

    // The exported archive carries readiness.json and the signed reviews; check reads it offline.
    const exported = await cli(['bundle', 'export', 'pipeline', '--json']);
    expect(exported.code, exported.err).toBe(0);
    const archive = JSON.parse(exported.out).archive as string;
    const offline = await runCliCaptured(['check', archive, '--json'], root);
    expect(offline.code, offline.err).toBe(0);
    expect(JSON.parse(offline.out)).toMatchObject({ passed: true, score: { model: after.score.model }, reviews: [{ decision: 'request-changes' }] });
    const verified = await runCliCaptured(['verify', archive, '--json'], root, DOCKER_ENV);
    expect((JSON.parse(verified.out) as { checks: { id: string; ok: boolean }[] }).checks.filter((c) => ['reviews', 'readiness'].includes(c.id))).toEqual([
      expect.objectContaining({ id: 'reviews', ok: true }),
      expect.objectContaining({ id: 'readiness', ok: true }),
    ]);

    const json = await cli(['report', 'pipeline', '--format', 'json', '--out', join(root, 'readiness.json')]);
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'readiness.json'), 'utf8'))).toMatchObject({ schema: 'greenhouse.readiness/1', bundle: { name: 'pipeline', version: 1 } });
    // The reviewer's report of the real bundle: HTML into the bundle folder, its PDF through headless Chromium.
    const html = await cli(['report', 'pipeline', '--format', 'html', '--json']);
    expect(html.code, html.err).toBe(0);
    const page = readFileSync(JSON.parse(html.out).path as string, 'utf8');
    expect(JSON.parse(html.out).path).toBe(join(ws, 'bundles', 'pipeline-1', 'readiness-report.html'));
    expect(page).toContain("default-src 'none'");
    expect(page).toContain('Write the intended use.');
    const pdf = await cli(['report', 'pipeline', '--format', 'pdf', '--out', join(root, 'report.pdf')]);
    expect(pdf.code, pdf.err).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', join(root, 'report.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toMatch(/pipeline/);
    expect(text).toMatch(/Training is reproducible/);
    expect(text).toMatch(/Grid search over C/);
  }, 240_000);

  it('refuses a base image whose scikit-learn differs from the analyst\'s: the build names both versions, nothing is exported', async () => {
    // A base image that claims another scikit-learn (its metadata says 1.3.2; the model was trained with 1.2.1).
    const context = join(root, 'skewed');
    mkdirSync(context);
    writeFileSync(
      join(context, 'Dockerfile'),
      `FROM ${BASE_IMAGE}\nUSER root\nRUN python3 -c "import importlib.metadata as m, pathlib, re; d = m.distribution('scikit-learn'); p = pathlib.Path(d._path) / ('METADATA' if (pathlib.Path(d._path) / 'METADATA').exists() else 'PKG-INFO'); p.write_text(re.sub(r'(?m)^Version: .*$', 'Version: 1.3.2', p.read_text()))" && python3 -c "import importlib.metadata as m; assert m.version('scikit-learn') == '1.3.2'"\n`,
    );
    execFileSync('docker', ['build', '-q', '-t', SKEWED_BASE, context], { env: { ...process.env, ...DOCKER_ENV }, stdio: 'pipe' });
    const before = readdir(join(ws, 'bundles'));
    const r = await cli(['package', 'classifier', '--strategy', 'base', '--base', SKEWED_BASE, '--network', 'host', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as PackageJson;
    expect(out.build.state).toBe('failed');
    expect(out.build.reason).toMatch(/scikit-learn: the model needs 1\.2\.1, the base image has 1\.3\.2/);
    expect(out.image).toBeNull();
    expect(out.archive).toBeNull();
    expect(readdir(join(ws, 'bundles'))).toEqual(before);
    const listed = JSON.parse((await cli(['bundle', 'list', '--json'])).out) as { name: string; status: string }[];
    expect(listed.find((b) => b.name === 'classifier')).toMatchObject({ status: 'build-failed' });
  }, 300_000);

  it('with Docker down still writes the bundle, says the build was skipped and how to fix it, and exports it only with a recorded reason', async () => {
    const down = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const r = await cli(['package', 'regressor', '--strategy', 'base', '--base', BASE_IMAGE, '--json'], down);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out) as PackageJson & { gatesFailed: string[] };
    expect(out.bundleDir).toBe(join(ws, 'bundles', 'regressor-1'));
    expect(out.build).toMatchObject({ state: 'skipped', reason: expect.stringMatching(/nonexistent\/docker\.sock/) });
    expect(out.image).toBeNull();
    expect(out.smoke).toBeNull();
    // Without an image the hand-off gates fail, so it does not leave unless someone says why.
    expect(out.archive).toBeNull();
    expect(out.gatesFailed).toEqual(['image-builds', 'smoke-test', 'golden-parity']);
    const human = await cli(['package', 'regressor', '--strategy', 'base', '--base', BASE_IMAGE], down);
    expect(human.code).toBe(1);
    expect(human.err).toMatch(/The bundle was written, but its image was not built: .*It was not exported: the gates image-builds, smoke-test, golden-parity fail without the image/s);
    expect(human.err).toMatch(/what to do: .*--override-gates/);

    const overridden = await cli(['package', 'regressor', '--strategy', 'base', '--base', BASE_IMAGE, '--override-gates', 'Operations build it in their own CI.', '--json'], down);
    expect(overridden.code).toBe(1);
    const o = JSON.parse(overridden.out) as PackageJson;
    expect(o.archive).toBe(join(ws, 'bundles', 'regressor-1.tar.gz'));
    const listing = execFileSync('tar', ['-tzf', o.archive!], { encoding: 'utf8' });
    expect(listing).toContain('regressor-1/readiness.json');
    const audit = JSON.parse((await cli(['audit', '--json'])).out) as { action: string; details: { gate?: string; reason?: string } }[];
    expect(audit.filter((a) => a.action === 'readiness.gate_overridden').map((a) => a.details.gate).sort()).toEqual(['golden-parity', 'image-builds', 'smoke-test']);
  }, 120_000);
});

function readdir(dir: string): string[] {
  return execFileSync('ls', ['-A', dir], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}
