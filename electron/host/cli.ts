// Entry point of the `greenhouse` command (bundled to dist/host/cli.js).
import { runCli } from './cli/program.js';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
