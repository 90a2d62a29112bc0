// The import boundaries of style.md, checked by running the project's real ESLint config on
// code placed (virtually) in each folder.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });
const messages = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('import boundaries', () => {
  it.each([
    ['shared/contract/x.ts', `import { app } from 'electron';`],
    ['shared/x.ts', `import { readFileSync } from 'node:fs';`],
    ['shared/x.ts', `import { Backend } from '../electron/services/backend.js';`],
    ['shared/x.ts', `import { App } from '../renderer/src/app/App.js';`],
    ['renderer/src/x.ts', `import { ipcRenderer } from 'electron';`],
    ['renderer/src/x.ts', `import { Backend } from '../../electron/services/backend.js';`],
    ['renderer/src/x.ts', `import { join } from 'node:path';`],
    ['electron/services/x.ts', `import { app } from 'electron';`],
    ['electron/services/x.ts', `import { startHost } from '../host/http-host.js';`],
    ['electron/services/x.ts', `import { createWindow } from '../main/window.js';`],
    ['electron/host/x.ts', `import { BrowserWindow } from 'electron';`],
    ['electron/host/x.ts', `import { createWindow } from '../main/window.js';`],
    ['electron/main/window.ts', `import { ipcMain } from 'electron';`],
    ['electron/main/x.ts', `import { App } from '../../renderer/src/app/App.js';`],
    ['electron/preload/x.ts', `import { Backend } from '../services/backend.js';`],
  ])('%s may not: %s', async (file, code) => {
    expect(await messages(file, code)).not.toEqual([]);
  });

  it.each([
    ['shared/x.ts', `import { z } from 'zod';\nimport { methods } from './contract/index.js';`],
    ['renderer/src/x.ts', `import { methods } from '../../shared/contract/index.js';`],
    ['electron/services/x.ts', `import { readFileSync } from 'node:fs';\nimport { methods } from '../../shared/contract/index.js';`],
    ['electron/host/x.ts', `import { Backend } from '../services/backend.js';`],
    ['electron/main/ipc-adapter.ts', `import { ipcMain } from 'electron';`],
    ['electron/main/window.ts', `import { BrowserWindow } from 'electron';\nimport { Backend } from '../services/backend.js';`],
    ['electron/preload/x.ts', `import { contextBridge, ipcRenderer } from 'electron';`],
  ])('%s may: %s', async (file, code) => {
    expect(await messages(file, code)).toEqual([]);
  });
});
