"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Pipeline = void 0;
const log_once_1 = require("./log-once");
class Pipeline {
    decoder;
    mesh;
    sink;
    log;
    onDecoded;
    once = new log_once_1.LogOnce();
    constructor(decoder, mesh, sink, log, 
    /** Sees every decoded packet before the model (the send path answers ACKs and NodeInfo requests). */
    onDecoded) {
        this.decoder = decoder;
        this.mesh = mesh;
        this.sink = sink;
        this.log = log;
        this.onDecoded = onDecoded;
    }
    handle(message) {
        let events;
        try {
            const outcome = this.decoder.decode(message.topic, message.payload);
            if (outcome.ok) {
                if (outcome.packet.payloadError) {
                    this.reportPayloadError(outcome.packet.data.portnum, outcome.packet.payloadError, outcome.packet.gatewayId);
                }
                this.onDecoded?.(outcome.packet);
                events = this.mesh.ingest(outcome.packet, message.arrival);
            }
            else if (outcome.opaque) {
                events = this.mesh.ingestOpaque(outcome.opaque, message.arrival);
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
            if (this.once.first(`crash:${String(e)}`)) {
                this.log.warn(`Internal error while handling a packet on "${(0, log_once_1.printable)(message.topic)}": ${String(e)}`);
            }
            return;
        }
        for (const event of events) {
            if (event.type === 'unknownChannel' && event.firstSeen) {
                const r = event.record;
                this.log.info(`Packets on channel "${(0, log_once_1.printable)(r.channelId, 20)}" (hash ${r.channelHash}) via ${(0, log_once_1.printable)(r.lastGateway, 12)} ` +
                    'cannot be decrypted with any configured key: add the channel and its key in the Channels tab to see them');
            }
        }
        this.sink.apply(events);
    }
    /** Problems reported by the transport itself (e.g. oversized topics refused by the broker). */
    countRejected(kind, detail) {
        this.mesh.countInvalid();
        if (this.once.first(`rejected:${kind}`)) {
            this.log.warn(`Refused ${kind}: ${(0, log_once_1.printable)(detail)} (counted in stats.invalid; logged once)`);
        }
    }
    reportInvalid(error, message) {
        const where = error.gatewayId ? ` from ${(0, log_once_1.printable)(error.gatewayId, 12)}` : '';
        if (this.once.first(`${error.reason}:${error.gatewayId ?? ''}`)) {
            this.log.warn(`Ignoring ${error.reason === 'topic' ? 'a message' : 'a packet'} on "${(0, log_once_1.printable)(message.topic)}"${where}: ${(0, log_once_1.printable)(error.message, 160)} ` +
                '(counted in stats.invalid; further ones of this kind are logged at debug level)');
        }
        else {
            this.log.debug(`invalid ${error.reason} on ${(0, log_once_1.printable)(message.topic)}: ${(0, log_once_1.printable)(error.message, 160)}`);
        }
    }
    reportPayloadError(portnum, error, gateway) {
        this.mesh.countInvalid();
        if (this.once.first(`payload:${portnum}`)) {
            this.log.warn(`A packet for port ${portnum} via ${(0, log_once_1.printable)(gateway, 12)} has a malformed payload: ${(0, log_once_1.printable)(error)}; kept as raw`);
        }
    }
}
exports.Pipeline = Pipeline;
