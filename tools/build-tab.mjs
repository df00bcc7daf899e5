// Builds the admin tab (src-admin/tab → admin/tab.js + admin/tab.css) with esbuild: one minified script with
// Leaflet and the cluster plugin inside, so the adapter ships no node_modules to the browser. The output is
// committed (like build/), and CI checks it matches the sources.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
    entryPoints: [path.join(root, 'src-admin/tab/main.ts')],
    outfile: path.join(root, 'admin/tab.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome100', 'firefox100', 'safari15'],
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    tsconfig: path.join(root, 'src-admin/tsconfig.json'),
});
console.log('admin/tab.js and admin/tab.css built');
