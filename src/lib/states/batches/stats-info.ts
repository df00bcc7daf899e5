/** Objects and values of `stats.*`, `info.*` and the top-level skeleton. */
import type { MeshStats, UnknownChannelRecord } from '../../mesh/types';
import { INFO_CLIENTS, INFO_CONNECTION, ROOT, ROOT_CONTAINERS, STATS_STATES } from '../table';
import { usable } from '../table/values';
import { type Batch, type ObjectEntry, rootContainer, specEntry, type StateEntry } from './entries';

/** `stats.*` counters and the unknown channel list. */
export function statsStates(
    stats: Readonly<MeshStats>,
    unknownChannels: readonly Readonly<UnknownChannelRecord>[],
): StateEntry[] {
    const out: StateEntry[] = [];
    for (const spec of STATS_STATES) {
        const value = spec.get({ stats, unknownChannels });
        if (usable(value)) {
            out.push(specEntry(spec.id, spec, value));
        }
    }
    return out;
}

export function statsBatch(
    stats: Readonly<MeshStats>,
    unknownChannels: readonly Readonly<UnknownChannelRecord>[],
): Batch {
    return {
        objects: [rootContainer(ROOT.stats)],
        states: statsStates(stats, unknownChannels),
    };
}

/** `info.connection` (objects normally exist through io-package instanceObjects). */
export function connectionBatch(connected: boolean): Batch {
    return {
        objects: [rootContainer(ROOT.info)],
        states: [specEntry(INFO_CONNECTION.id, INFO_CONNECTION, INFO_CONNECTION.get(connected) ?? false)],
    };
}

/** `info.clients` as a JSON array of client ids. */
export function clientsBatch(clients: readonly string[]): Batch {
    return {
        objects: [rootContainer(ROOT.info)],
        states: [specEntry(INFO_CLIENTS.id, INFO_CLIENTS, INFO_CLIENTS.get(clients) ?? '[]')],
    };
}

/** Top-level folders and channels, for creating the skeleton at start. */
export function rootObjects(): ObjectEntry[] {
    return (Object.keys(ROOT_CONTAINERS) as (keyof typeof ROOT_CONTAINERS)[]).map(rootContainer);
}
