/** `stats.*` counters and the instance's `info.*` states (io-package instanceObjects; `io-package.test.ts` compares). */
import type { MeshStats } from '../../mesh/types';
import { bool, type FixedStateSpec, num, type StatsInput, str } from './spec';
import { ROOT } from './tree';
import { json } from './values';

const statCounter = (key: keyof MeshStats, name: string): FixedStateSpec<StatsInput> => ({
    id: `${ROOT.stats}.${key}`,
    common: num(name, 'value'),
    get: input => input.stats[key],
});

/** Names as in io-package instanceObjects (which carries their translations); `stats.ignored` and `stats.compressedTexts` are created here. */
export const STATS_STATES: readonly FixedStateSpec<StatsInput>[] = [
    statCounter('received', 'Packets received'),
    statCounter('decoded', 'Packets decoded'),
    statCounter('duplicates', 'Duplicate packets'),
    statCounter('undecryptable', 'Packets not decryptable (missing key or PKI)'),
    statCounter('invalid', 'Invalid packets'),
    statCounter('ignored', 'Messages on topics that are not Meshtastic packets (other MQTT clients)'),
    statCounter('unknownChannels', 'Unknown channels seen'),
    statCounter('filtered', 'Packets filtered (allow list, max. hops)'),
    statCounter('compressedTexts', 'Compressed texts (not decoded)'),
    {
        id: `${ROOT.stats}.unknownChannelList`,
        common: str('Unknown channels (JSON)', 'json'),
        get: input =>
            json(
                input.unknownChannels.map(u => ({
                    channelId: u.channelId,
                    hash: u.channelHash,
                    packets: u.packets,
                    lastGateway: u.lastGateway,
                    lastSeen: u.lastSeen,
                })),
            ),
    },
];

// ---- Instance info ---------------------------------------------------------------------------------------------

export const INFO_CONNECTION: FixedStateSpec<boolean> = {
    id: `${ROOT.info}.connection`,
    common: bool('Connected (broker: a gateway is connected, client: broker reachable)', 'indicator.connected'),
    get: connected => connected,
};

export const INFO_CLIENTS: FixedStateSpec<readonly string[]> = {
    id: `${ROOT.info}.clients`,
    common: str('Connected MQTT clients (JSON array)', 'json'),
    get: clients => json(clients),
};
