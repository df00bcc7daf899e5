"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.guardConnection = guardConnection;
const log_once_1 = require("../log-once");
const broker_context_1 = require("./broker-context");
const packet_size_guard_1 = require("./packet-size-guard");
/**
 * `stream` wrapped in the guards. `clientId` is asked when a packet is too large (the CONNECT has been read by
 * then, if the client sent one).
 */
function guardConnection(stream, address, maxPacketSize, ctx, clientId) {
    const connection = new packet_size_guard_1.SizeGuardedConnection(stream, maxPacketSize, size => {
        ctx.counters.oversizedPackets++;
        const known = clientId();
        const id = known ? `"${(0, log_once_1.printable)(known, 64)}"` : '(before CONNECT)';
        const text = `MQTT client ${id} from ${address} sent a packet of ` +
            `${Number.isFinite(size) ? `${size} bytes` : 'an impossible size'} (limit ${maxPacketSize}): connection closed`;
        (0, broker_context_1.warnLimited)(ctx, `packet:${address}`, text);
    }, field => {
        // MQTT-1.5.3-1/-2: such a connection is closed. One line per window for all clients (the kind is fixed).
        ctx.counters.invalidUtf8++;
        const text = `MQTT client from ${address} sent ${field} that is not valid UTF-8 (or contains U+0000): connection closed, as MQTT requires`;
        (0, broker_context_1.warnLimited)(ctx, 'invalid-utf8', text);
    });
    connection.on('error', () => {
        // aedes listens too and closes the client; this only keeps an error without listener from throwing.
    });
    return connection;
}
