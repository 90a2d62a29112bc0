// The Node-side entry points and their esbuild options; used by build-node.mjs and by the
// test that checks the shipped preload bundle (scripts/preload-bundle.test.ts).

export const NODE_ENTRIES = [
  { in: 'electron/host/cli.ts', out: 'dist/host/cli.js', format: 'esm' },
  { in: 'electron/services/jobs/job-worker.ts', out: 'dist/host/job-worker.js', format: 'esm' },
  { in: 'electron/main/main.ts', out: 'dist/electron/main.cjs', format: 'cjs', cjsImportMeta: true },
  { in: 'electron/preload/preload.ts', out: 'dist/electron/preload.cjs', format: 'cjs', bundleAll: true, contractNamesOnly: true },
];

/**
 * CJS has no import.meta; give the bundle a real one (its own file URL) so code written for ESM
 * (the job manager's default worker path) keeps working instead of reading an empty object.
 */
const CJS_IMPORT_META =
  'const __importMeta = { url: require("node:url").pathToFileURL(__filename).href, ' +
  'resolve: (s) => require("node:url").pathToFileURL(require.resolve(s)).href };';

/**
 * The preload needs only the contract's method and event names. Loading the contract here at
 * build time and handing the preload a names-only module keeps zod (about 750 kB) out of it.
 */
async function contractNamesPlugin(esbuild) {
  const built = await esbuild.build({
    entryPoints: ['shared/contract/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'error',
  });
  const code = Buffer.from(built.outputFiles[0].contents).toString('base64');
  const { METHOD_NAMES, EVENT_NAMES } = await import(`data:text/javascript;base64,${code}`);
  const contents = [
    `export const METHOD_NAMES = Object.freeze(${JSON.stringify(METHOD_NAMES)});`,
    `export const EVENT_NAMES = Object.freeze(${JSON.stringify(EVENT_NAMES)});`,
    'export const isMethodName = (name) => typeof name === "string" && METHOD_NAMES.includes(name);',
    'export const isEventName = (name) => typeof name === "string" && EVENT_NAMES.includes(name);',
  ].join('\n');
  return {
    name: 'greenhouse-contract-names',
    setup(build) {
      build.onLoad({ filter: /[\\/]shared[\\/]contract[\\/]index\.ts$/ }, () => ({ contents, loader: 'js' }));
    },
  };
}

/** esbuild options for one entry (esbuild passed in: it may not be installed). */
export async function nodeBuildOptions(esbuild, e) {
  return {
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: e.format,
    sourcemap: true,
    // The sandboxed preload cannot require anything but 'electron', so it bundles everything else.
    packages: e.bundleAll ? undefined : 'external',
    external: ['electron'],
    logLevel: 'warning',
    ...(e.cjsImportMeta ? { define: { 'import.meta': '__importMeta' }, banner: { js: CJS_IMPORT_META } } : {}),
    ...(e.contractNamesOnly ? { plugins: [await contractNamesPlugin(esbuild)] } : {}),
  };
}
