"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Pipeline = void 0;
const portnums_1 = require("./codec/portnums");
const log_once_1 = require("./log-once");
class Pipeline {
    decoder;
    mesh;
    sink;
    log;
    onDecoded;
    /** One line per kind per minute: kinds are fixed here, never a gateway id, channel name or topic from a client. */
    rate;
    compressedLogged = false;
    constructor(decoder, mesh, sink, log, 
    /** Sees every decoded packet before the model (the send path answers ACKs and NodeInfo requests). */
    onDecoded, now = Date.now) {
        this.decoder = decoder;
        this.mesh = mesh;
        this.sink = sink;
        this.log = log;
        this.onDecoded = onDecoded;
        this.rate = new log_once_1.RateLog(60_000, now);
    }
    handle(message) {
        let events;
        try {
            const outcome = this.decoder.decode(message.topic, message.payload);
            if (outcome.ok) {
                if (outcome.packet.payloadError) {
                    this.reportPayloadError(outcome.packet.data.portnum, outcome.packet.payloadError, outcome.packet.gatewayId);
                }
                if (outcome.packet.data.portnum === portnums_1.PortNum.TEXT_MESSAGE_COMPRESSED_APP) {
                    this.reportCompressed();
                }
                this.onDecoded?.(outcome.packet);
                events = this.mesh.ingest(outcome.packet, message.arrival);
            }
            else if (outcome.opaque) {
                events = this.mesh.ingestOpaque(outcome.opaque, message.arrival);
            }
            else if (outcome.error.reason === 'topic') {
                // Not a Meshtastic packet topic (another client's traffic, a JSON topic turned off): not an error.
                this.mesh.countIgnored();
                this.reportInvalid(outcome.error, message);
                return;
            }
            else {
                this.mesh.countInvalid();
                this.reportInvalid(outcome.error, message);
                return;
            }
        }
        catch (e) {
            // The codec and the model never throw by contract; this guards the adapter if one ever does.
            this.mesh.countInvalid();
            const skipped = this.rate.allow('crash');
            if (skipped !== undefined) {
                this.log.warn(`Internal error while handling a packet on "${(0, log_once_1.printable)(message.topic)}": ${(0, log_once_1.printable)(String(e), 160)}${(0, log_once_1.suppressedNote)(skipped)}`);
            }
            return;
        }
        for (const event of events) {
            if (event.type === 'unknownChannel' && event.firstSeen) {
                const r = event.record;
                const skipped = this.rate.allow('unknownChannel');
                if (skipped !== undefined) {
                    this.log.info(`Packets on channel "${(0, log_once_1.printable)(r.channelId, 20)}" (hash ${r.channelHash}) via ${(0, log_once_1.printable)(r.lastGateway, 12)} ` +
                        'cannot be decrypted with any configured key: add the channel and its key in the Channels tab to see them ' +
                        `(all such channels: stats.unknownChannelList)${(0, log_once_1.suppressedNote)(skipped)}`);
                }
                else {
                    this.log.debug(`unknown channel "${(0, log_once_1.printable)(r.channelId, 20)}" (hash ${r.channelHash})`);
                }
            }
        }
        this.sink.apply(events);
    }
    /** Problems reported by the transport itself (e.g. oversized topics refused by the broker). */
    countRejected(kind, detail) {
        this.mesh.countInvalid();
        const skipped = this.rate.allow(`rejected:${kind}`);
        if (skipped !== undefined) {
            this.log.warn(`Refused ${kind}: ${(0, log_once_1.printable)(detail)} (counted in stats.invalid)${(0, log_once_1.suppressedNote)(skipped)}`);
        }
    }
    reportInvalid(error, message) {
        const where = error.gatewayId ? ` from ${(0, log_once_1.printable)(error.gatewayId, 12)}` : '';
        const skipped = this.rate.allow(`invalid:${error.reason}`);
        if (skipped !== undefined) {
            this.log.warn(`Ignoring ${error.reason === 'topic' ? 'a message' : 'a packet'} on "${(0, log_once_1.printable)(message.topic)}"${where}: ${(0, log_once_1.printable)(error.message, 160)} ` +
                `(counted in stats.${error.reason === 'topic' ? 'ignored' : 'invalid'}; at most one such line a minute)${(0, log_once_1.suppressedNote)(skipped)}`);
        }
        else {
            this.log.debug(`invalid ${error.reason} on ${(0, log_once_1.printable)(message.topic)}: ${(0, log_once_1.printable)(error.message, 160)}`);
        }
    }
    /** Once per run: firmware does not send these, and no maintained decoder of its unishox2 format exists. */
    reportCompressed() {
        if (!this.compressedLogged) {
            this.compressedLogged = true;
            this.log.info('Received a compressed text (TEXT_MESSAGE_COMPRESSED_APP): it cannot be decoded and is counted in stats.compressedTexts (logged once)');
        }
    }
    /** Logged only: the packet is still used (raw payload) and counted as decoded. */
    reportPayloadError(portnum, error, gateway) {
        const skipped = this.rate.allow('payload');
        if (skipped !== undefined) {
            this.log.warn(`A packet for port ${portnum} via ${(0, log_once_1.printable)(gateway, 12)} has a malformed payload: ${(0, log_once_1.printable)(error)}; kept as raw${(0, log_once_1.suppressedNote)(skipped)}`);
        }
    }
}
exports.Pipeline = Pipeline;
