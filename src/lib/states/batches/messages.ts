/** Objects and values of channel texts, DMs and send statuses. */
import type { ChannelRecord, MeshEvent } from '../../mesh/types';
import type { SendStatus } from '../../send/types';
import { channelBaseId, isNodeHex, nodeBaseId } from '../ids';
import {
    CHANNEL_CONTAINER_TYPE,
    CHANNEL_SEND_STATES,
    CHANNEL_STATES,
    MESSAGE_DIRECT,
    MESSAGE_LAST,
    MESSAGE_LAST_SENT,
    NODE_SEND_STATES,
    ROOT,
    type SendStateSpecs,
} from '../table';
import { displayText, usable } from '../table/values';
import {
    type Batch,
    type ObjectEntry,
    rootContainer,
    sendStateObjects,
    type SendStatusTarget,
    specEntry,
    type StateEntry,
} from './entries';

/** `channels` folder, the channel object of one configured channel and its `send`/`sendStatus` state objects. */
export function channelObjects(name: string): ObjectEntry[] {
    const base = channelBaseId(name);
    return [
        rootContainer(ROOT.channels),
        { id: base, type: CHANNEL_CONTAINER_TYPE, common: { name: displayText(name) || '_' } },
        ...sendStateObjects(base, CHANNEL_SEND_STATES),
    ];
}

/** The `channelObjects` of several channels, each object once (they share the `channels` folder). */
export function channelsObjects(names: Iterable<string>): ObjectEntry[] {
    const objects = new Map<string, ObjectEntry>();
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
export function channelStates(channel: Readonly<ChannelRecord>): StateEntry[] {
    const base = channelBaseId(channel.name);
    const out: StateEntry[] = [];
    for (const spec of CHANNEL_STATES) {
        const value = spec.get(channel);
        if (usable(value)) {
            out.push(specEntry(`${base}.${spec.id}`, spec, value));
        }
    }
    return out;
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
            specEntry(MESSAGE_LAST.id, MESSAGE_LAST, MESSAGE_LAST.get(event.message) ?? null),
        ];
    }
    if (event.type === 'directMessage') {
        const out: StateEntry[] = [];
        if (isDirectToUs(event.message, ownNodeNum)) {
            out.push(specEntry(MESSAGE_DIRECT.id, MESSAGE_DIRECT, MESSAGE_DIRECT.get(event.message) ?? null));
        }
        out.push(specEntry(MESSAGE_LAST.id, MESSAGE_LAST, MESSAGE_LAST.get(event.message) ?? null));
        return out;
    }
    return [];
}

/** Objects and values of a text event (`ownNodeNum`: see `messageStates`). */
export function messageBatch(event: MeshEvent, ownNodeNum = 0): Batch {
    if (event.type === 'channelMessage') {
        return {
            objects: [...channelObjects(event.channel.name), rootContainer(ROOT.messages)],
            states: messageStates(event),
        };
    }
    if (event.type === 'directMessage') {
        return { objects: [rootContainer(ROOT.messages)], states: messageStates(event, ownNodeNum) };
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
            states.push(specEntry(`${base}.${specs.status.id}`, specs.status, value));
        }
    }
    objects.push(rootContainer(ROOT.messages));
    const last = MESSAGE_LAST_SENT.get(status);
    if (usable(last)) {
        states.push(specEntry(MESSAGE_LAST_SENT.id, MESSAGE_LAST_SENT, last));
    }
    return { objects, states };
}
