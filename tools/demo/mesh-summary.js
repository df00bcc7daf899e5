'use strict';
// What the adapter wrote, read back from the states DB (nodes, counters, the last text), and the demo's printed
// summary and addresses.
const { log } = require('./log');
const { ADAPTER, INSTANCE, ROOT_TOPIC } = require('./options');
const { HOST } = require('./ports');

async function getStates(states, ids) {
    if (!ids.length) {
        return {};
    }
    const vals = await states.getStates(ids);
    const out = {};
    ids.forEach((id, i) => {
        out[id] = vals[i];
    });
    return out;
}

/** Nodes and counters as the adapter wrote them. */
async function readMesh(states) {
    const prefix = `${INSTANCE}.nodes.`;
    const keys = (await states.getKeys(`${prefix}*`)) || [];
    const nodes = new Map();
    for (const key of keys) {
        const hex = key.slice(prefix.length).split('.')[0];
        if (!/^[0-9a-f]{8}$/i.test(hex)) {
            continue;
        }
        if (!nodes.has(hex)) {
            nodes.set(hex, {});
        }
        nodes.get(hex)[key.slice(prefix.length + hex.length + 1)] = key;
    }
    const wanted = [
        'info.longName',
        'info.shortName',
        'info.hwModel',
        'position.latitude',
        'position.longitude',
        'telemetry.device.batteryLevel',
        'telemetry.environment.temperature',
    ];
    const ids = [];
    for (const n of nodes.values()) {
        for (const w of wanted) {
            if (n[w]) {
                ids.push(n[w]);
            }
        }
    }
    const statIds = ['received', 'decoded', 'duplicates', 'undecryptable', 'invalid'].map(
        s => `${INSTANCE}.stats.${s}`,
    );
    const vals = await getStates(states, [
        ...ids,
        ...statIds,
        `${INSTANCE}.messages.last`,
        `${INSTANCE}.info.connection`,
    ]);
    const val = id => (id && vals[id] ? vals[id].val : undefined);
    const list = [...nodes.entries()].map(([hex, n]) => {
        const v = w => val(n[w]);
        return {
            hex,
            longName: v('info.longName'),
            shortName: v('info.shortName'),
            hwModel: v('info.hwModel'),
            lat: v('position.latitude'),
            lon: v('position.longitude'),
            battery: v('telemetry.device.batteryLevel'),
            temperature: v('telemetry.environment.temperature'),
            states: Object.keys(n).length,
        };
    });
    list.sort((a, b) => (b.longName ? 1 : 0) - (a.longName ? 1 : 0) || b.states - a.states);
    const stats = {};
    for (const id of statIds) {
        if (val(id) !== undefined && val(id) !== null) {
            stats[id.split('.').pop()] = val(id);
        }
    }
    let lastText;
    const last = val(`${INSTANCE}.messages.last`);
    if (typeof last === 'string' && last) {
        try {
            const m = JSON.parse(last);
            lastText = `${m.fromName || m.fromId || m.from || '?'}: ${JSON.stringify(m.text)}`;
        } catch {
            lastText = last.slice(0, 120);
        }
    }
    return { nodes: list, stats, lastText, connected: val(`${INSTANCE}.info.connection`) };
}

function fmtNum(v, digits) {
    return typeof v === 'number' ? v.toFixed(digits) : String(v);
}

function printSummary(mesh, max = 12) {
    const named = mesh.nodes.filter(n => n.longName);
    log(`decoded mesh data (read back from the states DB): ${mesh.nodes.length} nodes, ${named.length} with names`);
    for (const n of mesh.nodes.slice(0, max)) {
        const parts = [`!${n.hex}`];
        parts.push(n.longName ? `${n.longName}${n.shortName ? ` (${n.shortName})` : ''}` : '(no name yet)');
        if (n.hwModel) {
            parts.push(String(n.hwModel));
        }
        if (n.lat !== undefined && n.lat !== null && n.lon !== undefined && n.lon !== null) {
            parts.push(`at ${fmtNum(n.lat, 4)}, ${fmtNum(n.lon, 4)}`);
        }
        if (n.battery !== undefined && n.battery !== null) {
            parts.push(`battery ${n.battery} %`);
        }
        if (n.temperature !== undefined && n.temperature !== null) {
            parts.push(`${fmtNum(n.temperature, 1)} °C`);
        }
        console.log(`      ${parts.join('  ')}`);
    }
    if (mesh.nodes.length > max) {
        console.log(`      … and ${mesh.nodes.length - max} more`);
    }
    const stats = Object.entries(mesh.stats).map(([k, v]) => `${k} ${v}`);
    if (stats.length) {
        console.log(`      packets: ${stats.join(', ')}`);
    }
    if (mesh.lastText) {
        console.log(`      last text: ${mesh.lastText}`);
    }
}

function printUrls(opts) {
    const base = `http://${HOST}:${opts.adminPort}`;
    console.log('');
    console.log(`  ioBroker admin:   ${base}/#tab-objects   (objects tab: open ${ADAPTER} → 0 → nodes)`);
    console.log(`  adapter settings: ${base}/#tab-instances/config/system.adapter.${INSTANCE}`);
    console.log(`  mesh tab:         ${base}/adapter/${ADAPTER}/tab.html?0&instance=0&react=light`);
    console.log(
        `  MQTT broker:      mqtt://${HOST}:${opts.mqttPort}  root topic ${ROOT_TOPIC}, channel LongFast (key AQ==): ` +
            'point a Meshtastic gateway or MQTT Explorer here',
    );
    console.log('');
}

module.exports = { readMesh, printSummary, printUrls };
