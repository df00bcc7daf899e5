'use strict';
// Summarises V8 .cpuprofile files (from BENCH_PROFILE=1): self time per part of the adapter process — codec, mesh,
// states writer, transport, aedes/MQTT, js-controller adapter & DB clients, Node internals, GC, idle — and the
// hottest functions. Usage: node test/bench/profile-summary.js <file.cpuprofile>...
const fs = require('node:fs');
const path = require('node:path');

const CATEGORIES = [
    ['idle', (fn, url) => fn === '(idle)' && !url],
    ['GC', (fn, url) => fn === '(garbage collector)' && !url],
    ['program (native)', (fn, url) => (fn === '(program)' || fn === '(root)') && !url],
    ['adapter: codec', (fn, url) => /\/build\/lib\/codec\//.test(url)],
    ['adapter: mesh model', (fn, url) => /\/build\/lib\/mesh\//.test(url)],
    ['adapter: states writer/mapping', (fn, url) => /\/build\/lib\/states\//.test(url)],
    ['adapter: transport', (fn, url) => /\/build\/lib\/transport\//.test(url)],
    ['adapter: other', (fn, url) => /iobroker\.meshtastic\/build\//.test(url)],
    ['protobuf (@bufbuild, @meshtastic)', (fn, url) => /node_modules\/(@bufbuild|@meshtastic)\//.test(url)],
    [
        'aedes / MQTT',
        (fn, url) =>
            /node_modules\/(aedes|mqemitter|mqtt-packet|aedes-[^/]+|bl|readable-stream|fastfall|fastseries|reusify)\//.test(
                url,
            ),
    ],
    ['js-controller adapter', (fn, url) => /node_modules\/@iobroker\/js-controller-adapter\//.test(url)],
    [
        'js-controller DB clients (redis protocol)',
        (fn, url) => /node_modules\/(@iobroker\/db-|ioredis|redis-parser|@ioredis|denque|cluster-key-slot)/.test(url),
    ],
    ['js-controller common', (fn, url) => /node_modules\/@iobroker\/js-controller-common/.test(url)],
    ['other node_modules', (fn, url) => /node_modules\//.test(url)],
    ['Node.js internals', (fn, url) => url.startsWith('node:') || url === '' || !url.includes('/')],
    ['other', () => true],
];

function summarise(file) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
    const byId = new Map(profile.nodes.map(n => [n.id, n]));
    const counts = new Map();
    for (const id of profile.samples) {
        counts.set(id, (counts.get(id) || 0) + 1);
    }
    const total = profile.samples.length || 1;
    const seconds = (profile.endTime - profile.startTime) / 1e6;
    const perCategory = new Map();
    const perFunction = new Map();
    for (const [id, count] of counts) {
        const node = byId.get(id);
        const fn = node.callFrame.functionName || '(anonymous)';
        const url = node.callFrame.url || '';
        const category = CATEGORIES.find(([, test]) => test(fn, url))[0];
        perCategory.set(category, (perCategory.get(category) || 0) + count);
        const key = `${fn} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/build\//, 'build/')}:${node.callFrame.lineNumber + 1}` : ''}`;
        perFunction.set(key, (perFunction.get(key) || 0) + count);
    }
    const pct = n => `${((n / total) * 100).toFixed(1).padStart(5)} %`;
    const lines = [`${path.basename(file)}: ${seconds.toFixed(1)} s, ${total} samples`];
    for (const [category, count] of [...perCategory].sort((a, b) => b[1] - a[1])) {
        lines.push(`  ${pct(count)}  ${category}`);
    }
    lines.push('  hottest functions (self time):');
    for (const [key, count] of [...perFunction].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
        lines.push(`  ${pct(count)}  ${key}`);
    }
    const busy = total - (perCategory.get('idle') || 0);
    return { text: lines.join('\n'), busyPercent: (busy / total) * 100, perCategory, total };
}

module.exports = { summarise };

if (require.main === module) {
    for (const file of process.argv.slice(2)) {
        console.log(summarise(file).text);
    }
}
