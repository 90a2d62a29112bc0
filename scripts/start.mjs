// `npm start`: the desktop app when an Electron binary is installed, else browser mode.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  try {
    const rel = readFileSync(join(pkg, 'path.txt'), 'utf8').trim();
    const bin = join(pkg, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
const args = process.argv.slice(2);
const child = bin
  ? spawn(bin, [root, ...args], { stdio: 'inherit' })
  : (console.log('No Electron binary is installed here; starting Greenhouse in browser mode instead.'),
    spawn(process.execPath, [join(root, 'bin', 'greenhouse.js'), 'serve', ...args], { stdio: 'inherit' }));
child.on('exit', (code) => process.exit(code ?? 0));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
