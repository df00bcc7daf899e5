/** What the batches hand to the writer: object entries (created once) and state values. */
import {
    type ContainerType,
    NODE_CONTAINERS,
    NODE_SEND_STATES,
    NODE_TRACEROUTE_REQUEST,
    ROOT_CONTAINERS,
    type SendStateSpecs,
    type StateCommonSpec,
} from '../table';

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

/** A state value to write (its object is created from `common` if missing). */
export interface StateEntry {
    /** Relative to the namespace, e.g. `nodes.a1b2c3d4.position.latitude`. */
    id: string;
    common: StateCommonSpec;
    value: ioBroker.StateValue;
    /** Write even if the value equals the last written one. */
    event?: boolean;
}

/** The entry of a spec's value under `id`; an event-like spec's entry is written even when the value repeats. */
export function specEntry(
    id: string,
    spec: { common: StateCommonSpec; event?: boolean },
    value: ioBroker.StateValue,
): StateEntry {
    return spec.event ? { id, common: spec.common, value, event: true } : { id, common: spec.common, value };
}

/** Containers (parents first) and the states below them. */
export interface Batch {
    objects: ObjectEntry[];
    states: StateEntry[];
}

/** The object of a top-level container (`messages`, `stats`, `info`, ...). */
export function rootContainer(id: keyof typeof ROOT_CONTAINERS): ContainerEntry {
    return { id, type: ROOT_CONTAINERS[id].type, common: { name: ROOT_CONTAINERS[id].name } };
}

/** The `send` and `sendStatus` state objects below a channel or node base id. */
export function sendStateObjects(base: string, specs: SendStateSpecs): StateObjectEntry[] {
    return [
        { id: `${base}.${specs.send.id}`, type: 'state', common: specs.send.common },
        { id: `${base}.${specs.status.id}`, type: 'state', common: specs.status.common },
    ];
}

/** The command states of a node device: `send`/`sendStatus` and the `traceroute.request` button (with its channel). */
export function nodeCommandObjects(base: string): ObjectEntry[] {
    const container = NODE_CONTAINERS[NODE_TRACEROUTE_REQUEST.container];
    return [
        ...sendStateObjects(base, NODE_SEND_STATES),
        {
            id: `${base}.${NODE_TRACEROUTE_REQUEST.container}`,
            type: container.type,
            common: { name: container.name },
        },
        { id: `${base}.${NODE_TRACEROUTE_REQUEST.id}`, type: 'state', common: NODE_TRACEROUTE_REQUEST.common },
    ];
}
