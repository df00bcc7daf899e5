"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FORBIDDEN_CHARS = void 0;
exports.sanitizeIdPart = sanitizeIdPart;
exports.isNodeHex = isNodeHex;
exports.nodeBaseId = nodeBaseId;
exports.channelBaseId = channelBaseId;
exports.nodeDisplayName = nodeDisplayName;
exports.allNodeSections = allNodeSections;
exports.metricCommon = metricCommon;
exports.nodeHead = nodeHead;
exports.sectionHasData = sectionHasData;
exports.nodeObjects = nodeObjects;
exports.nodeStateValues = nodeStateValues;
exports.nodeBatch = nodeBatch;
exports.channelObjects = channelObjects;
exports.channelStates = channelStates;
exports.isDirectToUs = isDirectToUs;
exports.messageStates = messageStates;
exports.messageBatch = messageBatch;
exports.sendStatusBatch = sendStatusBatch;
exports.sendStateTarget = sendStateTarget;
exports.statsStates = statsStates;
exports.statsBatch = statsBatch;
exports.connectionBatch = connectionBatch;
exports.clientsBatch = clientsBatch;
exports.rootObjects = rootObjects;
exports.nodeHexOf = nodeHexOf;
exports.restoreNodes = restoreNodes;
exports.nodeSummary = nodeSummary;
const table_1 = require("./table");
/** js-controller's FORBIDDEN_CHARS (`adapter.FORBIDDEN_CHARS`). */
exports.FORBIDDEN_CHARS = /[^._\-/ :!#$%&()+=@^{}|~\p{Ll}\p{Lu}\p{Nd}]+/gu;
/**
 * What an id level made from free text may keep: the letters and digits js-controller allows, `_` and `-`.
 * Everything else js-controller would still accept (`.` the level separator, `#`/`+`/`*` wildcards, `/`, blanks,
 * `:!$%&()=@^{}|~`) is replaced too, so ids stay usable in patterns, scripts and MQTT topics.
 */
const NOT_ID_SAFE = /[^\p{Ll}\p{Lu}\p{Nd}_-]+/gu;
/** Keeps ids far below the 240-byte limit even for multi-byte input. */
const MAX_ID_PART = 48;
/**
 * Turns free text (a channel name, an unknown metric key) into one id level: FORBIDDEN_CHARS, `.` and the other
 * awkward characters become `_`; the result is never empty and at most 48 characters long.
 */
function sanitizeIdPart(text) {
    const cleaned = Array.from(text.replace(NOT_ID_SAFE, '_')).slice(0, MAX_ID_PART).join('');
    return cleaned === '' ? '_' : cleaned;
}
const HEX_RE = /^[0-9a-f]{8}$/;
/** True for a valid node object level (8 lowercase hex digits). */
function isNodeHex(hex) {
    return HEX_RE.test(hex);
}
/** `nodes.<hex>` */
function nodeBaseId(hex) {
    return `${table_1.ROOT.nodes}.${hex}`;
}
/** `channels.<sanitised name>` */
function channelBaseId(name) {
    return `${table_1.ROOT.channels}.${sanitizeIdPart(name)}`;
}
/** Display text from user data: no control characters, trimmed, bounded. */
function displayText(text, max = 100) {
    // eslint-disable-next-line no-control-regex
    const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
    return Array.from(cleaned).slice(0, max).join('');
}
/** `<long name> (!hex)`, or `!hex` while no name is known. */
function nodeDisplayName(node) {
    const id = `!${node.hex}`;
    const longName = node.user ? displayText(node.user.longName) : '';
    return longName ? `${longName} (${id})` : id;
}
const ALL_SECTIONS = [
    'info',
    'position',
    'radio',
    'status',
    'neighbors',
    'messages',
    ...table_1.TELEMETRY_VARIANTS.map(v => `telemetry.${v}`),
];
/** Every node section, for a full rewrite. */
function allNodeSections() {
    return new Set(ALL_SECTIONS);
}
const SPECS_BY_SECTION = new Map();
for (const spec of table_1.NODE_STATES) {
    const list = SPECS_BY_SECTION.get(spec.section) ?? [];
    list.push(spec);
    SPECS_BY_SECTION.set(spec.section, list);
}
function telemetryVariantOf(section) {
    const prefix = `${table_1.TELEMETRY_FOLDER}.`;
    if (!section.startsWith(prefix)) {
        return undefined;
    }
    const variant = section.slice(prefix.length);
    return table_1.TELEMETRY_VARIANTS.find(v => v === variant);
}
/** Relative container ids (inside the device) needed by a section, parents first. */
function sectionContainers(section) {
    const variant = telemetryVariantOf(section);
    if (variant) {
        return [table_1.TELEMETRY_FOLDER, `${table_1.TELEMETRY_FOLDER}.${variant}`];
    }
    const out = new Set();
    for (const spec of SPECS_BY_SECTION.get(section) ?? []) {
        const dot = spec.id.lastIndexOf('.');
        if (dot > 0) {
            out.add(spec.id.slice(0, dot));
        }
    }
    return [...out];
}
function usable(value) {
    return value !== undefined && (typeof value !== 'number' || Number.isFinite(value));
}
function telemetryCommon(variant, key) {
    const spec = table_1.TELEMETRY_METRICS[variant][key];
    if (!spec) {
        return { name: key, type: 'number', role: table_1.UNKNOWN_METRIC_ROLE, read: true, write: false };
    }
    const c = { name: spec.name, type: 'number', role: spec.role, read: true, write: false };
    if (spec.unit !== undefined) {
        c.unit = spec.unit;
    }
    return c;
}
const commonCache = new Map();
/** Cached `common` of a telemetry metric (objects are compared and created from it; keep one instance per key). */
function metricCommon(variant, key) {
    const cacheKey = `${variant}.${key}`;
    let c = commonCache.get(cacheKey);
    if (!c) {
        c = telemetryCommon(variant, key);
        if (commonCache.size < 1000) {
            commonCache.set(cacheKey, c);
        }
    }
    return c;
}
/** The `send` and `sendStatus` state objects below a channel or node base id. */
function sendStateObjects(base, specs) {
    return [
        { id: `${base}.${specs.send.id}`, type: 'state', common: specs.send.common },
        { id: `${base}.${specs.status.id}`, type: 'state', common: specs.status.common },
    ];
}
/** Most distinct telemetry keys per variant whose ids are kept per node (unknown keys from the mesh are bounded). */
const MAX_CACHED_METRIC_IDS = 64;
const NODE_IDS = new WeakMap();
function headEntries(node, base) {
    return [
        { id: table_1.ROOT.nodes, type: table_1.ROOT_CONTAINERS.nodes.type, common: { name: table_1.ROOT_CONTAINERS.nodes.name } },
        { id: base, type: table_1.NODE_CONTAINER_TYPE, common: { name: nodeDisplayName(node) } },
        ...sendStateObjects(base, table_1.NODE_SEND_STATES),
    ];
}
/** The node's cached ids (undefined for an invalid hex); the device entry follows the node's current name. */
function nodeIds(node) {
    let ids = NODE_IDS.get(node);
    if (ids === undefined || ids.hex !== node.hex) {
        if (!isNodeHex(node.hex)) {
            return undefined;
        }
        const base = nodeBaseId(node.hex);
        ids = {
            hex: node.hex,
            base,
            nameSource: node.user?.longName,
            head: headEntries(node, base),
            containers: new Map(),
            specIds: new Map(),
            metricIds: new Map(),
        };
        NODE_IDS.set(node, ids);
    }
    else if (ids.nameSource !== node.user?.longName) {
        ids.nameSource = node.user?.longName;
        ids.head = headEntries(node, ids.base);
    }
    return ids;
}
function containerEntry(ids, rel) {
    let entry = ids.containers.get(rel);
    if (entry === undefined) {
        const spec = table_1.NODE_CONTAINERS[rel];
        if (!spec) {
            return undefined;
        }
        entry = { id: `${ids.base}.${rel}`, type: spec.type, common: { name: spec.name } };
        ids.containers.set(rel, entry);
    }
    return entry;
}
function specId(ids, spec) {
    let id = ids.specIds.get(spec);
    if (id === undefined) {
        id = `${ids.base}.${spec.id}`;
        ids.specIds.set(spec, id);
    }
    return id;
}
function metricId(ids, variant, key) {
    let byKey = ids.metricIds.get(variant);
    if (byKey === undefined) {
        byKey = new Map();
        ids.metricIds.set(variant, byKey);
    }
    let id = byKey.get(key);
    if (id === undefined) {
        id = `${ids.base}.${table_1.TELEMETRY_FOLDER}.${variant}.${sanitizeIdPart(key)}`;
        if (byKey.size < MAX_CACHED_METRIC_IDS) {
            byKey.set(key, id);
        }
    }
    return id;
}
/**
 * The node's first object entries (`nodes` folder, device, `send`/`sendStatus`): the same array until the node's
 * name changes, so a caller can tell "nothing new to create" by identity. Undefined for an invalid hex.
 */
function nodeHead(node) {
    return nodeIds(node)?.head;
}
/** Container ids (relative to the device) of each section, parents first; computed once. */
const SECTION_CONTAINERS = new Map(ALL_SECTIONS.map(s => [s, sectionContainers(s)]));
/**
 * True when the node has at least one value to write in `section` (its containers are created only then: a node that
 * never sent air quality gets no empty `telemetry.airQuality` channel).
 */
function sectionHasData(node, section) {
    const variant = telemetryVariantOf(section);
    if (variant) {
        const metrics = node.telemetry[variant];
        if (metrics) {
            for (const key in metrics) {
                const raw = metrics[key];
                const convert = table_1.TELEMETRY_METRICS[variant][key]?.convert;
                if (typeof raw === 'number' && usable((0, table_1.cleanFloat)(convert ? convert(raw) : raw))) {
                    return true;
                }
            }
        }
    }
    for (const spec of SPECS_BY_SECTION.get(section) ?? []) {
        if (usable(spec.get(node))) {
            return true;
        }
    }
    return false;
}
/**
 * The device object of a node, its `send`/`sendStatus` state objects, plus the containers of those given sections that
 * have data (`sectionHasData`), parents first (`nodes` folder, `nodes.<hex>` device, e.g. `nodes.<hex>.telemetry`
 * folder, `nodes.<hex>.telemetry.device` channel). Empty for an invalid hex.
 */
function nodeObjects(node, sections) {
    const ids = nodeIds(node);
    if (ids === undefined) {
        return [];
    }
    const out = [...ids.head];
    // Containers are one or two levels deep: all first levels, then all second levels, keeps parents first.
    let nested;
    for (const section of sections) {
        if (!sectionHasData(node, section)) {
            continue;
        }
        for (const rel of SECTION_CONTAINERS.get(section) ?? []) {
            const entry = containerEntry(ids, rel);
            if (entry === undefined) {
                continue;
            }
            const list = rel.includes('.') ? (nested ??= []) : out;
            if (!list.includes(entry)) {
                list.push(entry);
            }
        }
    }
    return nested ? out.concat(nested) : out;
}
/** State values of the given sections of a node (undefined values are skipped: no object for data never sent). */
function nodeStateValues(node, sections) {
    const ids = nodeIds(node);
    if (ids === undefined) {
        return [];
    }
    const out = [];
    for (const section of sections) {
        const variant = telemetryVariantOf(section);
        if (variant) {
            const metrics = node.telemetry[variant];
            if (metrics) {
                for (const key in metrics) {
                    const raw = metrics[key];
                    if (typeof raw !== 'number') {
                        continue;
                    }
                    const convert = table_1.TELEMETRY_METRICS[variant][key]?.convert;
                    const value = (0, table_1.cleanFloat)(convert ? convert(raw) : raw);
                    if (usable(value)) {
                        out.push({ id: metricId(ids, variant, key), common: metricCommon(variant, key), value });
                    }
                }
            }
        }
        for (const spec of SPECS_BY_SECTION.get(section) ?? []) {
            const value = spec.get(node);
            if (usable(value)) {
                const entry = { id: specId(ids, spec), common: spec.common, value };
                if (spec.event) {
                    entry.event = true;
                }
                out.push(entry);
            }
        }
    }
    return out;
}
/** Objects and values of a node change. */
function nodeBatch(node, sections) {
    return { objects: nodeObjects(node, sections), states: nodeStateValues(node, sections) };
}
/** `channels` folder, the channel object of one configured channel and its `send`/`sendStatus` state objects. */
function channelObjects(name) {
    const base = channelBaseId(name);
    return [
        { id: table_1.ROOT.channels, type: table_1.ROOT_CONTAINERS.channels.type, common: { name: table_1.ROOT_CONTAINERS.channels.name } },
        { id: base, type: table_1.CHANNEL_CONTAINER_TYPE, common: { name: displayText(name) || '_' } },
        ...sendStateObjects(base, table_1.CHANNEL_SEND_STATES),
    ];
}
/** States of a configured channel (last message, sender, history). */
function channelStates(channel) {
    const base = channelBaseId(channel.name);
    const out = [];
    for (const spec of table_1.CHANNEL_STATES) {
        const value = spec.get(channel);
        if (usable(value)) {
            const entry = { id: `${base}.${spec.id}`, common: spec.common, value };
            if (spec.event) {
                entry.event = true;
            }
            out.push(entry);
        }
    }
    return out;
}
function messagesContainer() {
    return { id: table_1.ROOT.messages, type: table_1.ROOT_CONTAINERS.messages.type, common: { name: table_1.ROOT_CONTAINERS.messages.name } };
}
/** True when a DM is addressed to our own node (`ownNodeNum` 0: we have no node, so no DM is ours). */
function isDirectToUs(message, ownNodeNum) {
    return ownNodeNum !== 0 && message.to >>> 0 === ownNodeNum >>> 0;
}
/**
 * States written for a text event: `channels.<name>.*` and `messages.last` for channel texts,
 * `messages.last` for every DM plus `messages.direct` for DMs addressed to `ownNodeNum` (0 = no own node: none).
 * Other events give none.
 */
function messageStates(event, ownNodeNum = 0) {
    if (event.type === 'channelMessage') {
        return [
            ...channelStates(event.channel),
            {
                id: table_1.MESSAGE_LAST.id,
                common: table_1.MESSAGE_LAST.common,
                value: table_1.MESSAGE_LAST.get(event.message) ?? null,
                event: true,
            },
        ];
    }
    if (event.type === 'directMessage') {
        const out = [];
        if (isDirectToUs(event.message, ownNodeNum)) {
            out.push({
                id: table_1.MESSAGE_DIRECT.id,
                common: table_1.MESSAGE_DIRECT.common,
                value: table_1.MESSAGE_DIRECT.get(event.message) ?? null,
                event: true,
            });
        }
        out.push({
            id: table_1.MESSAGE_LAST.id,
            common: table_1.MESSAGE_LAST.common,
            value: table_1.MESSAGE_LAST.get(event.message) ?? null,
            event: true,
        });
        return out;
    }
    return [];
}
/** Objects and values of a text event (`ownNodeNum`: see `messageStates`). */
function messageBatch(event, ownNodeNum = 0) {
    if (event.type === 'channelMessage') {
        return { objects: [...channelObjects(event.channel.name), messagesContainer()], states: messageStates(event) };
    }
    if (event.type === 'directMessage') {
        return { objects: [messagesContainer()], states: messageStates(event, ownNodeNum) };
    }
    return { objects: [], states: [] };
}
// ---- Sending -------------------------------------------------------------------------------------------------------
/**
 * Objects and values of a send status: `<target>.sendStatus` (channel: `channels.<name>.sendStatus`, node:
 * `nodes.<hex>.sendStatus`) and `messages.lastSent`, both event-like. Without a target (or with an invalid node hex)
 * only `messages.lastSent`. The channel's objects are included; for a node only its send state objects (the device
 * must exist: the caller decides, see `StateWriter.writeSendStatus`).
 */
function sendStatusBatch(status, target) {
    const objects = [];
    const states = [];
    let base;
    let specs;
    if (target?.kind === 'channel') {
        base = channelBaseId(target.name);
        specs = table_1.CHANNEL_SEND_STATES;
        objects.push(...channelObjects(target.name));
    }
    else if (target?.kind === 'node' && isNodeHex(target.hex)) {
        base = nodeBaseId(target.hex);
        specs = table_1.NODE_SEND_STATES;
        objects.push(...sendStateObjects(base, specs));
    }
    if (base !== undefined && specs !== undefined) {
        const value = specs.status.get(status);
        if (usable(value)) {
            states.push({ id: `${base}.${specs.status.id}`, common: specs.status.common, value, event: true });
        }
    }
    objects.push(messagesContainer());
    const last = table_1.MESSAGE_LAST_SENT.get(status);
    if (usable(last)) {
        states.push({ id: table_1.MESSAGE_LAST_SENT.id, common: table_1.MESSAGE_LAST_SENT.common, value: last, event: true });
    }
    return { objects, states };
}
/**
 * Maps a state id relative to the namespace to the target of its writable `send` state: `channels.<id>.send` →
 * channel, `nodes.<hex>.send` → node; anything else (other states, `sendStatus`, extra levels, invalid hex, a channel
 * level that is not a sanitised id) → undefined. `channelNameForId` turns the id level back into the configured
 * channel name (undefined: not a configured channel → undefined); without it the name is the id level itself.
 */
function sendStateTarget(relativeId, channelNameForId) {
    const levels = relativeId.split('.');
    if (levels.length !== 3 || levels[2] !== table_1.SEND_STATE_ID) {
        return undefined;
    }
    const [root, part] = levels;
    if (root === table_1.ROOT.nodes) {
        return isNodeHex(part) ? { kind: 'node', hex: part } : undefined;
    }
    if (root === table_1.ROOT.channels) {
        if (part === '' || sanitizeIdPart(part) !== part) {
            return undefined;
        }
        const name = channelNameForId ? channelNameForId(part) : part;
        return name === undefined ? undefined : { kind: 'channel', name, id: part };
    }
    return undefined;
}
/** `stats.*` counters and the unknown channel list. */
function statsStates(stats, unknownChannels) {
    const out = [];
    for (const spec of table_1.STATS_STATES) {
        const value = spec.get({ stats, unknownChannels });
        if (usable(value)) {
            out.push({ id: spec.id, common: spec.common, value });
        }
    }
    return out;
}
function statsBatch(stats, unknownChannels) {
    return {
        objects: [{ id: table_1.ROOT.stats, type: table_1.ROOT_CONTAINERS.stats.type, common: { name: table_1.ROOT_CONTAINERS.stats.name } }],
        states: statsStates(stats, unknownChannels),
    };
}
function infoContainer() {
    return { id: table_1.ROOT.info, type: table_1.ROOT_CONTAINERS.info.type, common: { name: table_1.ROOT_CONTAINERS.info.name } };
}
/** `info.connection` (objects normally exist through io-package instanceObjects). */
function connectionBatch(connected) {
    return {
        objects: [infoContainer()],
        states: [
            { id: table_1.INFO_CONNECTION.id, common: table_1.INFO_CONNECTION.common, value: table_1.INFO_CONNECTION.get(connected) ?? false },
        ],
    };
}
/** `info.clients` as a JSON array of client ids. */
function clientsBatch(clients) {
    return {
        objects: [infoContainer()],
        states: [{ id: table_1.INFO_CLIENTS.id, common: table_1.INFO_CLIENTS.common, value: table_1.INFO_CLIENTS.get(clients) ?? '[]' }],
    };
}
/** Top-level folders and channels, for creating the skeleton at start. */
function rootObjects() {
    return Object.keys(table_1.ROOT_CONTAINERS).map(id => ({
        id,
        type: table_1.ROOT_CONTAINERS[id].type,
        common: { name: table_1.ROOT_CONTAINERS[id].name },
    }));
}
/** The node hex of a relative id under `nodes.`, or undefined. */
function nodeHexOf(id) {
    const prefix = `${table_1.ROOT.nodes}.`;
    if (!id.startsWith(prefix)) {
        return undefined;
    }
    const end = id.indexOf('.', prefix.length);
    const hex = end < 0 ? id.slice(prefix.length) : id.slice(prefix.length, end);
    return isNodeHex(hex) ? hex : undefined;
}
// ---- Restoring node records from stored states (adapter restart) --------------------------------------------------
const SPEC_INDEX = new Map(table_1.NODE_STATES.map((spec, index) => [spec.id, index]));
function emptyRecord(hex) {
    return {
        num: parseInt(hex, 16) >>> 0,
        id: `!${hex}`,
        hex,
        telemetry: {},
        lastHeard: 0,
        lastMqtt: 0,
        presence: 'offline',
        history: [],
        packets: 0,
    };
}
/**
 * Rebuilds node records from stored state values (relative id → value), the inverse of `nodeStateValues`.
 * Only `nodes.<hex>.*` ids are used (`send`/`sendStatus` are ignored: no node data). Counters that have no state (`packets`) start at 0; `lastMqtt` is taken as
 * `lastHeard` when the stored presence is `mqtt`. The mesh model re-validates the records (`MeshModel.restore`).
 */
function restoreNodes(values) {
    const records = new Map();
    const puts = [];
    const telemetryPrefix = `${table_1.TELEMETRY_FOLDER}.`;
    for (const [id, value] of values) {
        const hex = nodeHexOf(id);
        if (hex === undefined || value === null) {
            continue;
        }
        const rel = id.slice(nodeBaseId(hex).length + 1);
        if (rel === '' || table_1.NODE_COMMAND_STATE_IDS.has(rel)) {
            continue; // the device itself, or send/sendStatus: no node data
        }
        let node = records.get(hex);
        if (!node) {
            node = emptyRecord(hex);
            records.set(hex, node);
        }
        const index = SPEC_INDEX.get(rel);
        if (index !== undefined) {
            puts.push({ node, index, value });
            continue;
        }
        if (rel.startsWith(telemetryPrefix) && typeof value === 'number' && Number.isFinite(value)) {
            const rest = rel.slice(telemetryPrefix.length);
            const dot = rest.indexOf('.');
            const variant = table_1.TELEMETRY_VARIANTS.find(v => v === rest.slice(0, dot));
            const key = rest.slice(dot + 1);
            if (dot > 0 && variant && key !== '' && !key.includes('.')) {
                const invert = table_1.TELEMETRY_METRICS[variant][key]?.invert;
                node.telemetry[variant] = { ...node.telemetry[variant], [key]: invert ? invert(value) : value };
            }
        }
    }
    // table order: derived extras (e.g. externalPower → batteryLevel 101) come after the plain fields
    puts.sort((a, b) => a.index - b.index);
    for (const { node, index, value } of puts) {
        table_1.NODE_STATES[index].put?.(node, value);
    }
    for (const node of records.values()) {
        if (node.presence === 'mqtt') {
            node.lastMqtt = node.lastHeard;
        }
    }
    return [...records.values()];
}
/**
 * A JSON-friendly summary of a node (for sendTo answers). Only `detailed === true` adds telemetry, position, radio and
 * neighbours, so the function can be handed to `Array.map` directly (the index is ignored).
 */
function nodeSummary(node, detailed = false) {
    const summary = {
        id: node.id,
        num: node.num,
        hex: node.hex,
        objectId: nodeBaseId(node.hex),
        name: nodeDisplayName(node),
        lastHeard: node.lastHeard,
        presence: node.presence,
    };
    if (node.user) {
        summary.longName = node.user.longName;
        summary.shortName = node.user.shortName;
        summary.hwModel = node.user.hwModel;
        summary.role = node.user.role;
    }
    if (node.radio) {
        summary.hopsAway = node.radio.hopsAway;
        summary.snr = node.radio.snr;
        summary.rssi = node.radio.rssi;
        summary.viaMqtt = node.radio.viaMqtt;
    }
    if (node.position) {
        summary.latitude = node.position.latitude;
        summary.longitude = node.position.longitude;
    }
    if (detailed === true) {
        summary.details = {
            firmware: node.firmware,
            region: node.region,
            modemPreset: node.modemPreset,
            publicKey: node.user?.publicKey,
            position: node.position,
            telemetry: node.telemetry,
            radio: node.radio,
            neighbors: node.neighbors,
            lastText: node.lastText,
            packets: node.packets,
            lastMqtt: node.lastMqtt,
        };
    }
    return summary;
}
