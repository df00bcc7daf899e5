"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.specEntry = specEntry;
exports.rootContainer = rootContainer;
exports.sendStateObjects = sendStateObjects;
exports.nodeCommandObjects = nodeCommandObjects;
/** What the batches hand to the writer: object entries (created once) and state values. */
const table_1 = require("../table");
/** The entry of a spec's value under `id`; an event-like spec's entry is written even when the value repeats. */
function specEntry(id, spec, value) {
    return spec.event ? { id, common: spec.common, value, event: true } : { id, common: spec.common, value };
}
/** The object of a top-level container (`messages`, `stats`, `info`, ...). */
function rootContainer(id) {
    return { id, type: table_1.ROOT_CONTAINERS[id].type, common: { name: table_1.ROOT_CONTAINERS[id].name } };
}
/** The `send` and `sendStatus` state objects below a channel or node base id. */
function sendStateObjects(base, specs) {
    return [
        { id: `${base}.${specs.send.id}`, type: 'state', common: specs.send.common },
        { id: `${base}.${specs.status.id}`, type: 'state', common: specs.status.common },
    ];
}
/** The command states of a node device: `send`/`sendStatus` and the `traceroute.request` button (with its channel). */
function nodeCommandObjects(base) {
    const container = table_1.NODE_CONTAINERS[table_1.NODE_TRACEROUTE_REQUEST.container];
    return [
        ...sendStateObjects(base, table_1.NODE_SEND_STATES),
        {
            id: `${base}.${table_1.NODE_TRACEROUTE_REQUEST.container}`,
            type: container.type,
            common: { name: container.name },
        },
        { id: `${base}.${table_1.NODE_TRACEROUTE_REQUEST.id}`, type: 'state', common: table_1.NODE_TRACEROUTE_REQUEST.common },
    ];
}
