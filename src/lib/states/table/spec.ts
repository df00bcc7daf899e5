/**
 * The shapes of the declarative state table and the shorthands that keep it compact. Every field, once:
 *
 * - `id`       relative to the namespace (`meshtastic.0.`) for fixed states, to `nodes.<hex>` for node states, to
 *              `channels.<sanitised name>` for channel states; the last level of a state's id.
 * - `section`  (node states) which part of a node record the state reflects; the mesh model names the sections a
 *              packet changed, and only those are written. A section's containers appear with its first value.
 * - `common`   the object's `common` as the adapter creates it (`StateCommonSpec`):
 *   - `name`   English display name (io-package instanceObjects carry the translations of the fixed ones),
 *   - `type`   `number` | `string` | `boolean`,
 *   - `role`   from the official role list (ioBroker.docs `stateroles.md`); a detailed role (`value.voltage`) at most
 *              once per channel, further readings of that kind use `value` with the unit,
 *   - `unit`   optional, shown by the UIs,
 *   - `read`   true except for write-only buttons; `write` false for data, true only for the command states,
 *   - `states` optional value → label map (e.g. presence).
 * - `event`    written on every update even when the value repeats (a text sent twice is two events).
 * - `get`      the value from the record (undefined: no value, no object: data never sent gets no state).
 * - `put`      (node states) inverse of `get`, for rebuilding node records from stored states after a restart;
 *              absent for derived states. Coercion of stored values lives in `restore-coercion.ts`.
 * - metrics (`MetricSpec`): `name`, `role`, `unit` as above; `convert` turns the wire value into the stored one,
 *              `invert` is its inverse for restoring. Unknown metric keys get role `value`, no unit, name = key.
 */
import type { ChannelRecord, MeshStats, NodeRecord, NodeSection, UnknownChannelRecord } from '../../mesh/types';
import { json } from './values';

/**
 * The `common` part of a state object, as written by the adapter. All data states are read-only (`write: false`);
 * only the command states of SEND_STATES (`send`) are writable.
 */
export interface StateCommonSpec {
    name: string;
    type: 'number' | 'string' | 'boolean';
    role: string;
    unit?: string;
    read: boolean;
    write: boolean;
    states?: Record<string, string>;
}

/** Object types used for the intermediate levels of the tree. */
export type ContainerType = 'folder' | 'device' | 'channel';

export interface ContainerSpec {
    type: ContainerType;
    name: string;
}

/** A state of a node, id relative to `nodes.<hex>`. */
export interface NodeStateSpec {
    id: string;
    section: NodeSection;
    common: StateCommonSpec;
    /** Event-like state: written on every update even when the value repeats (e.g. the same text sent twice). */
    event?: boolean;
    get(node: Readonly<NodeRecord>): ioBroker.StateValue | undefined;
    /** Inverse of `get`, for rebuilding node records from stored states after a restart (absent: derived state). */
    put?(node: NodeRecord, value: ioBroker.StateValue): void;
}

/** A telemetry metric; its state is `nodes.<hex>.telemetry.<variant>.<metric key>` (type number). */
export interface MetricSpec {
    name: string;
    role: string;
    unit?: string;
    /** Turns the wire value into the stored value (e.g. 1/100ths into units). */
    convert?: (value: number) => number;
    /** Inverse of `convert`. */
    invert?: (value: number) => number;
}

/** A state of a configured channel, id relative to `channels.<sanitised name>`. */
export interface ChannelStateSpec {
    id: string;
    common: StateCommonSpec;
    event?: boolean;
    get(channel: Readonly<ChannelRecord>): ioBroker.StateValue | undefined;
}

/** A state with a fixed id (relative to the namespace). */
export interface FixedStateSpec<T> {
    id: string;
    common: StateCommonSpec;
    event?: boolean;
    get(input: T): ioBroker.StateValue | undefined;
}

export interface StatsInput {
    stats: Readonly<MeshStats>;
    unknownChannels: readonly Readonly<UnknownChannelRecord>[];
}

// ---- Shorthands ----------------------------------------------------------------------------------------------

export function common(
    name: string,
    type: StateCommonSpec['type'],
    role: string,
    unit?: string,
    states?: Record<string, string>,
): StateCommonSpec {
    const c: StateCommonSpec = { name, type, role, read: true, write: false };
    if (unit !== undefined) {
        c.unit = unit;
    }
    if (states !== undefined) {
        c.states = states;
    }
    return c;
}

export const num = (name: string, role: string, unit?: string): StateCommonSpec => common(name, 'number', role, unit);
export const str = (name: string, role: string): StateCommonSpec => common(name, 'string', role);
export const bool = (name: string, role: string): StateCommonSpec => common(name, 'boolean', role);
/** A writable string state (commands written by the user with ack=false). */
export const command = (name: string, role: string): StateCommonSpec => ({
    ...common(name, 'string', role),
    write: true,
});

/** A write-only button (role `button`, written true with ack=false; the adapter confirms with ack=true). */
export const button = (name: string): StateCommonSpec => ({
    ...common(name, 'boolean', 'button'),
    read: false,
    write: true,
});

/** An event-like JSON state (role `json`): the input as JSON, written on every update even when it repeats. */
export function jsonEvent<T>(id: string, name: string): FixedStateSpec<T> {
    return { id, common: str(name, 'json'), event: true, get: input => json(input) };
}

/** Metric spec shorthand. */
export const m = (
    name: string,
    role: string,
    unit?: string,
    convert?: (value: number) => number,
    invert?: (value: number) => number,
): MetricSpec => {
    const spec: MetricSpec = { name, role };
    if (unit !== undefined) {
        spec.unit = unit;
    }
    if (convert !== undefined) {
        spec.convert = convert;
    }
    if (invert !== undefined) {
        spec.invert = invert;
    }
    return spec;
};
