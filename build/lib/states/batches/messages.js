"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.channelObjects = channelObjects;
exports.channelsObjects = channelsObjects;
exports.channelStates = channelStates;
exports.isDirectToUs = isDirectToUs;
exports.messageStates = messageStates;
exports.messageBatch = messageBatch;
exports.sendStatusBatch = sendStatusBatch;
const ids_1 = require("../ids");
const table_1 = require("../table");
const values_1 = require("../table/values");
const entries_1 = require("./entries");
/** `channels` folder, the channel object of one configured channel and its `send`/`sendStatus` state objects. */
function channelObjects(name) {
    const base = (0, ids_1.channelBaseId)(name);
    return [
        (0, entries_1.rootContainer)(table_1.ROOT.channels),
        { id: base, type: table_1.CHANNEL_CONTAINER_TYPE, common: { name: (0, values_1.displayText)(name) || '_' } },
        ...(0, entries_1.sendStateObjects)(base, table_1.CHANNEL_SEND_STATES),
    ];
}
/** The `channelObjects` of several channels, each object once (they share the `channels` folder). */
function channelsObjects(names) {
    const objects = new Map();
    for (const name of names) {
        for (const obj of channelObjects(name)) {
            if (!objects.has(obj.id)) {
                objects.set(obj.id, obj);
            }
        }
    }
    return [...objects.values()];
}
/** States of a configured channel (last message, sender, history). */
function channelStates(channel) {
    const base = (0, ids_1.channelBaseId)(channel.name);
    const out = [];
    for (const spec of table_1.CHANNEL_STATES) {
        const value = spec.get(channel);
        if ((0, values_1.usable)(value)) {
            out.push((0, entries_1.specEntry)(`${base}.${spec.id}`, spec, value));
        }
    }
    return out;
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
            (0, entries_1.specEntry)(table_1.MESSAGE_LAST.id, table_1.MESSAGE_LAST, table_1.MESSAGE_LAST.get(event.message) ?? null),
        ];
    }
    if (event.type === 'directMessage') {
        const out = [];
        if (isDirectToUs(event.message, ownNodeNum)) {
            out.push((0, entries_1.specEntry)(table_1.MESSAGE_DIRECT.id, table_1.MESSAGE_DIRECT, table_1.MESSAGE_DIRECT.get(event.message) ?? null));
        }
        out.push((0, entries_1.specEntry)(table_1.MESSAGE_LAST.id, table_1.MESSAGE_LAST, table_1.MESSAGE_LAST.get(event.message) ?? null));
        return out;
    }
    return [];
}
/** Objects and values of a text event (`ownNodeNum`: see `messageStates`). */
function messageBatch(event, ownNodeNum = 0) {
    if (event.type === 'channelMessage') {
        return {
            objects: [...channelObjects(event.channel.name), (0, entries_1.rootContainer)(table_1.ROOT.messages)],
            states: messageStates(event),
        };
    }
    if (event.type === 'directMessage') {
        return { objects: [(0, entries_1.rootContainer)(table_1.ROOT.messages)], states: messageStates(event, ownNodeNum) };
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
        base = (0, ids_1.channelBaseId)(target.name);
        specs = table_1.CHANNEL_SEND_STATES;
        objects.push(...channelObjects(target.name));
    }
    else if (target?.kind === 'node' && (0, ids_1.isNodeHex)(target.hex)) {
        base = (0, ids_1.nodeBaseId)(target.hex);
        specs = table_1.NODE_SEND_STATES;
        objects.push(...(0, entries_1.sendStateObjects)(base, specs));
    }
    if (base !== undefined && specs !== undefined) {
        const value = specs.status.get(status);
        if ((0, values_1.usable)(value)) {
            states.push((0, entries_1.specEntry)(`${base}.${specs.status.id}`, specs.status, value));
        }
    }
    objects.push((0, entries_1.rootContainer)(table_1.ROOT.messages));
    const last = table_1.MESSAGE_LAST_SENT.get(status);
    if ((0, values_1.usable)(last)) {
        states.push((0, entries_1.specEntry)(table_1.MESSAGE_LAST_SENT.id, table_1.MESSAGE_LAST_SENT, last));
    }
    return { objects, states };
}
