// Bundle the designer's browser code with bpmn-js and dmn-js from node_modules into webapp/static/vendor/designer/
// (gitignored; `make install` runs this). Run from the repository root: `node webapp/static/designer/build.mjs`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, '../vendor/designer');

await build({
  entryPoints: {
    modeler: path.join(here, 'src/modeler.js'),
    viewer: path.join(here, 'src/viewer.js'),
    tables: path.join(here, 'src/tables.js'),
    'tables-style': path.join(here, 'src/tables.css'),
    'modeler-style': path.join(here, 'src/modeler.css'),
    'viewer-style': path.join(here, 'src/viewer.css'),
  },
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  outdir,
  jsx: 'automatic',
  jsxImportSource: '@bpmn-io/properties-panel/preact',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file', '.json': 'json' },
  assetNames: 'assets/[name]-[hash]',
  legalComments: 'linked',
  logLevel: 'warning',
});
console.log(`designer bundles written to ${path.relative(process.cwd(), outdir)}`);
