"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SendTargets = void 0;
exports.sendStateTarget = sendStateTarget;
exports.tracerouteRequestHex = tracerouteRequestHex;
/**
 * Send targets: which writable `send` state reaches which channel or node. `sendStateTarget` parses an id (pure);
 * `SendTargets` remembers the configured channel names, so that a write to `channels.<id>.send` reaches the channel
 * by its configured name (`Long_Fast` → `Long.Fast`; the first name wins when two sanitise alike).
 */
const ids_1 = require("./ids");
const table_1 = require("./table");
/**
 * Maps a state id relative to the namespace to the target of its writable `send` state: `channels.<id>.send` →
 * channel, `nodes.<hex>.send` → node; anything else (other states, `sendStatus`, extra levels, invalid hex, a channel
 * level that is not a sanitised id) → undefined. `channelNameForId` turns the id level back into the configured
 * channel name (undefined: not a configured channel → undefined); without it the name is the id level itself.
 */
function sendStateTarget(relativeId, channelNameForId) {
    const levels = relativeId.split('.');
    if (levels.length !== 3 || levels[2] !== table_1.SEND_STATE_ID) {
        return undefined;
    }
    const [root, part] = levels;
    if (root === table_1.ROOT.nodes) {
        return (0, ids_1.isNodeHex)(part) ? { kind: 'node', hex: part } : undefined;
    }
    if (root === table_1.ROOT.channels) {
        if (part === '' || (0, ids_1.sanitizeIdPart)(part) !== part) {
            return undefined;
        }
        const name = channelNameForId ? channelNameForId(part) : part;
        return name === undefined ? undefined : { kind: 'channel', name, id: part };
    }
    return undefined;
}
/** The node hex of a `nodes.<hex>.traceroute.request` id (relative to the namespace); anything else → undefined. */
function tracerouteRequestHex(relativeId) {
    const prefix = `${table_1.ROOT.nodes}.`;
    const suffix = `.${table_1.NODE_TRACEROUTE_REQUEST.id}`;
    if (!relativeId.startsWith(prefix) || !relativeId.endsWith(suffix)) {
        return undefined;
    }
    const hex = relativeId.slice(prefix.length, relativeId.length - suffix.length);
    return (0, ids_1.isNodeHex)(hex) ? hex : undefined;
}
/** The configured channel names by their id level, and the targets of `send` states resolved with them. */
class SendTargets {
    namespace;
    nameById = new Map();
    /** `namespace`: a full id `<namespace>.<relative id>` is accepted too. */
    constructor(namespace) {
        this.namespace = namespace;
    }
    /** Remembers a channel name (configured, or seen in a text or send status); the first of an id level wins. */
    rememberChannel(name) {
        const part = (0, ids_1.channelBaseId)(name).slice(table_1.ROOT.channels.length + 1);
        if (!this.nameById.has(part)) {
            this.nameById.set(part, name);
        }
    }
    /** The channel name of a sanitised channel id level, if remembered. */
    channelNameForId(idPart) {
        return this.nameById.get(idPart);
    }
    /**
     * The target of a writable `send` state (relative id, or full with our namespace): `channels.<id>.send` of a
     * remembered channel (with its name) or `nodes.<hex>.send`; anything else gives undefined.
     */
    resolve(id) {
        const prefix = `${this.namespace}.`;
        const relativeId = id.startsWith(prefix) ? id.slice(prefix.length) : id;
        return sendStateTarget(relativeId, part => this.channelNameForId(part));
    }
}
exports.SendTargets = SendTargets;
