// electron-builder.yml, loaded and validated by electron-builder itself (packaging cannot run here).
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema check and packs what the app needs', async () => {
    const config = await getConfig(root, null, null);
    await validateConfiguration(config, { isEnabled: false, add: () => {} } as never);
    expect(config).toMatchObject({ appId: 'io.greenhouse.app', productName: 'Greenhouse', npmRebuild: true, directories: { output: 'release' } });
    expect(config.files).toEqual([{ filter: expect.arrayContaining(['dist/**/*', 'package.json']) }]);
    // Native addons must be unpacked to load.
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/@duckdb/**']));
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true, enableNodeOptionsEnvironmentVariable: false });
  });
});
