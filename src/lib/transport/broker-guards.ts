/**
 * Every connection of the embedded broker reaches aedes behind the guards of packet-size-guard.ts: a packet larger
 * than the limit, or a string field that is not valid UTF-8, closes the connection before aedes' parser sees it.
 * This file counts and reports those closures (rate-limited: a client can repeat them at will).
 */
import type { Duplex } from 'node:stream';
import { printable } from '../log-once';
import { type BrokerContext, warnLimited } from './broker-context';
import { SizeGuardedConnection } from './packet-size-guard';

/**
 * `stream` wrapped in the guards. `clientId` is asked when a packet is too large (the CONNECT has been read by
 * then, if the client sent one).
 */
export function guardConnection(
    stream: Duplex,
    address: string,
    maxPacketSize: number,
    ctx: BrokerContext,
    clientId: () => string | undefined,
): SizeGuardedConnection {
    const connection = new SizeGuardedConnection(
        stream,
        maxPacketSize,
        size => {
            ctx.counters.oversizedPackets++;
            const known = clientId();
            const id = known ? `"${printable(known, 64)}"` : '(before CONNECT)';
            const text =
                `MQTT client ${id} from ${address} sent a packet of ` +
                `${Number.isFinite(size) ? `${size} bytes` : 'an impossible size'} (limit ${maxPacketSize}): connection closed`;
            warnLimited(ctx, `packet:${address}`, text);
        },
        field => {
            // MQTT-1.5.3-1/-2: such a connection is closed. One line per window for all clients (the kind is fixed).
            ctx.counters.invalidUtf8++;
            const text = `MQTT client from ${address} sent ${field} that is not valid UTF-8 (or contains U+0000): connection closed, as MQTT requires`;
            warnLimited(ctx, 'invalid-utf8', text);
        },
    );
    connection.on('error', () => {
        // aedes listens too and closes the client; this only keeps an error without listener from throwing.
    });
    return connection;
}
