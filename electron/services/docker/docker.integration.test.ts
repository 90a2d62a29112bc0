// Against the real Docker engine and the local base image (scripts/base-image.sh). CI starts
// both and sets CI=true, where a missing engine is a failure; elsewhere the suite says why it skips.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DockerService } from './docker-service.js';
import { buildImage, contextTar } from './image-build.js';

const BASE_IMAGE = process.env.GREENHOUSE_BASE_IMAGE ?? 'greenhouse/python-base:bookworm';
const engine = new DockerService();
const available = await engine.status().then(() => true, () => false);
const baseImage = available && (await engine.client()).docker.getImage(BASE_IMAGE).inspect().then(() => true, () => false);
const runIt = Boolean(available && (await baseImage));
if (!runIt && process.env.CI) throw new Error(`CI needs a running Docker engine and ${BASE_IMAGE} (scripts/base-image.sh).`);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe.skipIf(!runIt)(`real Docker engine with ${BASE_IMAGE} (needs an engine and the base image)`, () => {
  it('reports the engine version', async () => {
    const status = await engine.status();
    expect(status.version).toMatch(/^\d+\.\d+/);
    expect(status.apiVersion).toMatch(/^1\.\d+/);
    expect(status.endpoint).toMatch(/^unix:\/\//);
  });

  it('builds an image from the local base image and serves HTTP from it on loopback', async () => {
    const { docker } = await engine.client();
    const tag = `greenhouse-test/hello:${Date.now()}`;
    const server = [
      'import http.server, os, sys',
      'class H(http.server.BaseHTTPRequestHandler):',
      '    def do_GET(self):',
      '        body = ("hello from " + sys.version.split()[0]).encode()',
      '        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)',
      '    def log_message(self, *a): pass',
      'http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()',
    ].join('\n');
    const log: string[] = [];
    const id = await buildImage(
      docker,
      contextTar({
        Dockerfile: `FROM ${BASE_IMAGE}\nCOPY server.py /app/server.py\nUSER 10001\nCMD ["python3", "/app/server.py"]\n`,
        'server.py': server,
      }),
      { tag, labels: { 'io.greenhouse.test': '1' }, onLog: (l) => log.push(l) },
    );
    expect(id).toMatch(/^sha256:/);
    expect(log.join("\n")).toMatch(/Step 1\/\d+ : FROM greenhouse/);

    const port = await freePort();
    const container = await docker.createContainer({
      Image: tag,
      Env: [`PORT=${port}`],
      HostConfig: { NetworkMode: 'host', AutoRemove: false },
    });
    try {
      await container.start();
      let body = '';
      for (let i = 0; i < 50 && !body; i++) {
        body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text(), () => '');
        if (!body) await new Promise((r) => setTimeout(r, 100));
      }
      expect(body).toMatch(/^hello from 3\.\d+/);
      expect((await container.inspect()).Config.User).toBe('10001');
    } finally {
      await container.remove({ force: true });
      await docker.getImage(tag).remove({ force: true });
    }
  }, 120_000);

  it('rejects a failing build with the engine message and a remedy', async () => {
    const { docker } = await engine.client();
    await expect(
      buildImage(docker, contextTar({ Dockerfile: `FROM ${BASE_IMAGE}\nRUN exit 3\n` }), { tag: `greenhouse-test/broken:${Date.now()}` }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/returned a non-zero code: 3/), remedy: expect.stringMatching(/build log/) });
  }, 60_000);
});

describe('docker CLI sanity', () => {
  it.skipIf(!runIt)('sees the same engine as the service', async () => {
    const cli = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim();
    expect((await engine.status()).version).toBe(cli);
  });
});
