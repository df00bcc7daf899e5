"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ChannelNames = void 0;
/**
 * The channel-name registry: sanitised channel id level → configured channel name (`Long_Fast` → `Long.Fast`), so
 * that a write to `channels.<id>.send` reaches the channel by its configured name. First name wins when two sanitise
 * alike.
 */
const ids_1 = require("./ids");
const table_1 = require("./table");
class ChannelNames {
    byId = new Map();
    remember(name) {
        const part = (0, ids_1.channelBaseId)(name).slice(table_1.ROOT.channels.length + 1);
        if (!this.byId.has(part)) {
            this.byId.set(part, name);
        }
    }
    /** The configured name of a sanitised channel id level, if configured. */
    nameForId(idPart) {
        return this.byId.get(idPart);
    }
    /**
     * The target of a writable `send` state (id relative to the namespace): `channels.<id>.send` of a configured
     * channel (with its configured name) or `nodes.<hex>.send`; anything else gives undefined.
     */
    sendStateTarget(relativeId) {
        return (0, ids_1.sendStateTarget)(relativeId, part => this.nameForId(part));
    }
}
exports.ChannelNames = ChannelNames;
