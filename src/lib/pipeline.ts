/**
 * The receive path in one place: transport message → codec → mesh model → sink (the states layer).
 * No ioBroker here: the sink and the logger are interfaces. Bad input is counted and logged once per kind.
 */
import type { CodecError, DecodedPacket, PacketDecoder } from './codec';
import { PortNum } from './codec/portnums';
import { RateLog, printable, suppressedNote } from './log-once';
import type { MeshModel } from './mesh';
import type { MeshEvent } from './mesh/types';
import type { InboundMessage } from './transport';

export interface PipelineSink {
    apply(events: MeshEvent[]): void;
}

export interface PipelineLogger {
    warn(message: string): void;
    info(message: string): void;
    debug(message: string): void;
}

export class Pipeline {
    /** One line per kind per minute: kinds are fixed here, never a gateway id, channel name or topic from a client. */
    private readonly rate: RateLog;
    private compressedLogged = false;

    constructor(
        private readonly decoder: PacketDecoder,
        private readonly mesh: MeshModel,
        private readonly sink: PipelineSink,
        private readonly log: PipelineLogger,
        /** Sees every decoded packet before the model (the send path answers ACKs and NodeInfo requests). */
        private readonly onDecoded?: (packet: DecodedPacket) => void,
        now: () => number = Date.now,
    ) {
        this.rate = new RateLog(60_000, now);
    }

    handle(message: InboundMessage): void {
        let events: MeshEvent[];
        try {
            const outcome = this.decoder.decode(message.topic, message.payload);
            if (outcome.ok) {
                if (outcome.packet.payloadError) {
                    this.reportPayloadError(
                        outcome.packet.data.portnum,
                        outcome.packet.payloadError,
                        outcome.packet.gatewayId,
                    );
                }
                if (outcome.packet.data.portnum === PortNum.TEXT_MESSAGE_COMPRESSED_APP) {
                    this.reportCompressed();
                }
                this.onDecoded?.(outcome.packet);
                events = this.mesh.ingest(outcome.packet, message.arrival);
            } else if (outcome.opaque) {
                events = this.mesh.ingestOpaque(outcome.opaque, message.arrival);
            } else if (outcome.error.reason === 'topic') {
                // Not a Meshtastic packet topic (another client's traffic, a JSON topic turned off): not an error.
                this.mesh.countIgnored();
                this.reportInvalid(outcome.error, message);
                return;
            } else {
                this.mesh.countInvalid();
                this.reportInvalid(outcome.error, message);
                return;
            }
        } catch (e) {
            // The codec and the model never throw by contract; this guards the adapter if one ever does.
            this.mesh.countInvalid();
            const skipped = this.rate.allow('crash');
            if (skipped !== undefined) {
                this.log.warn(
                    `Internal error while handling a packet on "${printable(message.topic)}": ${printable(String(e), 160)}${suppressedNote(skipped)}`,
                );
            }
            return;
        }
        for (const event of events) {
            if (event.type === 'unknownChannel' && event.firstSeen) {
                const r = event.record;
                const skipped = this.rate.allow('unknownChannel');
                if (skipped !== undefined) {
                    this.log.info(
                        `Packets on channel "${printable(r.channelId, 20)}" (hash ${r.channelHash}) via ${printable(r.lastGateway, 12)} ` +
                            'cannot be decrypted with any configured key: add the channel and its key in the Channels tab to see them ' +
                            `(all such channels: stats.unknownChannelList)${suppressedNote(skipped)}`,
                    );
                } else {
                    this.log.debug(`unknown channel "${printable(r.channelId, 20)}" (hash ${r.channelHash})`);
                }
            }
        }
        this.sink.apply(events);
    }

    /** Problems reported by the transport itself (e.g. oversized topics refused by the broker). */
    countRejected(kind: string, detail: string): void {
        this.mesh.countInvalid();
        const skipped = this.rate.allow(`rejected:${kind}`);
        if (skipped !== undefined) {
            this.log.warn(`Refused ${kind}: ${printable(detail)} (counted in stats.invalid)${suppressedNote(skipped)}`);
        }
    }

    private reportInvalid(error: CodecError, message: InboundMessage): void {
        const where = error.gatewayId ? ` from ${printable(error.gatewayId, 12)}` : '';
        const skipped = this.rate.allow(`invalid:${error.reason}`);
        if (skipped !== undefined) {
            this.log.warn(
                `Ignoring ${error.reason === 'topic' ? 'a message' : 'a packet'} on "${printable(message.topic)}"${where}: ${printable(error.message, 160)} ` +
                    `(counted in stats.${error.reason === 'topic' ? 'ignored' : 'invalid'}; at most one such line a minute)${suppressedNote(skipped)}`,
            );
        } else {
            this.log.debug(`invalid ${error.reason} on ${printable(message.topic)}: ${printable(error.message, 160)}`);
        }
    }

    /** Once per run: firmware does not send these, and no maintained decoder of its unishox2 format exists. */
    private reportCompressed(): void {
        if (!this.compressedLogged) {
            this.compressedLogged = true;
            this.log.info(
                'Received a compressed text (TEXT_MESSAGE_COMPRESSED_APP): it cannot be decoded and is counted in stats.compressedTexts (logged once)',
            );
        }
    }

    /** Logged only: the packet is still used (raw payload) and counted as decoded. */
    private reportPayloadError(portnum: number, error: string, gateway: string): void {
        const skipped = this.rate.allow('payload');
        if (skipped !== undefined) {
            this.log.warn(
                `A packet for port ${portnum} via ${printable(gateway, 12)} has a malformed payload: ${printable(error)}; kept as raw${suppressedNote(skipped)}`,
            );
        }
    }
}
