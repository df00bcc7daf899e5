#!/usr/bin/env node
// @meshtastic/protobufs ships working ESM JavaScript but a broken declaration bundle: its `types`
// points to a file that does not exist, and the real bundle exports namespace names it never declares.
// This script derives a correct declaration module from what the package itself ships, so that every
// message, schema and enum is fully typed. It runs before build, check, lint and tests; the output
// lives in .types/ (git-ignored) and tsconfig maps the package name onto it.
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const pkgDir = dirname(require.resolve('@meshtastic/protobufs/package.json'));
const dist = join(pkgDir, 'dist');
const js = readFileSync(join(dist, 'mod.js'), 'utf8');
const dtsName = readdirSync(dist).find(f => /^mod.*\.d\.ts$/.test(f));
if (!dtsName) {
    throw new Error(`no declaration bundle found in ${dist}`);
}
let dts = readFileSync(join(dist, dtsName), 'utf8');

// Which runtime names belong to which namespace: read the bundle's own export tables.
const tables = new Map();
for (const m of js.matchAll(/var (\w+_pb)_exports = \/\* @__PURE__ \*\/ __exportAll\(\{([^}]*)\}\)/g)) {
    tables.set(m[1], [...m[2].matchAll(/^\s*(\w+): \(\) =>/gm)].map(x => x[1]));
}
const finalExport = js.match(/^export \{([^}]*)\};?\s*$/m);
if (!finalExport || tables.size === 0) {
    throw new Error('unexpected layout of @meshtastic/protobufs/dist/mod.js');
}
const namespaces = [...finalExport[1].matchAll(/(\w+_pb)_exports as (\w+)/g)].map(m => ({ file: m[1], ns: m[2] }));

// Drop the broken export line and the runtime-only import; export every top-level declaration.
dts = dts.replace(/^import \{ t as __exportAll \}.*$/m, '').replace(/^export \{[^}]*\};?\s*$/m, '');
const declared = new Set([...dts.matchAll(/^(?:declare )?(?:const|type|enum|interface|class|function) (\w+)/gm)].map(m => m[1]));

const outDir = join(root, '.types', 'meshtastic-protobufs');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'all.d.ts'), `${dts}\nexport { ${[...declared].sort().join(', ')} };\n`);
const index = [];
for (const { file, ns } of namespaces) {
    const names = new Set();
    for (const name of tables.get(file) ?? []) {
        names.add(name);
        const type = name.endsWith('Schema') ? name.slice(0, -'Schema'.length) : '';
        if (type && declared.has(type)) {
            names.add(type);
        }
    }
    const missing = [...names].filter(n => !declared.has(n));
    if (missing.length) {
        throw new Error(`${ns}: no declaration for ${missing.join(', ')}`);
    }
    writeFileSync(join(outDir, `${ns}.d.ts`), `export { ${[...names].sort().join(', ')} } from './all';\n`);
    index.push(`export * as ${ns} from './${ns}';`);
}
writeFileSync(join(outDir, 'index.d.ts'), `${index.join('\n')}\n`);
