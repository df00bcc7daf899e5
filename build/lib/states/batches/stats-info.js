"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.statsStates = statsStates;
exports.statsBatch = statsBatch;
exports.connectionBatch = connectionBatch;
exports.clientsBatch = clientsBatch;
exports.rootObjects = rootObjects;
const table_1 = require("../table");
const values_1 = require("../table/values");
const entries_1 = require("./entries");
/** `stats.*` counters and the unknown channel list. */
function statsStates(stats, unknownChannels) {
    const out = [];
    for (const spec of table_1.STATS_STATES) {
        const value = spec.get({ stats, unknownChannels });
        if ((0, values_1.usable)(value)) {
            out.push((0, entries_1.specEntry)(spec.id, spec, value));
        }
    }
    return out;
}
function statsBatch(stats, unknownChannels) {
    return {
        objects: [(0, entries_1.rootContainer)(table_1.ROOT.stats)],
        states: statsStates(stats, unknownChannels),
    };
}
/** `info.connection` (objects normally exist through io-package instanceObjects). */
function connectionBatch(connected) {
    return {
        objects: [(0, entries_1.rootContainer)(table_1.ROOT.info)],
        states: [(0, entries_1.specEntry)(table_1.INFO_CONNECTION.id, table_1.INFO_CONNECTION, table_1.INFO_CONNECTION.get(connected) ?? false)],
    };
}
/** `info.clients` as a JSON array of client ids. */
function clientsBatch(clients) {
    return {
        objects: [(0, entries_1.rootContainer)(table_1.ROOT.info)],
        states: [(0, entries_1.specEntry)(table_1.INFO_CLIENTS.id, table_1.INFO_CLIENTS, table_1.INFO_CLIENTS.get(clients) ?? '[]')],
    };
}
/** Top-level folders and channels, for creating the skeleton at start. */
function rootObjects() {
    return Object.keys(table_1.ROOT_CONTAINERS).map(entries_1.rootContainer);
}
