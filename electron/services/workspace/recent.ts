import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { RecentWorkspace } from '../../../shared/contract/index.js';
import { writeFileAtomic } from '../fs/atomic-write.js';

const MAX_RECENT = 12;
const fileSchema = z.object({
  recent: z.array(z.object({ path: z.string(), name: z.string(), openedAt: z.string() })).default([]),
});

/** Recent workspaces, remembered per user in the user's config folder. */
export class RecentWorkspaces {
  private readonly file: string;

  constructor(configDir: string) {
    this.file = join(configDir, 'recent-workspaces.json');
  }

  private load() {
    try {
      return fileSchema.parse(JSON.parse(readFileSync(this.file, 'utf8'))).recent;
    } catch {
      // Missing or damaged: start again rather than refuse to start.
      return [];
    }
  }

  list(): RecentWorkspace[] {
    return this.load().map((r) => ({ ...r, exists: existsSync(r.path) }));
  }

  async add(path: string, name: string): Promise<void> {
    const abs = resolve(path);
    const rest = this.load().filter((r) => r.path !== abs);
    const recent = [{ path: abs, name, openedAt: new Date().toISOString() }, ...rest].slice(0, MAX_RECENT);
    await writeFileAtomic(this.file, JSON.stringify({ recent }, null, 2));
  }

  async forget(path: string): Promise<RecentWorkspace[]> {
    const abs = resolve(path);
    const recent = this.load().filter((r) => r.path !== abs);
    await writeFileAtomic(this.file, JSON.stringify({ recent }, null, 2));
    return this.list();
  }
}

/** The per-user config folder, following each platform's convention. */
export function defaultConfigDir(env = process.env, platform = process.platform, home = env.HOME ?? env.USERPROFILE ?? '.'): string {
  if (env.GREENHOUSE_CONFIG_DIR) return env.GREENHOUSE_CONFIG_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Greenhouse');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Greenhouse');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'greenhouse');
}
