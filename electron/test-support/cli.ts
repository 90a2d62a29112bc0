// Run the greenhouse CLI in-process, capturing its output: no Docker, a fresh config folder.
import { PassThrough } from 'node:stream';
import { runCli } from '../host/cli/program.js';
import { tempDir } from './temp.js';

export async function runCliCaptured(args: string[], cwd = tempDir(), env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await runCli(args, { stdout, stderr, cwd, env: { GREENHOUSE_CONFIG_DIR: tempDir(), DOCKER_HOST: 'unix:///nonexistent.sock', ...env } });
  return { code, out, err };
}
