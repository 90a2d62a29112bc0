// The shipped shell bundles, built in memory exactly as build-node.mjs builds them.
import * as esbuild from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES } from '../shared/contract/index.js';
import type { PreloadApi } from '../shared/transport.js';

interface Entry {
  in: string;
  out: string;
}
const { NODE_ENTRIES, nodeBuildOptions } = (await import(new URL('./node-entries.mjs', import.meta.url).href)) as {
  NODE_ENTRIES: Entry[];
  nodeBuildOptions: (e: typeof esbuild, entry: Entry) => Promise<esbuild.BuildOptions>;
};

const bundle = async (out: string) => {
  const entry = NODE_ENTRIES.find((e) => e.out === out)!;
  const result = await esbuild.build({ ...(await nodeBuildOptions(esbuild, entry)), write: false, sourcemap: false, logLevel: 'silent' });
  return { code: result.outputFiles![0]!.text, warnings: result.warnings };
};

const required = (code: string) => [...new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))].sort();

describe('preload bundle', () => {
  it('requires only electron and carries the contract names, not zod', async () => {
    const { code, warnings } = await bundle('dist/electron/preload.cjs');
    expect(warnings).toEqual([]);
    expect(required(code)).toEqual(['electron']);
    // Sandboxed preloads get no reliable `module`; the entry exports nothing.
    expect(code).not.toMatch(/module\.exports|__toCommonJS/);
    expect(code).not.toMatch(/zod/i);
    expect(code.length).toBeLessThan(20_000);
  });

  it('accepts exactly the contract methods and events when run', async () => {
    const { code } = await bundle('dist/electron/preload.cjs');
    const exposeInMainWorld = vi.fn();
    const ipcRenderer = { invoke: vi.fn(async () => ({ ok: true, value: null })), on: vi.fn(), removeListener: vi.fn() };
    const fakeRequire = (id: string) => {
      if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
      return { contextBridge: { exposeInMainWorld }, ipcRenderer };
    };
    // As strict as the oldest sandbox wrapper: require, and no module object.
    new Function('require', code)(fakeRequire);
    const api = exposeInMainWorld.mock.calls[0]![1] as PreloadApi;

    for (const method of METHOD_NAMES) await api.invoke(method, {});
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(METHOD_NAMES.length);
    expect(await api.invoke('__proto__', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    for (const name of EVENT_NAMES) api.subscribe(name, () => {});
    expect(ipcRenderer.on).toHaveBeenCalledTimes(EVENT_NAMES.length);
    expect(() => api.subscribe('constructor', () => {})).toThrow(/Unknown event/);
  });
});

describe('main bundle', () => {
  it('is CommonJS with a working import.meta and its dependencies left external', async () => {
    const { code, warnings } = await bundle('dist/electron/main.cjs');
    expect(warnings).toEqual([]);
    expect(code).toMatch(/^const __importMeta = \{ url: require\("node:url"\)\.pathToFileURL\(__filename\)\.href/);
    expect(required(code)).toEqual(expect.arrayContaining(['electron', 'better-sqlite3', 'zod']));
  });
});
