// Electron entry point (bundled to dist/electron/main.cjs, package.json "main").
import { startApp } from './lifecycle.js';

startApp();
