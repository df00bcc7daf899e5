"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.INFO_CLIENTS = exports.INFO_CONNECTION = exports.STATS_STATES = void 0;
const spec_1 = require("./spec");
const tree_1 = require("./tree");
const values_1 = require("./values");
const statCounter = (key, name) => ({
    id: `${tree_1.ROOT.stats}.${key}`,
    common: (0, spec_1.num)(name, 'value'),
    get: input => input.stats[key],
});
/** Names as in io-package instanceObjects (which carries their translations); `stats.ignored` and `stats.compressedTexts` are created here. */
exports.STATS_STATES = [
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
        id: `${tree_1.ROOT.stats}.unknownChannelList`,
        common: (0, spec_1.str)('Unknown channels (JSON)', 'json'),
        get: input => (0, values_1.json)(input.unknownChannels.map(u => ({
            channelId: u.channelId,
            hash: u.channelHash,
            packets: u.packets,
            lastGateway: u.lastGateway,
            lastSeen: u.lastSeen,
        }))),
    },
];
// ---- Instance info ---------------------------------------------------------------------------------------------
exports.INFO_CONNECTION = {
    id: `${tree_1.ROOT.info}.connection`,
    common: (0, spec_1.bool)('Connected (broker: a gateway is connected, client: broker reachable)', 'indicator.connected'),
    get: connected => connected,
};
exports.INFO_CLIENTS = {
    id: `${tree_1.ROOT.info}.clients`,
    common: (0, spec_1.str)('Connected MQTT clients (JSON array)', 'json'),
    get: clients => (0, values_1.json)(clients),
};
