"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PacketFactory = void 0;
exports.errorText = errorText;
/**
 * Turns what the virtual node sends (Data + route + destination) into MQTT messages, under the downlink rules of
 * spec §6: our node number as `from`, our id as gateway, `hop_limit == hop_start`, a fresh non-zero packet id.
 */
const codec_1 = require("../codec");
const remember_1 = require("./remember");
class PacketFactory {
    options;
    recentIds = new Map();
    constructor(options) {
        this.options = options;
    }
    /** A random id that is not 0 and not used recently. Throws when 16 draws all collide (a broken random source). */
    nextId() {
        for (let attempt = 0; attempt < 16; attempt++) {
            const id = this.options.randomId() >>> 0;
            if (id !== 0 && !this.recentIds.has(id) && !this.options.inFlight(id)) {
                (0, remember_1.remember)(this.recentIds, id, true);
                return id;
            }
        }
        throw new Error('no unused packet id');
    }
    /** Encodes `data` to `to` with a fresh id. Throws when the packet cannot be encoded. */
    build(route, to, data, wantAck) {
        const id = this.nextId();
        const { identity } = this.options;
        const common = {
            root: this.options.root,
            from: identity.nodeNum,
            to,
            id,
            data,
            hopLimit: this.options.hopLimit,
            wantAck,
        };
        const message = route.kind === 'pki'
            ? (0, codec_1.encodePkiPacket)({ ...common, sharedKey: route.sharedKey })
            : (0, codec_1.encodeChannelPacket)({ ...common, channel: route.channel, gatewayId: identity.id });
        return { id, topic: message.topic, payload: message.payload };
    }
}
exports.PacketFactory = PacketFactory;
function errorText(error) {
    return error instanceof Error ? error.message : String(error);
}
