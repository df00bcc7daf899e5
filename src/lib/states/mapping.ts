/**
 * Pure mapping from mesh model records to ioBroker objects and state values. No I/O; ids, roles and units all come
 * from `table.ts`.
 */
import type { TelemetryVariant } from '../codec/types';
import type { ChannelRecord, MeshEvent, MeshStats, NodeRecord, NodeSection, UnknownChannelRecord } from '../mesh/types';
import type { SendStatus } from '../send/types';
import {
    CHANNEL_CONTAINER_TYPE,
    CHANNEL_SEND_STATES,
    CHANNEL_STATES,
    cleanFloat,
    type ContainerType,
    INFO_CLIENTS,
    INFO_CONNECTION,
    MESSAGE_DIRECT,
    MESSAGE_LAST,
    MESSAGE_LAST_SENT,
    NODE_COMMAND_STATE_IDS,
    NODE_CONTAINER_TYPE,
    NODE_CONTAINERS,
    NODE_SEND_STATES,
    NODE_STATES,
    type NodeStateSpec,
    ROOT,
    ROOT_CONTAINERS,
    SEND_STATE_ID,
    type SendStateSpecs,
    type StateCommonSpec,
    STATS_STATES,
    TELEMETRY_FOLDER,
    TELEMETRY_METRICS,
    TELEMETRY_VARIANTS,
    UNKNOWN_METRIC_ROLE,
} from './table';

/** A folder/device/channel object to create once. */
export interface ContainerEntry {
    /** Relative to the namespace, e.g. `nodes.a1b2c3d4.position`. */
    id: string;
    type: ContainerType;
    common: { name: string };
}

/** A state object to create once without writing a value (the writable `send` command states, status states). */
export interface StateObjectEntry {
    /** Relative to the namespace, e.g. `channels.LongFast.send`. */
    id: string;
    type: 'state';
    common: StateCommonSpec;
}

/** An object to create once (parents before children in a batch). */
export type ObjectEntry = ContainerEntry | StateObjectEntry;

/** Where a send status belongs: a configured channel (by its configured name) or a node (DMs). */
export type SendStatusTarget = { kind: 'channel'; name: string } | { kind: 'node'; hex: string };

/**
 * The target of a writable `send` state: a configured channel (`name` = the configured name, `id` = the sanitised id
 * level below `channels.`, e.g. `Long_Fast`) or a node (`hex` = 8 lowercase hex digits).
 */
export type SendStateTarget = { kind: 'channel'; name: string; id: string } | { kind: 'node'; hex: string };

/** A state value to write (its object is created from `common` if missing). */
export interface StateEntry {
    /** Relative to the namespace, e.g. `nodes.a1b2c3d4.position.latitude`. */
    id: string;
    common: StateCommonSpec;
    value: ioBroker.StateValue;
    /** Write even if the value equals the last written one. */
    event?: boolean;
}

/** Containers (parents first) and the states below them. */
export interface Batch {
    objects: ObjectEntry[];
    states: StateEntry[];
}

/** js-controller's FORBIDDEN_CHARS (`adapter.FORBIDDEN_CHARS`). */
export const FORBIDDEN_CHARS = /[^._\-/ :!#$%&()+=@^{}|~\p{Ll}\p{Lu}\p{Nd}]+/gu;
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
export function sanitizeIdPart(text: string): string {
    const cleaned = Array.from(text.replace(NOT_ID_SAFE, '_')).slice(0, MAX_ID_PART).join('');
    return cleaned === '' ? '_' : cleaned;
}

const HEX_RE = /^[0-9a-f]{8}$/;

/** True for a valid node object level (8 lowercase hex digits). */
export function isNodeHex(hex: string): boolean {
    return HEX_RE.test(hex);
}

/** `nodes.<hex>` */
export function nodeBaseId(hex: string): string {
    return `${ROOT.nodes}.${hex}`;
}

/** `channels.<sanitised name>` */
export function channelBaseId(name: string): string {
    return `${ROOT.channels}.${sanitizeIdPart(name)}`;
}

/** Display text from user data: no control characters, trimmed, bounded. */
function displayText(text: string, max = 100): string {
    // eslint-disable-next-line no-control-regex
    const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
    return Array.from(cleaned).slice(0, max).join('');
}

/** `<long name> (!hex)`, or `!hex` while no name is known. */
export function nodeDisplayName(node: Readonly<NodeRecord>): string {
    const id = `!${node.hex}`;
    const longName = node.user ? displayText(node.user.longName) : '';
    return longName ? `${longName} (${id})` : id;
}

const ALL_SECTIONS: readonly NodeSection[] = [
    'info',
    'position',
    'radio',
    'status',
    'neighbors',
    'messages',
    ...TELEMETRY_VARIANTS.map(v => `telemetry.${v}` as const),
];

/** Every node section, for a full rewrite. */
export function allNodeSections(): ReadonlySet<NodeSection> {
    return new Set(ALL_SECTIONS);
}

const SPECS_BY_SECTION = new Map<NodeSection, NodeStateSpec[]>();
for (const spec of NODE_STATES) {
    const list = SPECS_BY_SECTION.get(spec.section) ?? [];
    list.push(spec);
    SPECS_BY_SECTION.set(spec.section, list);
}

function telemetryVariantOf(section: NodeSection): TelemetryVariant | undefined {
    const prefix = `${TELEMETRY_FOLDER}.`;
    if (!section.startsWith(prefix)) {
        return undefined;
    }
    const variant = section.slice(prefix.length);
    return TELEMETRY_VARIANTS.find(v => v === variant);
}

/** Relative container ids (inside the device) needed by a section, parents first. */
function sectionContainers(section: NodeSection): string[] {
    const variant = telemetryVariantOf(section);
    if (variant) {
        return [TELEMETRY_FOLDER, `${TELEMETRY_FOLDER}.${variant}`];
    }
    const out = new Set<string>();
    for (const spec of SPECS_BY_SECTION.get(section) ?? []) {
        const dot = spec.id.lastIndexOf('.');
        if (dot > 0) {
            out.add(spec.id.slice(0, dot));
        }
    }
    return [...out];
}

function usable(value: ioBroker.StateValue | undefined): value is ioBroker.StateValue {
    return value !== undefined && (typeof value !== 'number' || Number.isFinite(value));
}

function telemetryCommon(variant: TelemetryVariant, key: string): StateCommonSpec {
    const spec = TELEMETRY_METRICS[variant][key];
    if (!spec) {
        return { name: key, type: 'number', role: UNKNOWN_METRIC_ROLE, read: true, write: false };
    }
    const c: StateCommonSpec = { name: spec.name, type: 'number', role: spec.role, read: true, write: false };
    if (spec.unit !== undefined) {
        c.unit = spec.unit;
    }
    return c;
}

const commonCache = new Map<string, StateCommonSpec>();

/** Cached `common` of a telemetry metric (objects are compared and created from it; keep one instance per key). */
export function metricCommon(variant: TelemetryVariant, key: string): StateCommonSpec {
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
function sendStateObjects(base: string, specs: SendStateSpecs): StateObjectEntry[] {
    return [
        { id: `${base}.${specs.send.id}`, type: 'state', common: specs.send.common },
        { id: `${base}.${specs.status.id}`, type: 'state', common: specs.status.common },
    ];
}

/** Most distinct telemetry keys per variant whose ids are kept per node (unknown keys from the mesh are bounded). */
const MAX_CACHED_METRIC_IDS = 64;

/**
 * The ids and object entries of one node, built on its first update and reused by every later one: a busy mesh
 * updates the same few states of the same nodes thousands of times a second, and reusing the strings saves building
 * and hashing them again in every cache lookup. Held in a WeakMap keyed by the node record, so it lives exactly as
 * long as the mesh model keeps the node.
 */
interface NodeIds {
    readonly hex: string;
    readonly base: string;
    /** `user.longName` the device entry was named from; a new name gives a new device entry. */
    nameSource: string | undefined;
    /** `nodes` folder, the device and its `send`/`sendStatus` state objects. */
    head: ObjectEntry[];
    /** Container entries by id relative to the device. */
    readonly containers: Map<string, ContainerEntry>;
    readonly specIds: Map<NodeStateSpec, string>;
    readonly metricIds: Map<TelemetryVariant, Map<string, string>>;
}

const NODE_IDS = new WeakMap<Readonly<NodeRecord>, NodeIds>();

function headEntries(node: Readonly<NodeRecord>, base: string): ObjectEntry[] {
    return [
        { id: ROOT.nodes, type: ROOT_CONTAINERS.nodes.type, common: { name: ROOT_CONTAINERS.nodes.name } },
        { id: base, type: NODE_CONTAINER_TYPE, common: { name: nodeDisplayName(node) } },
        ...sendStateObjects(base, NODE_SEND_STATES),
    ];
}

/** The node's cached ids (undefined for an invalid hex); the device entry follows the node's current name. */
function nodeIds(node: Readonly<NodeRecord>): NodeIds | undefined {
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
    } else if (ids.nameSource !== node.user?.longName) {
        ids.nameSource = node.user?.longName;
        ids.head = headEntries(node, ids.base);
    }
    return ids;
}

function containerEntry(ids: NodeIds, rel: string): ContainerEntry | undefined {
    let entry = ids.containers.get(rel);
    if (entry === undefined) {
        const spec = NODE_CONTAINERS[rel];
        if (!spec) {
            return undefined;
        }
        entry = { id: `${ids.base}.${rel}`, type: spec.type, common: { name: spec.name } };
        ids.containers.set(rel, entry);
    }
    return entry;
}

function specId(ids: NodeIds, spec: NodeStateSpec): string {
    let id = ids.specIds.get(spec);
    if (id === undefined) {
        id = `${ids.base}.${spec.id}`;
        ids.specIds.set(spec, id);
    }
    return id;
}

function metricId(ids: NodeIds, variant: TelemetryVariant, key: string): string {
    let byKey = ids.metricIds.get(variant);
    if (byKey === undefined) {
        byKey = new Map();
        ids.metricIds.set(variant, byKey);
    }
    let id = byKey.get(key);
    if (id === undefined) {
        id = `${ids.base}.${TELEMETRY_FOLDER}.${variant}.${sanitizeIdPart(key)}`;
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
export function nodeHead(node: Readonly<NodeRecord>): readonly ObjectEntry[] | undefined {
    return nodeIds(node)?.head;
}

/** Container ids (relative to the device) of each section, parents first; computed once. */
const SECTION_CONTAINERS = new Map<NodeSection, readonly string[]>(ALL_SECTIONS.map(s => [s, sectionContainers(s)]));

/**
 * True when the node has at least one value to write in `section` (its containers are created only then: a node that
 * never sent air quality gets no empty `telemetry.airQuality` channel).
 */
export function sectionHasData(node: Readonly<NodeRecord>, section: NodeSection): boolean {
    const variant = telemetryVariantOf(section);
    if (variant) {
        const metrics = node.telemetry[variant];
        if (metrics) {
            for (const key in metrics) {
                const raw = metrics[key];
                const convert = TELEMETRY_METRICS[variant][key]?.convert;
                if (typeof raw === 'number' && usable(cleanFloat(convert ? convert(raw) : raw))) {
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
export function nodeObjects(node: Readonly<NodeRecord>, sections: ReadonlySet<NodeSection>): ObjectEntry[] {
    const ids = nodeIds(node);
    if (ids === undefined) {
        return [];
    }
    const out: ObjectEntry[] = [...ids.head];
    // Containers are one or two levels deep: all first levels, then all second levels, keeps parents first.
    let nested: ContainerEntry[] | undefined;
    for (const section of sections) {
        if (!sectionHasData(node, section)) {
            continue;
        }
        for (const rel of SECTION_CONTAINERS.get(section) ?? []) {
            const entry = containerEntry(ids, rel);
            if (entry === undefined) {
                continue;
            }
            const list: ObjectEntry[] = rel.includes('.') ? (nested ??= []) : out;
            if (!list.includes(entry)) {
                list.push(entry);
            }
        }
    }
    return nested ? out.concat(nested) : out;
}

/** State values of the given sections of a node (undefined values are skipped: no object for data never sent). */
export function nodeStateValues(node: Readonly<NodeRecord>, sections: ReadonlySet<NodeSection>): StateEntry[] {
    const ids = nodeIds(node);
    if (ids === undefined) {
        return [];
    }
    const out: StateEntry[] = [];
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
                    const convert = TELEMETRY_METRICS[variant][key]?.convert;
                    const value = cleanFloat(convert ? convert(raw) : raw);
                    if (usable(value)) {
                        out.push({ id: metricId(ids, variant, key), common: metricCommon(variant, key), value });
                    }
                }
            }
        }
        for (const spec of SPECS_BY_SECTION.get(section) ?? []) {
            const value = spec.get(node);
            if (usable(value)) {
                const entry: StateEntry = { id: specId(ids, spec), common: spec.common, value };
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
export function nodeBatch(node: Readonly<NodeRecord>, sections: ReadonlySet<NodeSection>): Batch {
    return { objects: nodeObjects(node, sections), states: nodeStateValues(node, sections) };
}

/** `channels` folder, the channel object of one configured channel and its `send`/`sendStatus` state objects. */
export function channelObjects(name: string): ObjectEntry[] {
    const base = channelBaseId(name);
    return [
        { id: ROOT.channels, type: ROOT_CONTAINERS.channels.type, common: { name: ROOT_CONTAINERS.channels.name } },
        { id: base, type: CHANNEL_CONTAINER_TYPE, common: { name: displayText(name) || '_' } },
        ...sendStateObjects(base, CHANNEL_SEND_STATES),
    ];
}

/** States of a configured channel (last message, sender, history). */
export function channelStates(channel: Readonly<ChannelRecord>): StateEntry[] {
    const base = channelBaseId(channel.name);
    const out: StateEntry[] = [];
    for (const spec of CHANNEL_STATES) {
        const value = spec.get(channel);
        if (usable(value)) {
            const entry: StateEntry = { id: `${base}.${spec.id}`, common: spec.common, value };
            if (spec.event) {
                entry.event = true;
            }
            out.push(entry);
        }
    }
    return out;
}

function messagesContainer(): ObjectEntry {
    return { id: ROOT.messages, type: ROOT_CONTAINERS.messages.type, common: { name: ROOT_CONTAINERS.messages.name } };
}

/** True when a DM is addressed to our own node (`ownNodeNum` 0: we have no node, so no DM is ours). */
export function isDirectToUs(message: Readonly<{ to: number }>, ownNodeNum: number): boolean {
    return ownNodeNum !== 0 && message.to >>> 0 === ownNodeNum >>> 0;
}

/**
 * States written for a text event: `channels.<name>.*` and `messages.last` for channel texts,
 * `messages.last` for every DM plus `messages.direct` for DMs addressed to `ownNodeNum` (0 = no own node: none).
 * Other events give none.
 */
export function messageStates(event: MeshEvent, ownNodeNum = 0): StateEntry[] {
    if (event.type === 'channelMessage') {
        return [
            ...channelStates(event.channel),
            {
                id: MESSAGE_LAST.id,
                common: MESSAGE_LAST.common,
                value: MESSAGE_LAST.get(event.message) ?? null,
                event: true,
            },
        ];
    }
    if (event.type === 'directMessage') {
        const out: StateEntry[] = [];
        if (isDirectToUs(event.message, ownNodeNum)) {
            out.push({
                id: MESSAGE_DIRECT.id,
                common: MESSAGE_DIRECT.common,
                value: MESSAGE_DIRECT.get(event.message) ?? null,
                event: true,
            });
        }
        out.push({
            id: MESSAGE_LAST.id,
            common: MESSAGE_LAST.common,
            value: MESSAGE_LAST.get(event.message) ?? null,
            event: true,
        });
        return out;
    }
    return [];
}

/** Objects and values of a text event (`ownNodeNum`: see `messageStates`). */
export function messageBatch(event: MeshEvent, ownNodeNum = 0): Batch {
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
export function sendStatusBatch(status: Readonly<SendStatus>, target?: SendStatusTarget): Batch {
    const objects: ObjectEntry[] = [];
    const states: StateEntry[] = [];
    let base: string | undefined;
    let specs: SendStateSpecs | undefined;
    if (target?.kind === 'channel') {
        base = channelBaseId(target.name);
        specs = CHANNEL_SEND_STATES;
        objects.push(...channelObjects(target.name));
    } else if (target?.kind === 'node' && isNodeHex(target.hex)) {
        base = nodeBaseId(target.hex);
        specs = NODE_SEND_STATES;
        objects.push(...sendStateObjects(base, specs));
    }
    if (base !== undefined && specs !== undefined) {
        const value = specs.status.get(status);
        if (usable(value)) {
            states.push({ id: `${base}.${specs.status.id}`, common: specs.status.common, value, event: true });
        }
    }
    objects.push(messagesContainer());
    const last = MESSAGE_LAST_SENT.get(status);
    if (usable(last)) {
        states.push({ id: MESSAGE_LAST_SENT.id, common: MESSAGE_LAST_SENT.common, value: last, event: true });
    }
    return { objects, states };
}

/**
 * Maps a state id relative to the namespace to the target of its writable `send` state: `channels.<id>.send` →
 * channel, `nodes.<hex>.send` → node; anything else (other states, `sendStatus`, extra levels, invalid hex, a channel
 * level that is not a sanitised id) → undefined. `channelNameForId` turns the id level back into the configured
 * channel name (undefined: not a configured channel → undefined); without it the name is the id level itself.
 */
export function sendStateTarget(
    relativeId: string,
    channelNameForId?: (idPart: string) => string | undefined,
): SendStateTarget | undefined {
    const levels = relativeId.split('.');
    if (levels.length !== 3 || levels[2] !== SEND_STATE_ID) {
        return undefined;
    }
    const [root, part] = levels;
    if (root === ROOT.nodes) {
        return isNodeHex(part) ? { kind: 'node', hex: part } : undefined;
    }
    if (root === ROOT.channels) {
        if (part === '' || sanitizeIdPart(part) !== part) {
            return undefined;
        }
        const name = channelNameForId ? channelNameForId(part) : part;
        return name === undefined ? undefined : { kind: 'channel', name, id: part };
    }
    return undefined;
}

/** `stats.*` counters and the unknown channel list. */
export function statsStates(
    stats: Readonly<MeshStats>,
    unknownChannels: readonly Readonly<UnknownChannelRecord>[],
): StateEntry[] {
    const out: StateEntry[] = [];
    for (const spec of STATS_STATES) {
        const value = spec.get({ stats, unknownChannels });
        if (usable(value)) {
            out.push({ id: spec.id, common: spec.common, value });
        }
    }
    return out;
}

export function statsBatch(
    stats: Readonly<MeshStats>,
    unknownChannels: readonly Readonly<UnknownChannelRecord>[],
): Batch {
    return {
        objects: [{ id: ROOT.stats, type: ROOT_CONTAINERS.stats.type, common: { name: ROOT_CONTAINERS.stats.name } }],
        states: statsStates(stats, unknownChannels),
    };
}

function infoContainer(): ObjectEntry {
    return { id: ROOT.info, type: ROOT_CONTAINERS.info.type, common: { name: ROOT_CONTAINERS.info.name } };
}

/** `info.connection` (objects normally exist through io-package instanceObjects). */
export function connectionBatch(connected: boolean): Batch {
    return {
        objects: [infoContainer()],
        states: [
            { id: INFO_CONNECTION.id, common: INFO_CONNECTION.common, value: INFO_CONNECTION.get(connected) ?? false },
        ],
    };
}

/** `info.clients` as a JSON array of client ids. */
export function clientsBatch(clients: readonly string[]): Batch {
    return {
        objects: [infoContainer()],
        states: [{ id: INFO_CLIENTS.id, common: INFO_CLIENTS.common, value: INFO_CLIENTS.get(clients) ?? '[]' }],
    };
}

/** Top-level folders and channels, for creating the skeleton at start. */
export function rootObjects(): ObjectEntry[] {
    return (Object.keys(ROOT_CONTAINERS) as (keyof typeof ROOT_CONTAINERS)[]).map(id => ({
        id,
        type: ROOT_CONTAINERS[id].type,
        common: { name: ROOT_CONTAINERS[id].name },
    }));
}

/** The node hex of a relative id under `nodes.`, or undefined. */
export function nodeHexOf(id: string): string | undefined {
    const prefix = `${ROOT.nodes}.`;
    if (!id.startsWith(prefix)) {
        return undefined;
    }
    const end = id.indexOf('.', prefix.length);
    const hex = end < 0 ? id.slice(prefix.length) : id.slice(prefix.length, end);
    return isNodeHex(hex) ? hex : undefined;
}

// ---- Restoring node records from stored states (adapter restart) --------------------------------------------------

const SPEC_INDEX = new Map<string, number>(NODE_STATES.map((spec, index) => [spec.id, index]));

function emptyRecord(hex: string): NodeRecord {
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
export function restoreNodes(values: Iterable<readonly [string, ioBroker.StateValue]>): NodeRecord[] {
    const records = new Map<string, NodeRecord>();
    const puts: { node: NodeRecord; index: number; value: ioBroker.StateValue }[] = [];
    const telemetryPrefix = `${TELEMETRY_FOLDER}.`;
    for (const [id, value] of values) {
        const hex = nodeHexOf(id);
        if (hex === undefined || value === null) {
            continue;
        }
        const rel = id.slice(nodeBaseId(hex).length + 1);
        if (rel === '' || NODE_COMMAND_STATE_IDS.has(rel)) {
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
            const variant = TELEMETRY_VARIANTS.find(v => v === rest.slice(0, dot));
            const key = rest.slice(dot + 1);
            if (dot > 0 && variant && key !== '' && !key.includes('.')) {
                const invert = TELEMETRY_METRICS[variant][key]?.invert;
                node.telemetry[variant] = { ...node.telemetry[variant], [key]: invert ? invert(value) : value };
            }
        }
    }
    // table order: derived extras (e.g. externalPower → batteryLevel 101) come after the plain fields
    puts.sort((a, b) => a.index - b.index);
    for (const { node, index, value } of puts) {
        NODE_STATES[index].put?.(node, value);
    }
    for (const node of records.values()) {
        if (node.presence === 'mqtt') {
            node.lastMqtt = node.lastHeard;
        }
    }
    return [...records.values()];
}

// ---- Summaries for sendTo (admin node search) ---------------------------------------------------------------------

export interface NodeSummary {
    id: string;
    num: number;
    hex: string;
    /** Object id of the node's device, relative to the namespace. */
    objectId: string;
    name: string;
    longName?: string;
    shortName?: string;
    hwModel?: string;
    role?: string;
    lastHeard: number;
    presence: string;
    hopsAway?: number;
    snr?: number;
    rssi?: number;
    viaMqtt?: boolean;
    latitude?: number;
    longitude?: number;
    /** Only with `detailed`. */
    details?: {
        firmware?: string;
        region?: string;
        modemPreset?: string;
        publicKey?: string;
        position?: NodeRecord['position'];
        telemetry: Partial<Record<TelemetryVariant, Record<string, number>>>;
        radio?: NodeRecord['radio'];
        neighbors?: NodeRecord['neighbors'];
        lastText?: NodeRecord['lastText'];
        packets: number;
        lastMqtt: number;
    };
}

/**
 * A JSON-friendly summary of a node (for sendTo answers). Only `detailed === true` adds telemetry, position, radio and
 * neighbours, so the function can be handed to `Array.map` directly (the index is ignored).
 */
export function nodeSummary(node: Readonly<NodeRecord>, detailed: boolean | number = false): NodeSummary {
    const summary: NodeSummary = {
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
